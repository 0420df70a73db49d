"""The evidence file store: files by SHA-256 under `ab/cd/<hash>`, encrypted, streamed in, verified, never changed."""

# This is the only module that reads or writes evidence files on disk (DESIGN §8), and so the one place
# that encrypts them (issue 13.4): every stored file is AES-256-GCM in CHUNK-sized pieces
# (vault/stream.py) under the files key it is given, and its name stays the SHA-256 of the plaintext,
# the identity the records, bundles and courts use. Everything is streamed through reused buffers, so
# memory stays flat for a 20 GB body-camera video as for a 3 MB photo. A store made before encryption
# holds plaintext files; they are read as they are until encrypt_plain_files() has converted them.

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import logging
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.filelock import is_abandoned, lock_fd
from fieldkit.vault import stream

log = logging.getLogger(__name__)

CHUNK = stream.DEFAULT_CHUNK  # the unit of reading, hashing and encryption alike
TEMP_DIR = ".tmp"
# Written once no plaintext file is left (a new store: at once), so the start-up check is one stat.
ENCRYPTED_MARK = ".encrypted"
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_SHARD_RE = re.compile(r"^[0-9a-f]{2}$")
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}

# Files a camera card, a Windows or a Mac folder carries that are not evidence (compared lower-case).
SKIPPED_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"})
SKIPPED_DIRS = frozenset(
    {
        "system volume information",
        "$recycle.bin",
        "recycler",
        ".trashes",
        ".spotlight-v100",
        ".fseventsd",
        "__macosx",
    }
)
_WIN_HIDDEN = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2) | getattr(stat, "FILE_ATTRIBUTE_SYSTEM", 4)

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)
IsCancelled = Callable[[], bool]


class EvidenceFileError(FieldkitError):
    """A file could not be added to or read from the evidence store; the message says which and why."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        self.path = path
        super().__init__(message)


class SourceUnreadable(EvidenceFileError):
    """The file to add cannot be opened or read (missing, no permission, a folder, a bad card)."""


class SourceChanged(EvidenceFileError):
    """The file to add vanished or changed while it was being copied; nothing was stored."""


class DiskFull(EvidenceFileError):
    """No space left for the copy; nothing was stored."""


class StoreWriteError(EvidenceFileError):
    """The evidence store folder cannot be written (permissions, a broken disk)."""


class StoredFileMissing(EvidenceFileError):
    """No stored file has this hash (never added, or removed from the disk behind our back)."""


class InvalidHash(EvidenceFileError):
    """Not a SHA-256 in lower-case hex."""


class ContentMismatch(EvidenceFileError):
    """Bytes that were announced with a SHA-256 hash to something else."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    stored_path: Path
    existed: bool  # the same content was already in the store; nothing new was written


ProblemKind = Literal["missing", "changed", "unreadable", "unexpected"]


@dataclass(frozen=True)
class StoreProblem:
    kind: ProblemKind
    sha256: str  # the hash the file is filed under ("" for an unexpected file with no valid name)
    path: Path
    message: str  # Chinese, names the file


@dataclass(frozen=True)
class Encrypted:
    """What encrypt_plain_files() did."""

    files: int  # plaintext files now stored encrypted
    bytes: int  # their plaintext size


class EvidenceStore:
    """Evidence files by content: `<root>/ab/cd/abcd…` (DESIGN §3). Files are added, never changed.

    `key` is the files key (32 bytes, services.evidence.files_of gives it): files are stored
    encrypted with it and read back decrypted. `None` keeps files in the clear — only for measuring
    what encryption costs (bench/evidence_files.py) and for reading a store made before encryption.
    """

    def __init__(self, root: Path, key: bytes | None) -> None:
        self.root = Path(root)
        if key is not None and len(key) != 32:
            raise ValueError("the files key must be 32 bytes")
        self._key = key

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    # --- adding ------------------------------------------------------------------------------

    def add_file(
        self, src: Path, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
    ) -> StoredFile:
        """Copy `src` into the store while hashing it; the same content is stored once.

        The source is opened read-only and never written. The copy goes to a temp file inside the
        store (same file system), is fsynced, made read-only and renamed into place, so a crash or a
        cancel leaves either the whole file or nothing.

        Raises:
            SourceUnreadable, SourceChanged, DiskFull, StoreWriteError, Cancelled.
        """
        src = Path(src)
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
            fd = os.open(src, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            raise SourceUnreadable(f"找不到文件：{src}", path=src) from None
        except PermissionError:
            raise SourceUnreadable(f"没有读取权限：{src}", path=src) from None
        except OSError as exc:
            raise SourceUnreadable(f"无法打开文件 {src}（{_reason(exc)}）", path=src) from exc
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            os.close(fd)
            raise SourceUnreadable(f"不是普通文件（可能是文件夹、管道或设备）：{src}", path=src)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: back to ordinary reads
        with os.fdopen(fd, "rb", buffering=0) as f:
            with contextlib.suppress(AttributeError, OSError):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
            out_fd, tmp = self._make_temp(src, before.st_size)
            try:
                try:
                    digest, size = self._copy(f, src, out_fd, before.st_size, progress, cancelled)
                    self._check_unchanged(src, fd, before, size)
                    self._sync(out_fd, src, size)
                finally:
                    os.close(out_fd)  # before the rename: Windows cannot rename an open file
                return self._commit(tmp, digest, size)
            except BaseException:
                _discard(tmp)
                raise

    def add_stream(
        self,
        stream: BinaryIO,
        *,
        name: str,
        size: int = 0,
        expected_sha256: str | None = None,
        cancelled: IsCancelled | None = None,
    ) -> StoredFile:
        """Store bytes read from a stream (a bundle member, a rendered PDF) the same way as a file.

        With `expected_sha256`, content that hashes differently is refused and nothing is kept.
        """
        label = Path(name)
        out_fd, tmp = self._make_temp(label, size)
        try:
            try:
                digest, done = self._copy(stream, label, out_fd, size, None, cancelled)
                if expected_sha256 is not None and digest != expected_sha256.lower():
                    raise ContentMismatch(f"文件“{name}”的内容与其 SHA-256 不符，未保存", path=label)
                self._sync(out_fd, label, done)
            finally:
                os.close(out_fd)
            return self._commit(tmp, digest, done)
        except BaseException:
            _discard(tmp)
            raise

    def add_bytes(self, data: bytes, *, name: str) -> StoredFile:
        return self.add_stream(io.BytesIO(data), name=name, size=len(data))

    def _copy(
        self,
        f: BinaryIO,
        src: Path,
        out_fd: int,
        total: int,
        progress: Progress | None,
        cancelled: IsCancelled | None,
    ) -> tuple[str, int]:
        """Read `f` in whole chunks, hash each (on the hashing thread, while the next one is read and
        the one before is encrypted and written) and write it to `out_fd`: (sha256, bytes)."""
        h = hashlib.sha256()
        sink = _FdSink(self, out_fd, src, total)
        writer = None if self._key is None else stream.StreamWriter(sink, self._key, chunk_size=CHUNK)
        buffers = (memoryview(bytearray(CHUNK)), memoryview(bytearray(CHUNK)))
        pending: memoryview | None = None  # read and hashing, not yet written: the last one or not?
        hashing: Future[None] | None = None
        done = turn = 0
        if progress:
            progress(0, total)
        while True:
            if cancelled is not None and cancelled():
                if hashing is not None:
                    hashing.result()
                raise Cancelled(f"已取消添加文件：{src.name}")
            view = buffers[turn]
            turn ^= 1
            # A chunk is read whole (or up to the end): only the last may be short, which is also what
            # the encrypted format needs. A short read ends the copy; a source that grew after it is
            # caught by _check_unchanged.
            n = 0 if pending is not None and len(pending) < CHUNK else self._read_full(f, view, src)
            if pending is not None:
                self._put(writer, sink, pending, last=n == 0)
            if hashing is not None:
                hashing.result()  # before the buffer it reads is filled again
                hashing = None
            if n == 0:
                break
            pending = view[:n]
            if n < CHUNK and done == 0:
                h.update(pending)  # a small file: one chunk, nothing to overlap with
            else:
                hashing = _hasher().submit(h.update, pending)
            done += n
            if progress:
                progress(done, max(total, done))
        if pending is None and writer is not None:
            writer.seal(b"", last=True)  # an empty file: one empty, sealed chunk
        return h.hexdigest(), done

    @staticmethod
    def _read_full(f: BinaryIO, view: memoryview, src: Path) -> int:
        n = 0
        while n < len(view):
            try:
                got = f.readinto(view[n:])  # type: ignore[attr-defined]
            except OSError as exc:
                raise SourceUnreadable(
                    f"读取文件 {src} 时出错（{_reason(exc)}），文件可能已被移除或存储卡已拔出", path=src
                ) from exc
            if not got:
                break
            n += got
        return n

    @staticmethod
    def _put(writer: stream.StreamWriter | None, sink: _FdSink, chunk: memoryview, *, last: bool) -> None:
        if writer is None:
            sink.write(chunk)
        else:
            writer.seal(chunk, last=last)

    def _check_unchanged(self, src: Path, fd: int, before: os.stat_result, size: int) -> None:
        # A file being written (a camera still saving, a video still recording) or replaced during the
        # copy would give a hash of something that never existed as a whole: refuse it.
        after = os.fstat(fd)
        try:
            now = os.stat(src)
        except FileNotFoundError:
            raise SourceChanged(f"文件在复制过程中被移除：{src}", path=src) from None
        except OSError as exc:
            raise SourceChanged(f"文件在复制过程中变得无法访问（{_reason(exc)}）：{src}", path=src) from exc
        # Some file systems report no inode number (0); then only size and time can tell.
        same_file = not (now.st_ino and before.st_ino) or (now.st_dev, now.st_ino) == (
            before.st_dev,
            before.st_ino,
        )
        unchanged = size == before.st_size == after.st_size and after.st_mtime_ns == before.st_mtime_ns
        if not same_file:
            raise SourceChanged(f"文件在复制过程中被替换：{src}", path=src)
        if not unchanged:
            raise SourceChanged(f"文件在复制过程中被修改，请等写入完成后重新添加：{src}", path=src)

    def _write_all(self, out_fd: int, data: memoryview, src: Path, total: int) -> None:
        while data:
            try:
                written = os.write(out_fd, data)
            except OSError as exc:
                raise self._write_error(exc, src, total) from exc
            data = data[written:]

    def _sync(self, out_fd: int, src: Path, size: int) -> None:
        try:
            os.fsync(out_fd)
        except OSError as exc:
            raise self._write_error(exc, src, size) from exc

    def _write_error(self, exc: OSError, src: Path, size: int) -> EvidenceFileError:
        if exc.errno in _DISK_FULL:
            return DiskFull(
                f"磁盘空间不足，无法保存证据文件“{src.name}”（{_megabytes(size)}），请清理磁盘后重试",
                path=src,
            )
        return StoreWriteError(f"无法写入证据库 {self.root}（{_reason(exc)}）", path=src)

    def _make_temp(self, src: Path, size: int) -> tuple[int, Path]:
        tmp_dir = self.root / TEMP_DIR
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            out_fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="add-", suffix=".part")
        except OSError as exc:
            raise self._write_error(exc, src, size) from exc
        lock_fd(out_fd)  # held while we copy: discard_temp_files() leaves a locked copy alone
        return out_fd, Path(name)

    def _commit(self, tmp: Path, digest: str, size: int) -> StoredFile:
        dest = self.path_of(digest)
        try:
            if self._holds(dest, size):
                _discard(tmp)
                _touch(dest)
                return StoredFile(digest, size, dest, existed=True)
            os.chmod(tmp, _READ_ONLY)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                # Same name, wrong size: the stored copy was damaged (or is a plaintext copy of a
                # store made before encryption). The new copy has the hash the name promises, so
                # putting it in place restores the evidence.
                log.warning("replacing damaged or plaintext stored file %s", dest)
                os.chmod(dest, stat.S_IWUSR | _READ_ONLY)  # Windows refuses to replace a read-only file
            os.replace(tmp, dest)
        except OSError as exc:
            if self._holds(dest, size):  # another worker stored the same content a moment earlier
                _discard(tmp)
                return StoredFile(digest, size, dest, existed=True)
            _discard(tmp)
            raise self._write_error(exc, tmp, size) from exc
        _fsync_dir(dest.parent)
        return StoredFile(digest, size, dest, existed=False)

    def _holds(self, dest: Path, size: int) -> bool:
        """A stored file of the size a copy of `size` plaintext bytes has in this store."""
        try:
            return dest.stat().st_size == self._disk_size(size)
        except OSError:
            return False

    def _disk_size(self, size: int) -> int:
        return size if self._key is None else stream.encrypted_size(size, CHUNK)

    # --- reading -----------------------------------------------------------------------------

    def path_of(self, sha256: str) -> Path:
        """Where a file with this hash is (or would be) stored: `<root>/ab/cd/abcd…`."""
        if not isinstance(sha256, str) or not _HASH_RE.match(sha256):
            raise InvalidHash(f"不是有效的 SHA-256 值：{sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def size_of(self, sha256: str) -> int:
        """The stored file's size as it was added (its plaintext), not its size on disk."""
        with self.open(sha256) as f:
            return f.seek(0, io.SEEK_END)

    def open(self, sha256: str) -> BinaryIO:
        """The stored file for reading (binary, seekable, the plaintext); the caller closes it.

        Every byte read from an encrypted file has been authenticated; a changed, cut or extended
        file raises vault.stream.StreamError (an OSError) when the damaged part is read.
        """
        path = self.path_of(sha256)
        try:
            return self._open_path(path)
        except FileNotFoundError:
            raise StoredFileMissing(f"证据库中缺少文件 {sha256}", path=path) from None
        except stream.StreamError as exc:
            raise EvidenceFileError(f"无法读取证据文件 {sha256}（{exc}）", path=path) from exc
        except OSError as exc:
            raise EvidenceFileError(f"无法读取证据文件 {sha256}（{_reason(exc)}）", path=path) from exc

    def _open_path(self, path: Path) -> BinaryIO:
        raw = path.open("rb", buffering=0)
        try:
            head = raw.read(len(stream.MAGIC))
            raw.seek(0)
        except BaseException:
            raw.close()
            raise
        if not stream.is_encrypted(head):
            return io.BufferedReader(raw)  # a plaintext file of a store made before encryption
        if self._key is None:
            raw.close()
            raise stream.WrongKey("证据文件已加密，需要登录后才能读取")
        return io.BufferedReader(stream.StreamReader(raw, self._key), buffer_size=64 * 1024)

    def iter_hashes(self) -> Iterator[str]:
        """The hash of every stored file, in sorted order (temp files and strays are left out)."""
        for _sha, path in self._walk():
            if path is not None:
                yield _sha

    def verify(self, sha256: str) -> bool:
        """Decrypt (checking every chunk's tag) and re-hash the stored file; False if it is missing,
        unreadable, fails authentication or no longer matches its name."""
        try:
            return self._hash_path(self.path_of(sha256)) == sha256
        except OSError:
            return False

    def verify_all(
        self,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
        *,
        expected: Iterable[str] = (),
    ) -> list[StoreProblem]:
        """Re-hash every stored file; report changed, unreadable and unexpected files, and `expected`
        hashes (e.g. every hash the database refers to) that have no file. Empty list: all is well.

        Raises:
            Cancelled: `cancelled()` turned true; nothing is reported for a half-done check.
        """
        entries: list[tuple[str, Path, int]] = []
        problems: list[StoreProblem] = []
        for sha, path in self._walk(include_strays=True):
            if path is None:
                continue
            if not sha:
                problems.append(StoreProblem("unexpected", "", path, f"证据库中有无法识别的文件：{path}"))
                continue
            try:
                entries.append((sha, path, self._plain_size(path)))
            except stream.StreamError as exc:
                problems.append(_tampered(sha, path, exc))
            except OSError as exc:
                problems.append(_unreadable(sha, path, exc))
        stored = {sha for sha, _path, _size in entries}
        for sha in sorted(set(expected) - stored):
            path = self.path_of(sha)
            if not any(p.path == path for p in problems):
                problems.append(StoreProblem("missing", sha, path, f"证据文件缺失：{sha}（应在 {path}）"))

        total = sum(size for _sha, _path, size in entries)
        done = 0
        if progress:
            progress(0, total)
        for sha, path, size in entries:
            base = done

            def on_bytes(n: int, base: int = base) -> None:
                if progress:
                    progress(min(base + n, total), total)

            try:
                actual = self._hash_path(path, on_bytes, cancelled)
            except stream.StreamError as exc:
                problems.append(_tampered(sha, path, exc))
            except OSError as exc:
                problems.append(_unreadable(sha, path, exc))
            else:
                if actual != sha:
                    problems.append(
                        StoreProblem(
                            "changed", sha, path, f"证据文件已被改动：{sha}（现内容的哈希为 {actual}）"
                        )
                    )
            done = base + size
        problems.sort(key=lambda p: (str(p.path), p.kind))
        return problems

    def _plain_size(self, path: Path) -> int:
        """The plaintext size of a stored file, from its size on disk (and its header's chunk size)."""
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(stream.HEADER_SIZE)
        if not stream.is_encrypted(head):
            return size
        return stream.plain_size_of(size, stream.chunk_size_of(head))

    def _hash_path(
        self, path: Path, on_bytes: Callable[[int], None] | None = None, cancelled: IsCancelled | None = None
    ) -> str:
        """SHA-256 of a stored file's plaintext; an encrypted file is authenticated chunk by chunk
        and as a whole. Each chunk is hashed on the hashing thread while the next is read (and
        decrypted): the pieces come from two buffers that take turns."""
        h = hashlib.sha256()
        done = 0
        hashing: Future[None] | None = None
        with self._open_path(path) as f:
            raw = f.raw  # type: ignore[attr-defined]
            pieces = raw.chunks() if isinstance(raw, stream.StreamReader) else _plain_pieces(raw)
            try:
                for piece in pieces:
                    if hashing is not None:
                        hashing.result()
                    if cancelled is not None and cancelled():
                        raise Cancelled("已取消校验证据文件")
                    hashing = _hasher().submit(h.update, piece)
                    done += len(piece)
                    if on_bytes:
                        on_bytes(done)
            finally:
                if hashing is not None:
                    hashing.result()
        return h.hexdigest()

    # --- encrypting a store made before encryption ----------------------------------------------

    def plain_files_left(self) -> bool:
        """True unless the store is known to hold only encrypted files (one stat when it is)."""
        return self._key is not None and not (self.root / ENCRYPTED_MARK).exists()

    def encrypt_plain_files(
        self, progress: Progress | None = None, cancelled: IsCancelled | None = None
    ) -> Encrypted:
        """Encrypt, in place, every stored file still in the clear (a store made before issue 13).

        Each file is streamed into an encrypted temp copy while its plaintext is hashed, the copy
        is fsynced and renamed over the plaintext file: a crash leaves either file whole (the temp
        copy is swept at the next start) and the next run goes on where this one stopped. Safe
        while adds run. Progress counts plaintext bytes of the files to convert.

        Raises:
            Cancelled: `cancelled()` turned true; what was converted stays converted.
            DiskFull, StoreWriteError: no room or no permission for the copy.
        """
        if self._key is None:
            raise ValueError("a store without a key cannot encrypt")
        todo: list[tuple[str, Path, int]] = []
        for sha, path in self._walk():
            assert path is not None
            try:
                with path.open("rb") as f:
                    head = f.read(len(stream.MAGIC))
                if not stream.is_encrypted(head):
                    todo.append((sha, path, path.stat().st_size))
            except OSError as exc:
                log.warning("cannot look at stored file %s: %s", path, exc)
        total = sum(size for _s, _p, size in todo)
        done = files = 0
        if progress:
            progress(0, total)
        for sha, path, size in todo:
            if cancelled is not None and cancelled():
                raise Cancelled("已取消加密证据文件")
            self._encrypt_one(sha, path, size, cancelled)
            done += size
            files += 1
            if progress:
                progress(done, total)
        if not any(True for _ in self._plain_paths()):
            self._mark_encrypted()
        return Encrypted(files, done)

    def _plain_paths(self) -> Iterator[Path]:
        for _sha, path in self._walk():
            assert path is not None
            try:
                with path.open("rb") as f:
                    if not stream.is_encrypted(f.read(len(stream.MAGIC))):
                        yield path
            except OSError:
                yield path  # unknown: not marked as all encrypted

    def _encrypt_one(self, sha: str, path: Path, size: int, cancelled: IsCancelled | None) -> None:
        try:
            src = path.open("rb", buffering=0)
        except FileNotFoundError:
            return  # removed meanwhile (an orphan sweep)
        with src:
            out_fd, tmp = self._make_temp(path, size)
            try:
                try:
                    digest, done = self._copy(src, path, out_fd, size, None, cancelled)
                    self._sync(out_fd, path, done)
                finally:
                    os.close(out_fd)
                if digest != sha:
                    # Damaged before it was encrypted: kept (encrypted) as it is, so that verify
                    # still reports it as changed and nothing is lost or hidden.
                    log.warning("stored file %s did not match its hash before encryption", path)
                os.chmod(tmp, _READ_ONLY)
                with contextlib.suppress(OSError):
                    os.chmod(path, stat.S_IWUSR | _READ_ONLY)  # Windows refuses to replace a read-only file
                os.replace(tmp, path)
            except BaseException:
                _discard(tmp)
                raise
        _fsync_dir(path.parent)

    def _mark_encrypted(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / ENCRYPTED_MARK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, b"1\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            log.warning("cannot mark %s as encrypted: %s", self.root, exc)

    def discard_temp_files(self) -> int:
        """Remove every copy in the temp folder; call only when no add is running. Returns how many."""
        tmp_dir = self.root / TEMP_DIR
        if not tmp_dir.is_dir():
            return 0
        count = 0
        for path in tmp_dir.iterdir():
            _discard(path)
            count += 1
        return count

    def sweep_temp_files(self, *, older_than: float = 60.0) -> tuple[int, int]:
        """Remove copies left half-done by a killed process: those no live process holds locked
        and not touched for `older_than` seconds. Safe while other adds run. Returns (files, bytes)."""
        tmp_dir = self.root / TEMP_DIR
        if not tmp_dir.is_dir():
            return 0, 0
        count = size = 0
        now = time.time()
        for path in tmp_dir.iterdir():
            try:
                st = path.lstat()
            except OSError:
                continue
            if now - st.st_mtime < older_than or not is_abandoned(path):
                continue
            _discard(path)
            count += 1
            size += st.st_size
        return count, size

    def orphans(self, referenced: Callable[[], set[str]]) -> list[tuple[Path, float]]:
        """Stored files no record refers to (left by a process killed between storing a file and
        committing its record), with their age in seconds. `referenced` gives every hash any
        record mentions."""
        known = referenced()
        now = time.time()
        found: list[tuple[Path, float]] = []
        for sha, path in self._walk():
            assert path is not None
            if sha in known:
                continue
            try:
                found.append((path, now - path.stat().st_mtime))
            except OSError:
                continue
        return found

    def remove_orphan(self, path: Path) -> int:
        """Delete one stored file found by orphans(); returns its size (0 if it was already gone)."""
        try:
            size = path.stat().st_size
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IWUSR | _READ_ONLY)  # Windows will not delete a read-only file
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def _walk(self, *, include_strays: bool = False) -> Iterator[tuple[str, Path | None]]:
        """(hash, path) of each stored file in order; with `include_strays`, ("", path) for others."""
        if not self.root.is_dir():
            return
        for top in _sorted_dirs(self.root):
            if not _SHARD_RE.match(top.name):
                continue
            for sub in _sorted_dirs(top):
                if not _SHARD_RE.match(sub.name):
                    continue
                for entry in sorted(os.scandir(sub), key=lambda e: e.name):
                    name = entry.name
                    if (
                        entry.is_file(follow_symlinks=False)
                        and _HASH_RE.match(name)
                        and name[:2] == top.name
                        and name[2:4] == sub.name
                    ):
                        yield name, Path(entry.path)
                    elif include_strays:
                        yield "", Path(entry.path)


def _touch(path: Path) -> None:
    """Mark a stored file as just used (a re-add of the same content), so the orphan sweep of
    another process does not take it in the moment before its new record is committed."""
    with contextlib.suppress(OSError):
        os.utime(path)


def scan_folder(folder: Path) -> list[Path]:
    """Every file under `folder` (a camera card, a download folder), sorted, without hidden and
    system files (Thumbs.db, .DS_Store, desktop.ini, ._* and the like) or symbolic links.

    Raises:
        SourceUnreadable: the folder, or a folder inside it, cannot be read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceUnreadable(f"文件夹不存在或无法访问：{folder}", path=folder)
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            raise SourceUnreadable(f"无法读取文件夹 {current}（{_reason(exc)}）", path=current) from exc
        for entry in entries:
            if _is_hidden(entry):
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name.lower() not in SKIPPED_DIRS:
                    pending.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and entry.name.lower() not in SKIPPED_FILES:
                found.append(Path(entry.path))
    return sorted(found)


def _is_hidden(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith("."):  # .DS_Store, ._IMG_0001.JPG (macOS resource forks), .Trashes
        return True
    try:
        attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & _WIN_HIDDEN)


def _plain_pieces(f: BinaryIO) -> Iterator[memoryview]:
    """A plain file in chunks, from two buffers that take turns (as StreamReader.chunks())."""
    buffers = (memoryview(bytearray(CHUNK)), memoryview(bytearray(CHUNK)))
    turn = 0
    while n := f.readinto(buffers[turn]):  # type: ignore[attr-defined]
        yield buffers[turn][:n]
        turn ^= 1


_HASHER: ThreadPoolExecutor | None = None
_HASHER_LOCK = threading.Lock()


def _hasher() -> ThreadPoolExecutor:
    """Threads that hash while the caller reads, encrypts and writes: hashlib lets go of the GIL for
    big buffers, so SHA-256 runs on another core instead of adding to the copy's time. Shared by
    every store; each copy waits only for its own chunk."""
    global _HASHER
    with _HASHER_LOCK:
        if _HASHER is None:
            _HASHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fieldkit-hash")
        return _HASHER


class _FdSink:
    """Writes everything it is given to the temp copy's descriptor, naming a full disk as such."""

    def __init__(self, store: EvidenceStore, fd: int, src: Path, total: int) -> None:
        self._store, self._fd, self._src, self._total = store, fd, src, total

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data)
        self._store._write_all(self._fd, view, self._src, self._total)
        return len(view)


def _unreadable(sha: str, path: Path, exc: OSError) -> StoreProblem:
    return StoreProblem("unreadable", sha, path, f"证据文件无法读取：{sha}（{_reason(exc)}）")


def _tampered(sha: str, path: Path, exc: stream.StreamError) -> StoreProblem:
    if isinstance(exc, stream.WrongKey):
        return StoreProblem("unreadable", sha, path, f"证据文件无法解密：{sha}（{exc}）")
    return StoreProblem("changed", sha, path, f"证据文件已被改动：{sha}（{exc}）")


def _sorted_dirs(folder: Path) -> list[Path]:
    with os.scandir(folder) as it:
        return sorted((Path(e.path) for e in it if e.is_dir(follow_symlinks=False)), key=lambda p: p.name)


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except PermissionError:  # Windows will not delete a read-only file
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IWUSR | _READ_ONLY)
            path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove temp file %s: %s", path, exc)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable on POSIX; Windows cannot open a folder this way and needs no such step.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
