"""The one cache policy of the catalog: parsed data per folder, reused while its files are unchanged."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# (path, mtime in ns, size) of each file read; a missing file or folder is (path, -1, -1)
Stamp = tuple[tuple[str, int, int], ...]
Key = tuple[str, tuple[Path, ...]]


def stamp(files: Iterable[Path]) -> Stamp:
    """What the cache compares: a file edited, added or removed changes the stamp."""
    out = []
    for path in files:
        try:
            st = path.stat()
        except FileNotFoundError:
            out.append((str(path), -1, -1))
        else:
            out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def toml_files(folder: Path) -> list[Path]:
    """The *.toml files directly in `folder`, sorted; none when it is missing."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


class Cache:
    """Parsed catalog data keyed by kind and resolved folder(s).

    An entry is reused while the stamp of its files is the same, so editing a file is seen on the next
    load at the cost of a few stat() calls; `invalidate()` drops entries for the rare edit a stamp
    cannot see (same size within the file system's time resolution) and when settings change what the
    folders are. A failed load caches nothing: the next load reads the files again.

    The program has one, `SHARED`; a test that wants to see loads happen makes its own and passes it.
    """

    def __init__(self) -> None:
        self._entries: dict[Key, tuple[Stamp, Any]] = {}
        self._lock = threading.Lock()
        self.loads = 0  # how many times a loader really read files (tests and logs)

    def get(self, kind: str, folders: tuple[Path, ...], files_stamp: Stamp, load: Callable[[], T]) -> T:
        """The cached value for (kind, folders) if its stamp is `files_stamp`, else `load()`'s, kept."""
        key = (kind, folders)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == files_stamp:
                return hit[1]  # type: ignore[no-any-return]
        value = load()  # outside the lock: parsing all forms takes a while, other kinds need not wait
        with self._lock:
            self._entries[key] = (files_stamp, value)
            self.loads += 1
        return value

    def invalidate(self, path: Path | None = None) -> None:
        """Forget everything, or only the entries read from `path` or a folder inside it or holding it."""
        with self._lock:
            if path is None:
                self._entries.clear()
                return
            target = path.resolve()
            for key in [k for k in self._entries if any(_related(f, target) for f in k[1])]:
                del self._entries[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _related(folder: Path, target: Path) -> bool:
    return folder == target or folder.is_relative_to(target) or target.is_relative_to(folder)


SHARED = Cache()
