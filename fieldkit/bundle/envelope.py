"""Optional outer layer: a whole bundle encrypted to the office's X25519 key (HKDF-SHA256, AES-256-GCM, chunked)."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.bundle._io import CHUNK, AtomicOutput
from fieldkit.bundle.errors import EnvelopeError, WrongKeyError
from fieldkit.bundle.keys import fingerprint, format_fingerprint, raw_public_bytes
from fieldkit.errors import Cancelled

MAGIC = b"FKENC1"
VERSION = 1
SUITE_X25519_HKDF_SHA256_AES256GCM = 1
# magic, version, suite, chunk size, recipient fingerprint, ephemeral public key, HKDF salt, nonce prefix
HEADER = struct.Struct(">6sBBI32s32s32s8s")
HEADER_SIZE = HEADER.size  # 116
TAG_SIZE = 16
MIN_CHUNK = 1024
MAX_CHUNK = 16 * 1024 * 1024
HKDF_INFO = b"fieldkit-bundle-envelope/1"
MAX_CHUNKS = 2**32  # the counter in the nonce is 32 bits

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class EnvelopeHeader:
    version: int
    suite: int
    chunk_size: int
    recipient_fingerprint: str  # hex SHA-256 of the office public key it was encrypted to
    ephemeral_public: bytes
    salt: bytes
    nonce_prefix: bytes
    raw: bytes  # the header's exact bytes (authenticated with every chunk)


def is_envelope(path: Path) -> bool:
    """True if the file starts with the FKENC1 magic."""
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def encrypt_bundle(
    src: Path,
    dest: Path,
    office_public_key: X25519PublicKey,
    *,
    chunk_size: int = CHUNK,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Path:
    """Encrypt `src` (a .fkb) to the office key, writing `dest` atomically; return `dest`.

    A fresh ephemeral X25519 key and a random salt give a key used for this bundle only. The
    plaintext is cut into `chunk_size` pieces, each sealed with AES-256-GCM under nonce
    `prefix ‖ counter` and associated data `header ‖ index ‖ final flag`; the last piece is always
    shorter than `chunk_size` (possibly empty) and flagged final, so truncation, reordering and any
    changed byte fail authentication. Memory holds one chunk.
    """
    report = progress or _no_progress
    is_cancelled = cancelled or _never
    try:
        src_file = open(src, "rb")  # noqa: SIM115 — closed by the with below
    except OSError as exc:
        raise EnvelopeError(f"无法读取 {src}：{exc.strerror or exc}") from exc
    total = os.fstat(src_file.fileno()).st_size
    with src_file, AtomicOutput(Path(dest)) as out:
        sealer = EnvelopeWriter(out, office_public_key, chunk_size=chunk_size)
        done = 0
        report(0, total)
        while True:
            if is_cancelled():
                raise Cancelled("已取消加密，未生成文件")
            data = _read_exact(src_file, chunk_size)
            if not data:
                break
            sealer.write(data)
            done += len(data)
            report(done, total)
        sealer.close()
    return Path(dest)


class EnvelopeWriter:
    """Encrypts what is written to it into `out` as it comes: FKENC1 header, then one sealed block
    per `chunk_size` bytes, and at close() the final (shorter, possibly empty) block.

    The plaintext never reaches `out`; memory holds at most one chunk. A writer that is never
    closed leaves a file without its final block, which decrypt refuses (truncated).
    """

    def __init__(self, out: BinaryIO, office_public_key: X25519PublicKey, *, chunk_size: int = CHUNK):
        if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
            raise EnvelopeError(f"分块大小 {chunk_size} 超出范围（{MIN_CHUNK}–{MAX_CHUNK}）")
        if not isinstance(office_public_key, X25519PublicKey):
            raise EnvelopeError("加密需要办公室的 X25519 公钥")
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = raw_public_bytes(ephemeral.public_key())
        salt = os.urandom(32)
        self._prefix = os.urandom(8)
        self._header = HEADER.pack(
            MAGIC,
            VERSION,
            SUITE_X25519_HKDF_SHA256_AES256GCM,
            chunk_size,
            bytes.fromhex(fingerprint(office_public_key)),
            ephemeral_public,
            salt,
            self._prefix,
        )
        self._aead = AESGCM(
            _derive_key(ephemeral.exchange(office_public_key), salt, ephemeral_public, office_public_key)
        )
        self._out = out
        self._chunk = chunk_size
        self._buf = bytearray()
        self._index = 0
        self._closed = False
        out.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._closed:
            raise ValueError("EnvelopeWriter is closed")
        self._buf += data
        # A full block is never the last one: the last is always shorter (DESIGN: truncation shows).
        while len(self._buf) >= self._chunk:
            self._seal(bytes(self._buf[: self._chunk]), final=False)
            del self._buf[: self._chunk]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """Seal the final block; the envelope is complete only after this."""
        if self._closed:
            return
        self._seal(bytes(self._buf), final=True)
        self._buf.clear()
        self._closed = True
        self._out.flush()

    def _seal(self, data: bytes, *, final: bool) -> None:
        if self._index >= MAX_CHUNKS:
            raise EnvelopeError("文件过大，超出加密格式的分块数上限")
        self._out.write(
            self._aead.encrypt(
                _nonce(self._prefix, self._index), data, _aad(self._header, self._index, final)
            )
        )
        self._index += 1


def read_header(f: BinaryIO) -> EnvelopeHeader:
    """Read and check the envelope header at the start of `f`."""
    raw = _read_exact(f, HEADER_SIZE)
    if not raw.startswith(MAGIC):
        if raw.startswith(b"PK\x03\x04"):
            raise EnvelopeError("这是未加密的包（ZIP），不需要解密")
        raise EnvelopeError("不是 FieldKit 加密包（缺少 FKENC1 标记）")
    if len(raw) < HEADER_SIZE:
        raise EnvelopeError("加密包不完整：文件头被截断")
    _magic, version, suite, chunk_size, recipient, ephemeral, salt, prefix = HEADER.unpack(raw)
    if version != VERSION:
        raise EnvelopeError(f"不支持的加密包版本 {version}（本程序支持 {VERSION}），请升级 FieldKit")
    if suite != SUITE_X25519_HKDF_SHA256_AES256GCM:
        raise EnvelopeError(f"不支持的加密算法编号 {suite}")
    if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
        raise EnvelopeError(f"加密包文件头中的分块大小 {chunk_size} 不合理（文件损坏或被篡改）")
    return EnvelopeHeader(version, suite, chunk_size, recipient.hex(), ephemeral, salt, prefix, raw)


def decrypt_bundle(
    src: Path,
    dest: Path,
    office_private_key: X25519PrivateKey,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Path:
    """Decrypt an FKENC1 file to `dest`; `dest` appears only if every chunk authenticated.

    Raises:
        WrongKeyError: the file was encrypted to another office key.
        EnvelopeError: not an envelope, unknown version, truncated, reordered or tampered with.
        Cancelled: the user cancelled; nothing is left behind.
    """
    if not isinstance(office_private_key, X25519PrivateKey):
        raise EnvelopeError("解密需要办公室的 X25519 私钥")
    report = progress or _no_progress
    is_cancelled = cancelled or _never
    try:
        src_file = open(src, "rb")  # noqa: SIM115 — closed by the with below
    except OSError as exc:
        raise EnvelopeError(f"无法读取 {src}：{exc.strerror or exc}") from exc
    with src_file:
        total = os.fstat(src_file.fileno()).st_size
        header = read_header(src_file)
        ours = office_private_key.public_key()
        if header.recipient_fingerprint != fingerprint(ours):
            raise WrongKeyError(
                f"密钥不对：这个包是加密给另一把办公室密钥的（指纹 {format_fingerprint(header.recipient_fingerprint)}），"
                f"所用私钥的指纹是 {format_fingerprint(fingerprint(ours))}"
            )
        try:
            shared = office_private_key.exchange(X25519PublicKey.from_public_bytes(header.ephemeral_public))
        except ValueError as exc:  # an all-zero shared secret from a low-order point
            raise EnvelopeError("加密包文件头中的临时公钥无效（文件损坏或被篡改）") from exc
        aead = AESGCM(_derive_key(shared, header.salt, header.ephemeral_public, ours))
        block = header.chunk_size + TAG_SIZE
        with AtomicOutput(Path(dest)) as out:
            index = 0
            done = HEADER_SIZE
            report(done, total)
            while True:
                if is_cancelled():
                    raise Cancelled("已取消解密，未生成文件")
                data = _read_exact(src_file, block)
                final = len(data) < block
                if final and len(data) < TAG_SIZE:
                    raise EnvelopeError(
                        f"加密包不完整：在第 {index + 1} 块处被截断（缺少结尾块），请重新拷贝"
                    )
                try:
                    plain = aead.decrypt(
                        _nonce(header.nonce_prefix, index), data, _aad(header.raw, index, final)
                    )
                except InvalidTag as exc:
                    if index == 0 and not final:
                        raise EnvelopeError("第 1 块认证失败：加密包损坏或被篡改（或文件头被改动）") from exc
                    if final:
                        raise EnvelopeError(
                            f"第 {index + 1} 块（结尾块）认证失败：加密包被截断、被改动或分块顺序被调换"
                        ) from exc
                    raise EnvelopeError(
                        f"第 {index + 1} 块认证失败：加密包损坏、被篡改或分块顺序被调换"
                    ) from exc
                out.write(plain)
                done += len(data)
                report(done, total)
                index += 1
                if final:
                    break
            if src_file.read(1):
                raise EnvelopeError("加密包结尾块之后还有多余数据（文件被改动）")
    return Path(dest)


def _derive_key(shared: bytes, salt: bytes, ephemeral_public: bytes, recipient: X25519PublicKey) -> bytes:
    # Binding both public keys into the KDF ties the key to this exchange (as in HPKE / age).
    info = HKDF_INFO + ephemeral_public + raw_public_bytes(recipient)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, 1 if final else 0)


def _read_exact(f: BinaryIO, n: int) -> bytes:
    """Read n bytes, or fewer only at end of file (pipes and network drives may return short reads)."""
    data = f.read(n)
    if len(data) == n or not data:
        return data
    parts = [data]
    got = len(data)
    while got < n:
        more = f.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _no_progress(done: int, total: int) -> None:
    pass


def _never() -> bool:
    return False
