"""The streaming file encryption (vault/stream.py): round trips, seeking, and every kind of damage caught."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.vault import stream
from fieldkit.vault.stream import (
    HEADER_SIZE,
    MIN_CHUNK,
    TAG,
    NotEncrypted,
    StreamReader,
    StreamWriter,
    Tampered,
    WrongKey,
    decrypt_bytes,
    encrypt_bytes,
    encrypted_size,
)

KEY = bytes(range(32))
C = MIN_CHUNK  # small chunks: many chunk boundaries in little data


def sealed_chunks(blob: bytes, chunk: int = C) -> tuple[bytes, list[bytes]]:
    body = blob[HEADER_SIZE:]
    step = chunk + TAG
    return blob[:HEADER_SIZE], [body[i : i + step] for i in range(0, len(body), step)]


def reader(blob: bytes, key: bytes = KEY) -> io.BufferedReader:
    return io.BufferedReader(StreamReader(io.BytesIO(blob), key))


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5 * C), cuts=st.lists(st.integers(1, 3 * C), max_size=6))
def test_what_is_written_in_any_pieces_reads_back(data: bytes, cuts: list[int]) -> None:
    out = io.BytesIO()
    with StreamWriter(out, KEY, chunk_size=C) as w:
        rest = memoryview(data)
        for n in cuts:
            w.write(rest[:n])
            rest = rest[n:]
        w.write(rest)
    blob = out.getvalue()
    assert len(blob) == encrypted_size(len(data), C)
    assert decrypt_bytes(blob, KEY) == data
    assert StreamReader(io.BytesIO(blob), KEY).size == len(data)


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=4 * C),
    reads=st.lists(st.tuples(st.integers(0, 5 * C), st.integers(0, 2 * C)), max_size=8),
)
def test_seek_and_read_anywhere_gives_the_same_bytes_as_the_plaintext(
    data: bytes, reads: list[tuple[int, int]]
) -> None:
    blob = encrypt_bytes(data, KEY, chunk_size=C)
    plain = io.BytesIO(data)
    with reader(blob) as f:
        for pos, n in reads:
            assert f.seek(pos) == plain.seek(pos)
            assert f.read(n) == plain.read(n)
            assert f.tell() == plain.tell()
        assert f.seek(-1, io.SEEK_END) == len(data) - 1


def test_two_encryptions_of_the_same_file_differ() -> None:
    data = b"same photo" * 1000
    assert encrypt_bytes(data, KEY) != encrypt_bytes(data, KEY)
    assert b"same photo" not in encrypt_bytes(data, KEY)


@pytest.mark.parametrize("size", [0, 1, C - 1, C, C + 1, 3 * C])
def test_sizes_at_and_around_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    blob = encrypt_bytes(data, KEY, chunk_size=C)
    assert len(blob) == encrypted_size(size, C) == HEADER_SIZE + size + TAG * max(1, -(-size // C))
    assert decrypt_bytes(blob, KEY) == data


def test_a_wrong_key_is_named_as_such() -> None:
    blob = encrypt_bytes(b"x" * 100, KEY)
    with pytest.raises(WrongKey, match="密钥不符"):
        decrypt_bytes(blob, bytes(32))


def test_a_plain_file_is_not_taken_for_an_encrypted_one() -> None:
    with pytest.raises(NotEncrypted):
        decrypt_bytes(b"%PDF-1.7 not encrypted", KEY)
    with pytest.raises(NotEncrypted):
        decrypt_bytes(b"", KEY)


def test_a_changed_byte_anywhere_is_caught() -> None:
    data = os.urandom(3 * C + 10)
    blob = encrypt_bytes(data, KEY, chunk_size=C)
    for pos in (HEADER_SIZE, HEADER_SIZE + C + 3, len(blob) - 1, 8, 20):
        bad = bytearray(blob)
        bad[pos] ^= 1
        with pytest.raises((Tampered, WrongKey)):
            decrypt_bytes(bytes(bad), KEY)


def test_chunks_swapped_are_caught() -> None:
    blob = encrypt_bytes(os.urandom(3 * C), KEY, chunk_size=C)
    header, chunks = sealed_chunks(blob)
    swapped = header + chunks[1] + chunks[0] + chunks[2]
    with pytest.raises(Tampered, match="第 1 块"):
        decrypt_bytes(swapped, KEY)


def test_a_file_cut_at_a_chunk_boundary_is_caught() -> None:
    blob = encrypt_bytes(os.urandom(3 * C), KEY, chunk_size=C)
    header, chunks = sealed_chunks(blob)
    with pytest.raises(Tampered):
        decrypt_bytes(header + chunks[0] + chunks[1], KEY)
    with pytest.raises(Tampered):  # cut inside a chunk
        decrypt_bytes(blob[:-7], KEY)
    with pytest.raises(Tampered):  # the header alone
        decrypt_bytes(header, KEY)


def test_a_file_extended_by_chunks_is_caught() -> None:
    data = os.urandom(2 * C)
    blob = encrypt_bytes(data, KEY, chunk_size=C)
    header, chunks = sealed_chunks(blob)
    with pytest.raises(Tampered):
        decrypt_bytes(blob + chunks[0], KEY)
    # a final chunk of another encryption under the same key does not fit either
    _header, other = sealed_chunks(encrypt_bytes(os.urandom(3 * C), KEY, chunk_size=C))
    with pytest.raises(Tampered):
        decrypt_bytes(header + chunks[0] + chunks[1] + other[2], KEY)


def test_an_unsealed_stream_does_not_read() -> None:
    out = io.BytesIO()
    with pytest.raises(RuntimeError), StreamWriter(out, KEY, chunk_size=C) as w:
        w.write(os.urandom(2 * C + 1))
        raise RuntimeError("killed mid-way")
    with pytest.raises(Tampered):
        decrypt_bytes(out.getvalue(), KEY)


def test_reading_the_final_chunk_authenticates_the_whole_length() -> None:
    data = os.urandom(2 * C + 10)
    blob = encrypt_bytes(data, KEY, chunk_size=C)
    header, chunks = sealed_chunks(blob)
    cut = header + chunks[0] + chunks[1]  # looks like a whole file of 2 * C bytes
    with StreamReader(io.BytesIO(cut), KEY) as f:
        assert f.read(C) == data[:C]  # each chunk is checked by itself
        with pytest.raises(Tampered):
            f.read()  # but the last one was not sealed as the last


def test_the_reader_keeps_one_chunk_in_memory_and_streams_chunks() -> None:
    data = os.urandom(5 * C + 1)
    r = StreamReader(io.BytesIO(encrypt_bytes(data, KEY, chunk_size=C)), KEY)
    assert b"".join(bytes(piece) for piece in r.chunks()) == data
    assert r.tell() == len(data)
    r.close()
    with pytest.raises(ValueError):
        r.read(1)


def test_open_plain_reads_a_file_on_disk(tmp_path) -> None:
    path = tmp_path / "f.bin"
    data = os.urandom(100_000)
    path.write_bytes(encrypt_bytes(data, KEY, chunk_size=C))
    with stream.open_plain(path, KEY) as f:
        f.seek(50_000)
        assert f.read(10) == data[50_000:50_010]
