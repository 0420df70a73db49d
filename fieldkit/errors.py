"""Typed errors shared by every layer (no Qt, no SQL)."""

from __future__ import annotations

from collections.abc import Sequence

from fieldkit.domain.problems import Problem


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
