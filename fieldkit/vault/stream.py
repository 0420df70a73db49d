"""Files encrypted at rest: AES-256-GCM in fixed chunks, streamed both ways, readable at any offset.

The format (one file):

    header   MAGIC "FKFILE" | version (1 byte) | chunk size (4 bytes, big-endian) | salt (16 bytes)
             | nonce prefix (7 bytes) | key check (16 bytes)                          = 50 bytes
    chunks   AES-256-GCM(chunk i) with its 16-byte tag, every chunk `chunk size` bytes of plaintext
             except the last (1 … chunk size bytes; 0 only for an empty file)

Each file gets its own key, HKDF-SHA256(files key, salt), so no (key, nonce) pair ever repeats
across files, and the header (the whole 50 bytes) is every chunk's associated data, so a changed
chunk size or salt is caught. The nonce of chunk i is prefix ‖ i (4 bytes) ‖ last (1 byte, 1 on the
final chunk only): the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online
Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015), as in Tink's
streaming AEAD. A chunk moved to another place fails (i differs), a file cut at a chunk boundary
fails (its new final chunk was not sealed as final), and a file with chunks appended fails (its old
final chunk is no longer the last): each chunk is authenticated by itself, and the file as a whole
once its final chunk has been read.

The key check (an HKDF output of the same derivation, not the key) lets a reader tell "wrong key"
from "damaged data"; it gives an attacker nothing the salt does not.

The plaintext size follows from the file size alone (header + chunks + 16 bytes per chunk), so a
reader knows the size and can seek without reading the file; every byte it returns has been
authenticated, and a read that reaches the end has checked the final chunk.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"FKFILE"
VERSION = 1
DEFAULT_CHUNK = 1024 * 1024
TAG = 16
SALT_LEN = 16
PREFIX_LEN = 7
CHECK_LEN = 16
_FIXED = struct.Struct(">6sBI")  # magic, version, chunk size
HEADER_SIZE = _FIXED.size + SALT_LEN + PREFIX_LEN + CHECK_LEN
MIN_CHUNK = 4096
MAX_CHUNK = 64 * 1024 * 1024  # a header asking for more is refused before any buffer is made
_MAX_CHUNKS = 2**32  # the counter's 4 bytes


class StreamError(OSError):
    """An encrypted file cannot be read: not this format, a wrong key, or damaged/changed data.

    An OSError, so code that reads files and already handles unreadable ones (a thumbnail, EXIF, a
    PDF viewer) treats a damaged encrypted file the same way, never as good data.
    """


class NotEncrypted(StreamError):
    """The file does not start with the header of this format."""


class WrongKey(StreamError):
    """The header's key check does not match: another data dir's key (or a changed header)."""


class Tampered(StreamError):
    """A chunk failed authentication: changed, moved, cut off or extended."""


class _Sink(Protocol):
    def write(self, data: bytes | bytearray | memoryview, /) -> object: ...


def is_encrypted(head: bytes) -> bool:
    """True if `head` (the first bytes of a file, at least len(MAGIC)) starts an encrypted file."""
    return head[: len(MAGIC)] == MAGIC


def encrypted_size(plain_size: int, chunk_size: int = DEFAULT_CHUNK) -> int:
    """The size on disk of a file holding `plain_size` bytes."""
    return HEADER_SIZE + plain_size + TAG * _chunk_count(plain_size, chunk_size)


def chunk_size_of(header: bytes) -> int:
    """The chunk size an encrypted file's header declares (NotEncrypted if it is not one)."""
    if not is_encrypted(header) or len(header) < _FIXED.size:
        raise NotEncrypted("不是 FieldKit 加密文件（文件头不对）")
    chunk = _FIXED.unpack_from(header)[2]
    if not MIN_CHUNK <= chunk <= MAX_CHUNK:
        raise Tampered(f"加密文件头中的块大小 {chunk} 不合理")
    return int(chunk)


def plain_size_of(file_size: int, chunk_size: int) -> int:
    """The plaintext size of an encrypted file of `file_size` bytes (StreamError if none fits)."""
    body = file_size - HEADER_SIZE
    if body < TAG:
        raise Tampered("加密文件不完整（比最小长度还短）")
    n = -(-body // (chunk_size + TAG))
    last = body - (n - 1) * (chunk_size + TAG)
    if last < TAG or (last == TAG and n > 1):
        raise Tampered("加密文件长度不对：最后一块不完整")
    return body - TAG * n


def _chunk_count(plain_size: int, chunk_size: int) -> int:
    return max(1, -(-plain_size // chunk_size))


def _derive(files_key: bytes, salt: bytes, fixed: bytes) -> tuple[bytes, bytes]:
    if len(files_key) != 32:
        raise ValueError("files key must be 32 bytes")
    out = HKDF(hashes.SHA256(), 32 + CHECK_LEN, salt=salt, info=b"fieldkit/stream/1|" + fixed).derive(
        files_key
    )
    return out[:32], out[32:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= _MAX_CHUNKS:
        raise StreamError("文件太大，超出加密格式的块数上限")
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class StreamWriter:
    """Encrypts what is written to it into `out`, one chunk at a time (memory: two chunks).

    `out.write` must write everything it is given (a buffered file does; wrap a raw descriptor).
    `close()` seals the final chunk; without it the file is incomplete and will not read. Used as a
    context manager, an exception leaves the file unsealed (and so unreadable), never half-valid.
    """

    def __init__(self, out: _Sink, files_key: bytes, *, chunk_size: int = DEFAULT_CHUNK) -> None:
        if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
            raise ValueError(f"chunk size {chunk_size} out of range")
        self._out = out
        self._chunk = chunk_size
        salt, prefix = os.urandom(SALT_LEN), os.urandom(PREFIX_LEN)
        fixed = _FIXED.pack(MAGIC, VERSION, chunk_size)
        key, check = _derive(files_key, salt, fixed)
        self._header = fixed + salt + prefix + check
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._buf = bytearray(chunk_size)
        self._fill = 0
        self._sealed = bytearray(chunk_size + TAG)
        self._index = 0
        self.plain_size = 0
        self.closed = False
        out.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed StreamWriter")
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            if self._fill == self._chunk:
                # Only now is it known that this full chunk is not the last one.
                self._emit(last=False)
            n = min(len(view), self._chunk - self._fill)
            self._buf[self._fill : self._fill + n] = view[:n]
            self._fill += n
            view = view[n:]
        self.plain_size += total
        return total

    def close(self) -> None:
        """Seal the final chunk (empty only for an empty file)."""
        if self.closed:
            return
        self._emit(last=True)
        self.closed = True

    def abandon(self) -> None:
        """Stop without sealing: what was written stays incomplete and fails to read."""
        self.closed = True

    def seal(self, chunk: bytes | bytearray | memoryview, *, last: bool) -> None:
        """Encrypt and write one whole chunk straight from the caller's buffer (no copy): exactly
        `chunk_size` bytes unless `last`. For callers that read in chunks themselves and know which
        one is the last; not to be mixed with write()."""
        n = len(chunk)
        if self.closed or self._fill:
            raise ValueError("seal() on a closed StreamWriter or after write()")
        if n > self._chunk or (n < self._chunk and not last):
            raise ValueError(f"a chunk that is not the last must be {self._chunk} bytes, not {n}")
        self._seal(chunk, last)
        self.plain_size += n
        if last:
            self.closed = True

    def _emit(self, *, last: bool) -> None:
        self._seal(memoryview(self._buf)[: self._fill], last)
        self._fill = 0

    def _seal(self, chunk: bytes | bytearray | memoryview, last: bool) -> None:
        out = memoryview(self._sealed)[: len(chunk) + TAG]
        self._aead.encrypt_into(_nonce(self._prefix, self._index, last), chunk, self._header, out)
        self._out.write(out)
        self._index += 1

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


class StreamReader(io.RawIOBase):
    """The plaintext of an encrypted file as a seekable raw file (wrap it in io.BufferedReader).

    Holds one decrypted chunk; seeking is free (the size comes from the file size), reading decrypts
    and authenticates the chunk the position is in. Closing it closes `f`.
    """

    def __init__(self, f: BinaryIO, files_key: bytes) -> None:
        super().__init__()
        self._f = f
        try:
            header = _read_header(f)
            _magic, version, chunk = _FIXED.unpack_from(header)
            if version != VERSION:
                raise NotEncrypted(f"加密文件的格式版本 {version} 不受支持（应为 {VERSION}）")
            if not MIN_CHUNK <= chunk <= MAX_CHUNK:
                raise Tampered(f"加密文件头中的块大小 {chunk} 不合理")
            fixed = header[: _FIXED.size]
            salt = header[_FIXED.size : _FIXED.size + SALT_LEN]
            self._prefix = header[_FIXED.size + SALT_LEN : _FIXED.size + SALT_LEN + PREFIX_LEN]
            key, check = _derive(files_key, salt, fixed)
            if check != header[-CHECK_LEN:]:
                raise WrongKey("密钥不符：此文件不是用本机的数据密钥加密的（或文件头已被改动）")
            self._header = header
            self._aead = AESGCM(key)
            self._chunk = chunk
            file_size = f.seek(0, io.SEEK_END)
            self.size = plain_size_of(file_size, chunk)
            self._chunks = _chunk_count(self.size, chunk)
        except BaseException:
            f.close()
            raise
        self._pos = 0
        self._loaded = -1  # index of the chunk in self._plain
        self._plain = bytearray(chunk)
        self._plain_len = 0
        self._sealed = bytearray(chunk + TAG)

    # --- io.RawIOBase --------------------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._check_open()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._check_open()
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise OSError(22, "negative seek position")
        self._pos = pos
        return pos

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        self._check_open()
        out = memoryview(b).cast("B")
        done = 0
        while done < len(out) and self._pos < self.size:
            index, offset = divmod(self._pos, self._chunk)
            self._load(index)
            n = min(len(out) - done, self._plain_len - offset)
            out[done : done + n] = memoryview(self._plain)[offset : offset + n]
            done += n
            self._pos += n
        return done

    def readall(self) -> bytes:
        """The rest of the file in one piece (RawIOBase's own reads it 8 KiB at a time)."""
        out = bytearray(max(0, self.size - self.tell()))
        n = self.readinto(out)
        del out[n:]
        return bytes(out)

    def close(self) -> None:
        if not self.closed:
            self._f.close()
        super().close()

    # --- whole-file reading --------------------------------------------------------------------
    def chunks(self) -> Iterator[memoryview]:
        """Every chunk's plaintext in order, from the start, each authenticated. Two buffers take
        turns: a chunk's view stays valid while the next one is decrypted (so another thread can
        hash it meanwhile), and is overwritten by the one after. The position is left at the end."""
        self._check_open()
        spare = bytearray(self._chunk)
        for index in range(self._chunks):
            self._plain, spare = spare, self._plain
            self._loaded = -1
            self._load(index)
            yield memoryview(self._plain)[: self._plain_len]
        self._pos = self.size

    # --- inside --------------------------------------------------------------------------------
    def _load(self, index: int) -> None:
        if index == self._loaded:
            return
        last = index == self._chunks - 1
        plain_len = (self.size - index * self._chunk) if last else self._chunk
        sealed = memoryview(self._sealed)[: plain_len + TAG]
        start = HEADER_SIZE + index * (self._chunk + TAG)
        self._loaded = -1
        _read_into_exactly(self._f, sealed, at=start)
        try:
            self._aead.decrypt_into(
                _nonce(self._prefix, index, last), sealed, self._header, memoryview(self._plain)[:plain_len]
            )
        except InvalidTag:
            raise Tampered(
                f"加密文件第 {index + 1} 块校验失败：文件已被改动、截断、加长或块顺序被调换"
            ) from None
        self._loaded = index
        self._plain_len = plain_len

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")


def _read_header(f: BinaryIO) -> bytes:
    f.seek(0)
    header = b""
    while len(header) < HEADER_SIZE:
        more = f.read(HEADER_SIZE - len(header))
        if not more:
            break
        header += more
    if not is_encrypted(header):
        raise NotEncrypted("不是 FieldKit 加密文件（文件头不对）")
    if len(header) < HEADER_SIZE:
        raise Tampered("加密文件不完整（文件头被截断）")
    return header


def _read_into_exactly(f: BinaryIO, out: memoryview, *, at: int) -> None:
    f.seek(at)
    done = 0
    while done < len(out):
        n = f.readinto(out[done:])  # type: ignore[attr-defined]
        if not n:
            raise Tampered("加密文件在读取时变短了")
        done += n


def open_plain(
    path: str | os.PathLike[str], files_key: bytes, *, buffer_size: int = 64 * 1024
) -> io.BufferedReader:
    """An encrypted file's plaintext for reading, buffered and seekable; the caller closes it."""
    raw = open(path, "rb", buffering=0)  # noqa: SIM115 — owned by the reader, closed with it
    return io.BufferedReader(StreamReader(raw, files_key), buffer_size=buffer_size)


def encrypt_bytes(data: bytes, files_key: bytes, *, chunk_size: int = DEFAULT_CHUNK) -> bytes:
    """A small plaintext as one encrypted file's bytes (tests, small blobs)."""
    out = io.BytesIO()
    with StreamWriter(out, files_key, chunk_size=chunk_size) as w:
        w.write(data)
    return out.getvalue()


def decrypt_bytes(blob: bytes, files_key: bytes) -> bytes:
    """The plaintext of a whole encrypted file held in memory (small files only)."""
    with StreamReader(io.BytesIO(blob), files_key) as r:
        return r.read()
