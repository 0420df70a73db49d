"""Typed errors shared by every layer (no Qt, no SQL)."""

from __future__ import annotations

from collections.abc import Sequence

from fieldkit.domain.problems import Problem
from fieldkit.syslibs import missing_library_message


class FieldkitError(Exception):
    """Base of every error FieldKit raises on purpose; its message is Chinese and user-facing."""


class ValidationFailed(FieldkitError):
    """Input was refused; carries every problem found, each naming its field."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in self.problems))


class NotFound(FieldkitError):
    """A record that was asked for does not exist (or was deleted)."""


class NotSetUp(FieldkitError):
    """The data dir has no agency/officers yet: run the first-run setup."""


class ImportFileError(FieldkitError):
    """An import file cannot be read at all (wrong format, unreadable, no header)."""


class StoreError(FieldkitError):
    """The local database cannot be opened or migrated."""


class Cancelled(FieldkitError):
    """Long work stopped at the user's request; nothing of it was kept."""


class StoreUnavailable(FieldkitError):
    """The data dir or database cannot be written right now (disk full, read-only, locked)."""


# errno values, spelled out so this module needs no OS-specific import.
_ENOSPC, _EDQUOT, _EROFS, _EACCES, _EPERM, _EIO = 28, 122, 30, 13, 1, 5


def environment_problem(exc: BaseException) -> str | None:
    """A Chinese sentence for a failure of the machine rather than of FieldKit — disk full,
    read-only or locked data, no permission — or None if `exc` is not one.

    Recognises OSError by errno and SQLite's errors (wrapped by SQLAlchemy or not) by their text,
    so that no layer has to show a user "database is locked" or a traceback.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = _describe(current)
        if text is not None:
            return text
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def _describe(exc: BaseException) -> str | None:
    if (library := missing_library_message(exc)) is not None:  # e.g. QtCore without GLib
        return library
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f"（{exc.filename}）" if exc.filename else ""
        if exc.errno in (_ENOSPC, _EDQUOT):
            return f"磁盘空间已满{where}：请清理磁盘或换一个位置后再试；已保存的内容不受影响"
        if exc.errno == _EROFS:
            return f"数据所在的磁盘是只读的{where}：可以查看、校验和导出到其他磁盘，但不能保存修改"
        if exc.errno in (_EACCES, _EPERM):
            return f"没有写入权限{where}：请检查数据目录的权限；可以查看，但不能保存修改"
        if exc.errno == _EIO:
            return f"磁盘读写出错{where}：磁盘可能已损坏或被拔出，请检查后再试"
        return None
    message = str(exc).lower()
    if "database is locked" in message or "database table is locked" in message:
        return "数据库正被另一个 FieldKit 窗口或命令占用（正在导入或保存），请稍候再试；未做任何修改"
    if "readonly database" in message or ("read-only" in message and "database" in message):
        return "数据目录是只读的：可以查看、校验和导出到其他磁盘，但不能保存修改"
    if "database or disk is full" in message:
        return "磁盘空间已满：请清理磁盘后再试；已保存的内容不受影响"
    if "disk i/o error" in message:
        return "磁盘读写出错：磁盘可能已满、已损坏或被拔出，请检查后再试"
    return None


class EditConflict(FieldkitError):
    """A save started from a version someone else has since changed: nothing was saved (no lost update)."""

    def __init__(self, message: str, *, current_version: int):
        self.current_version = current_version
        super().__init__(message)


class ForeignRecord(FieldkitError):
    """The record was made by another device and imported here: only that device may change it (issue 11.1)."""
