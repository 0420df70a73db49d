"""Advisory locks on open files, to tell a file some live process is still writing from a leftover.

A process holds an exclusive lock on its temp file (a `.part`, a copy in evidence/.tmp, an
in-flight marker) while it works; the OS drops the lock when the process ends, however it ends
(kill -9, power cut). So at the next start, a leftover whose lock can be taken belongs to nobody.
"""

from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover — Windows
    import msvcrt

    def lock_fd(fd: int) -> bool:
        """Take an exclusive lock on an open file without waiting; False if another process holds it."""
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def lock_fd(fd: int) -> bool:
        """Take an exclusive lock on an open file without waiting; False if another process holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def is_abandoned(path: Path) -> bool:
    """True if no live process holds `path`'s lock (so it is a leftover); False if one does or if
    it cannot be opened to check (then it is left alone)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return lock_fd(fd)
    finally:
        os.close(fd)  # closing drops the lock we took
