"""Pre-fill sources: which `source =` keys a form may name, which matter kinds fill them, and what an
inspection already knows, worded for the documents made from it (pure).

A form field names a source such as `subject.name` or `inspection.findings`. The keys are grouped by
their prefix (the part before the first dot); each group is filled by one provider in services/prefill.py
for the matter kinds it serves (`kinds`; None: any matter, or none at all). A new kind of matter adds
its group here and its provider there; the forms keep their keys.

A 现场笔录 made from an inspection starts with its 检查情况 and the items found 不符合, the measures already
taken ticked; a 责令改正通知书 or 当场处罚决定书 starts with the violations and the provisions they break. The
officer edits instead of retyping (the `inspection` provider puts these under `inspection.*`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fieldkit.domain.inspections import Outcome
from fieldkit.domain.matters import MatterKind


@dataclass(frozen=True)
class SourceGroup:
    """The source keys under one prefix and the matter kinds whose documents they can be filled for."""

    prefix: str
    keys: frozenset[str]
    kinds: frozenset[MatterKind] | None = None  # None: filled for any matter (or without one)
    needs_matter: bool = True  # False: filled for a document of no matter too (agency, today)

    def serves(self, kind: MatterKind | None) -> bool:
        if kind is None:
            return not self.needs_matter
        return self.kinds is None or kind in self.kinds


def _group(prefix: str, names: Iterable[str], **kw: object) -> SourceGroup:
    keys = frozenset(prefix if n == "" else f"{prefix}.{n}" for n in names)
    return SourceGroup(prefix, keys, **kw)  # type: ignore[arg-type]


GROUPS: dict[str, SourceGroup] = {
    g.prefix: g
    for g in (
        _group("agency", ("name", "government", "address", "contact_phone"), needs_matter=False),
        _group("today", ("",), needs_matter=False),
        _group(
            "subject",
            (
                "name",
                "party_type",
                "license_name",
                "uscc",
                "address",
                "legal_rep",
                "id_no",
                "phone",
                "other_contact",
            ),
        ),
        # The officers the matter recorded (an inspection's snapshot of that day), for any kind.
        _group("officers", ("all", "recorder", "contact")),
        _group(
            "inspection",
            (
                "place",
                "start_at",
                "end_at",
                "matter",
                "findings",  # 检查情况 and the items found 不符合 (findings_text below)
                "violations",
                "violated",
                "measures",
                "correction_mode",
                "rectify_deadline",
                "outcome_note",
            ),
            kinds=frozenset({MatterKind.INSPECTION}),
        ),
    )
}
# Keys the forms already name, kept working, for the group that now fills them.
ALIASES: dict[str, str] = {
    "inspection.officers": "officers.all",
    "inspection.recorder": "officers.recorder",
    "agency.contact_person": "officers.contact",
}
# Filled by the service that makes the document, not from a matter: the document a 送达回证 serves.
CALLER_SOURCES: frozenset[str] = frozenset({"document.number", "document.title"})


def known_sources() -> frozenset[str]:
    """Every key a form definition may name as its `source` (printing/formdefs checks them on load)."""
    return frozenset().union(*(g.keys for g in GROUPS.values()), ALIASES, CALLER_SOURCES)


def with_aliases(values: dict[str, object]) -> dict[str, object]:
    """The provided values with the older keys (ALIASES) filled from the keys that replaced them."""
    out = dict(values)
    out.update({alias: values[key] for alias, key in ALIASES.items() if key in values})
    return out


@dataclass(frozen=True)
class FailedCheck:
    """A check item found 不符合: its wording, the officer's note on it and its legal basis."""

    text: str
    note: str = ""
    basis: str = ""


def _clean(text: str) -> str:
    return text.strip().rstrip("。；;？?")


def findings_text(findings: str, failed: Sequence[FailedCheck]) -> str:
    """现场检查情况: what the officers recorded, then each item found 不符合 with their note, numbered."""
    parts = [findings.strip()] if findings.strip() else []
    failed = [c for c in failed if _clean(c.text) not in findings]  # already written up by the officers
    if failed:
        lines = []
        for i, c in enumerate(failed, 1):
            note = f"：{_clean(c.note)}" if c.note.strip() else ""
            lines.append(f"{i}. {_clean(c.text)}——不符合{note}。")
        parts.append("检查发现以下不符合规定的情况：\n" + "\n".join(lines))
    return "\n".join(parts)


def violations_text(failed: Sequence[FailedCheck]) -> str:
    """The violations for 违法事实 / 违法行为, to read after "经查，你（单位）": the officer's note on each
    failed item (what was seen), else the item named as not met. No final stop: the 责令改正通知书 goes
    on "……的行为". Check items are worded as questions ("是否…"), so they are quoted, never turned round."""
    return "；".join(
        _clean(c.note) if c.note.strip() else f"存在“{_clean(c.text)}”一项检查不符合要求的情况"
        for c in failed
    )


def violated_provisions(failed: Iterable[FailedCheck]) -> str:
    """The legal bases of the failed items, each once, in order: "《食品安全法》第三十五条、…"."""
    seen: list[str] = []
    for check in failed:
        for basis in check.basis.replace("；", "、").split("、"):
            basis = basis.strip()
            if basis and basis not in seen:
                seen.append(basis)
    return "、".join(seen)


def measures_taken(labels: Sequence[str], *, completed: bool) -> list[str]:
    """The 现场采取的措施 boxes to tick: the measures on record; "未采取措施" only once the inspection is
    completed without any (while it is open, a measure may still come)."""
    if labels:
        return list(dict.fromkeys(labels))
    return ["未采取措施"] if completed else []


def correction_mode(outcome: str | None, deadline_iso: str) -> str:
    """责令改正通知书's 改正期限 from the inspection's outcome: 限期改正 when a deadline was set."""
    if outcome != Outcome.RECTIFY:
        return ""
    return "限期改正" if deadline_iso else "立即改正"
