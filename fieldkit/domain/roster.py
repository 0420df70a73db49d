"""执法人员名单 (the roster): who may be named as one of the two officers on a record or document.

行政处罚法第四十二条 and 程序规定第二十二条 ask for two or more officers holding 执法证件. Two entries of
the same person, or a name typed in that the agency never registered, are not two officers with
certificates, so they are refused wherever officers are named: inspections, documents, pre-print checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fieldkit.domain.problems import Problem

BASIS = "行政处罚法第四十二条、市场监督管理行政处罚程序规定第二十二条"


@dataclass(frozen=True)
class RosterEntry:
    officer_id: str
    name: str
    cert_no: str  # 执法证号
    active: bool = True


@dataclass(frozen=True)
class NamedOfficer:
    """An officer as a record names them: the roster id when it was picked, and what is printed."""

    name: str
    cert_no: str
    officer_id: str = ""


def named_officers(raw: object) -> list[NamedOfficer]:
    """The officers of a stored value (a list of {"name", "cert_no"[, "officer_id"]})."""
    out = []
    for item in raw if isinstance(raw, list | tuple) else ():
        if isinstance(item, Mapping):
            out.append(
                NamedOfficer(
                    str(item.get("name") or "").strip(),
                    str(item.get("cert_no") or "").strip(),
                    str(item.get("officer_id") or ""),
                )
            )
    return out


def _match(officer: NamedOfficer, roster: Sequence[RosterEntry]) -> RosterEntry | None:
    if officer.officer_id:
        by_id = next((r for r in roster if r.officer_id == officer.officer_id), None)
        if by_id is not None:
            return by_id
    return next((r for r in roster if r.cert_no == officer.cert_no), None) if officer.cert_no else None


def roster_problems(
    officers: Sequence[NamedOfficer], roster: Sequence[RosterEntry], field: str, label: str
) -> list[Problem]:
    """Each officer is a registered, active officer whose 执法证号 is the one on the roster, and no
    officer is named twice. (How many are needed is the caller's rule: two for every act in the field.)"""
    problems: list[Problem] = []
    seen: dict[str, NamedOfficer] = {}
    for i, officer in enumerate(officers, 1):
        who = officer.name or f"第 {i} 名执法人员"
        entry = _match(officer, roster)
        if entry is None:
            problems.append(
                Problem(
                    field,
                    "officers.not_on_roster",
                    f"{label}：{who}（执法证号 {officer.cert_no or '未填'}）不在本局执法人员名单中，"
                    f"须从名单中选择持有执法证的执法人员（{BASIS}）",
                )
            )
            continue
        if entry.name != officer.name or entry.cert_no != officer.cert_no:
            if entry.cert_no == officer.cert_no:  # the number is another officer's: say whose, and theirs
                own = next((r for r in roster if r.name == officer.name), None)
                theirs = f"；{own.name}的执法证号为 {own.cert_no}" if own is not None else ""
                text = f"执法证号 {entry.cert_no} 在名单中登记为{entry.name}，不是{who}{theirs}"
            else:
                text = f"{entry.name}的执法证号应为名单登记的 {entry.cert_no}，现为「{officer.cert_no or '未填'}」"
            problems.append(Problem(field, "officers.cert_mismatch", f"{label}：{text}（{BASIS}）"))
        if not entry.active:
            problems.append(
                Problem(
                    field,
                    "officers.inactive",
                    f"{label}：{entry.name}（执法证号 {entry.cert_no}）已在名单中停用，不能再作为执法人员（{BASIS}）",
                )
            )
        if entry.officer_id in seen:
            problems.append(
                Problem(
                    field,
                    "officers.duplicate",
                    f"{label}：{entry.name}（执法证号 {entry.cert_no}）被列了两次；同一人不能算作两名执法人员，"
                    f"须由两名不同的执法人员进行（{BASIS}）",
                )
            )
        seen[entry.officer_id] = officer
    return problems
