"""Streaming helpers shared by writer, reader and envelope: atomic output, fsync, background hashing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol

from fieldkit.bundle.errors import BundleError
from fieldkit.filelock import is_abandoned, lock_fd

CHUNK = 1 << 20  # 1 MiB: big enough to amortise calls, small enough to keep memory flat


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (POSIX); a no-op where directories cannot be opened."""
    if os.name != "posix":  # Windows: no fsync on directories; NTFS journals the rename itself
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicOutput:
    """Write `<final>.part` next to `final`; on success fsync and rename it, on any exception remove it.

    Never overwrites: if `final` already exists the write is refused before anything is written.
    """

    def __init__(self, final: Path):
        self.final = Path(final)
        self.part = self.final.with_name(self.final.name + ".part")
        self._file: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        if self.final.exists():
            raise BundleError(f"目标文件 {self.final} 已存在，不会覆盖")
        try:
            self._file = open(self.part, "xb")
        except FileExistsError as exc:
            raise BundleError(f"临时文件 {self.part} 已存在（另一个导出正在进行？）") from exc
        except OSError as exc:
            raise BundleError(f"无法在 {self.final.parent} 写入：{exc.strerror or exc}") from exc
        lock_fd(self._file.fileno())  # while held, discard_abandoned_parts() leaves this .part alone
        return self._file

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        f = self._file
        assert f is not None
        if exc_type is not None:
            self._discard(f)
            return
        try:
            f.flush()
            os.fsync(f.fileno())
            f.close()
            if self.final.exists():
                raise BundleError(f"目标文件 {self.final} 已存在，不会覆盖")
            os.rename(self.part, self.final)
            fsync_dir(self.final.parent)
        except BaseException:
            self._discard(f)
            raise

    def _discard(self, f: BinaryIO) -> None:
        with contextlib.suppress(OSError):
            f.close()
        with contextlib.suppress(OSError):
            self.part.unlink()


def discard_abandoned_parts(
    directory: Path, pattern: str = "fieldkit-*.part", *, older_than: float = 600.0
) -> int:
    """Remove `.part` files a killed export or decrypt left in `directory`: no live process holds
    their lock and none was written to for `older_than` seconds (on a shared network folder
    another computer's lock is not seen, but its export keeps the file's time fresh). Returns
    how many."""
    count = 0
    try:
        parts = sorted(Path(directory).glob(pattern))
    except OSError:
        return 0
    now = time.time()
    for part in parts:
        try:
            stale = now - part.lstat().st_mtime >= older_than
        except OSError:
            continue
        if stale and part.is_file() and not part.is_symlink() and is_abandoned(part):
            with contextlib.suppress(OSError):
                part.unlink()
                count += 1
    return count


class Sink(Protocol):
    def write(self, data: bytes) -> int: ...
    def flush(self) -> None: ...


class HoldBack:
    """A seekable front for an append-only sink (an encrypting writer), for zipfile.

    zipfile writes a member's data and then seeks back once to its local header to fill in the
    CRC and sizes; it never goes back further than the member being written. So the bytes of the
    current member are held here (in memory up to `memory` bytes, then in an unnamed temp file in
    `spill_dir`, which vanishes with the process even after kill -9) and passed on to the sink by
    release(), which the writer calls between members. What reaches the sink is final.
    """

    def __init__(self, sink: Sink, spill_dir: Path | None = None, memory: int = 8 * CHUNK):
        self._sink = sink
        self._held = tempfile.SpooledTemporaryFile(  # noqa: SIM115 — closed in close()
            max_size=memory, dir=None if spill_dir is None else str(spill_dir)
        )
        self._base = 0  # offset of the first held byte
        self._pos = 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        end = self._base + self._held_size()
        target = {0: offset, 1: self._pos + offset, 2: end + offset}[whence]
        if not self._base <= target <= end:
            raise OSError(f"cannot seek to {target}: bytes before {self._base} are already passed on")
        self._held.seek(target - self._base)
        self._pos = target
        return target

    def write(self, data: bytes | bytearray | memoryview) -> int:
        n = self._held.write(data)
        self._pos += n
        return n

    def flush(self) -> None:
        pass

    def release(self, *, at_least: int = CHUNK) -> None:
        """Pass every byte written so far on to the sink (all of it is final now); with `at_least`,
        only once that much is held (fewer, bigger writes)."""
        size = self._held_size()
        if size < at_least or size == 0:
            self._held.seek(self._pos - self._base)
            return
        self._held.seek(0)
        while chunk := self._held.read(CHUNK):
            self._sink.write(chunk)
        self._held.seek(0)
        self._held.truncate()
        self._base += size
        self._pos = self._base
        self._sink.flush()

    def close(self) -> None:
        self._held.close()

    def _held_size(self) -> int:
        here = self._held.tell()
        size = self._held.seek(0, 2)
        self._held.seek(here)
        return size


class BackgroundSync:
    """Flushes a file being written to disk from a helper thread every `every` bytes.

    Without it, the final fsync of a 1 GB bundle waits for the whole gigabyte to reach the disk
    after all the hashing is done; with it, the disk writes while the next files are hashed, and
    the final fsync only waits for the tail. A flush still running when the next is due is skipped.
    """

    def __init__(self, fileno: int, every: int = 64 * CHUNK):
        self._fileno = fileno
        self._every = every
        self._pending = 0
        self._wake = threading.Event()
        self._done = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="fieldkit-fsync", daemon=True)
        self._thread.start()

    def wrote(self, n: int) -> None:
        self._pending += n
        if self._pending >= self._every and not self._busy:
            self._pending = 0
            self._busy = True
            self._wake.set()

    def _run(self) -> None:
        sync = getattr(os, "fdatasync", os.fsync)
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._done:
                return
            # An error here (disk full…) shows up again at the final fsync, where it is reported.
            with contextlib.suppress(OSError):
                sync(self._fileno)
            self._busy = False

    def close(self) -> None:
        self._done = True
        self._wake.set()
        self._thread.join()

    def __enter__(self) -> BackgroundSync:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_STOP = object()


class HashWorker:
    """Runs SHA-256 updates on a helper thread so hashing overlaps reading, CRC and writing.

    hashlib and zlib release the GIL on large buffers, so on two cores SHA-256 of chunk n runs
    while chunk n+1 is read and written. The queue is short, so memory stays at a few chunks.
    """

    def __init__(self, depth: int = 4):
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="fieldkit-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                h, chunk = item  # type: ignore[misc]
                h.update(chunk)
            finally:
                self._queue.task_done()

    def update(self, h: hashlib._Hash, chunk: bytes) -> None:
        """Queue `chunk` for `h`; chunks of one hash are applied in the order given."""
        self._queue.put((h, chunk))

    def hexdigest(self, h: hashlib._Hash) -> str:
        """Wait until every queued chunk is hashed, then return `h`'s digest."""
        self._queue.join()
        return h.hexdigest()

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()

    def __enter__(self) -> HashWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
