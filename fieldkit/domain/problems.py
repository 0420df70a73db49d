"""A problem found by a validator: which field, what rule, how bad, and the Chinese message."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"  # refuses the input
    WARNING = "warning"  # the officer may override with a reason


@dataclass(frozen=True)
class Problem:
    field: str  # the field's key, e.g. "uscc"
    code: str  # machine-readable rule id, e.g. "uscc.check_char"
    message: str  # Chinese, names the field: "统一社会信用代码：校验位应为 K，实为 3"
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]
