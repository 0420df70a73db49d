"""Inspection check-item lists (检查事项) per regulatory domain, and the result recorded per item."""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.domain.coded import Coded


class CheckResult(Coded):
    """What the officer records against one check item on site."""

    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NOT_APPLICABLE = "not_applicable", "不涉及"


@dataclass(frozen=True)
class CheckItem:
    """One thing to check, e.g. 是否取得食品经营许可证.

    `code` is stored with every inspection result, so it never changes once a list has been used;
    wording (`text`, `basis`, `hint`) may be corrected freely.
    """

    code: str  # unique within its domain, e.g. "SP-01"
    group: str  # heading the item is shown under, e.g. "经营资质"
    text: str  # the question, in Chinese
    basis: str = ""  # legal basis, e.g. "《食品安全法》第三十五条"
    hint: str = ""  # what to look at on site


@dataclass(frozen=True)
class ChecklistDomain:
    """The check items of one domain (食品经营, 特种设备使用, …), in the order they are shown."""

    id: str  # ASCII, equal to the file stem: "food_business"
    name: str  # "食品经营"
    order: int  # sort key in the UI; ties broken by id
    version: str  # edition of the list, stored with inspections, e.g. "2026.1"
    description: str
    basis: str  # laws and rules the whole list rests on
    items: tuple[CheckItem, ...]

    @property
    def groups(self) -> tuple[str, ...]:
        """Group headings in the order they first appear."""
        return tuple(dict.fromkeys(item.group for item in self.items))

    def items_in_group(self, group: str) -> tuple[CheckItem, ...]:
        return tuple(item for item in self.items if item.group == group)

    def item(self, code: str) -> CheckItem:
        """The item with this code; KeyError if the list has none (e.g. an old code from another edition)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)
