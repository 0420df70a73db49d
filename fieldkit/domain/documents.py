"""文书的生命周期: states, the actions each state allows, and what a correction may change (pure).

Services and the UI ask this module; neither decides on its own whether an action is allowed.

The correction rule (行政处罚法第四十四条、第四十五条、第五十二条): once a document has been printed for
signature, its **substantive** content (the fields a form definition marks `substantive = true`: the party,
the facts, the legal basis, the kind and amount of a penalty, measures and periods, the items of a 清单)
never changes under the same number. Such a change is a new document with a new number that names the old
one and voids it when it is printed (重新作出); the old one stays on record and any reprint of it is
watermarked 作废. A slip of the pen in the other fields (笔误) may be corrected under the same number, and
the corrected print carries a visible 更正说明 (what, when, why).
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fieldkit.domain import forms as F
from fieldkit.domain.problems import Problem, Severity

LAW = "行政处罚法第四十四条、第四十五条、第五十二条"


class DocState(enum.StrEnum):
    DRAFT = "draft"  # never printed for signature (a draft may already hold a pre-allocated number)
    BLANK = "blank"  # 编有号码的空白文书: a number drawn from the device's series, printed for handwriting
    FINAL = "final"  # printed for signature: content and PDF frozen
    CORRECTING = "correcting"  # a 笔误 correction is being drafted; the last revision stays valid
    VOID = "void"  # 作废: the number stays on record and is never reused


class Action(enum.StrEnum):
    EDIT = "edit"  # change the values (autosave)
    PRINT = "print"  # print for signature: finalises a draft, or prints the corrected revision
    REPRINT = "reprint"  # the stored PDF again; of a void document: watermarked 作废
    CORRECT = "correct"  # 更正笔误: same number, non-substantive fields only, 更正说明 printed
    REISSUE = "reissue"  # 重新作出: a new document with a new number that voids this one when printed
    CANCEL_CORRECTION = "cancel_correction"  # back to the valid revision, dropping the edits
    SIGN = "sign"  # record what happened at the signature lines, attach scans
    VOID = "void"  # 作废 with a reason
    DELETE = "delete"  # only a draft that never had a number
    USE_BLANK = "use_blank"  # a numbered blank was filled by hand: record its content under its number


STATE_LABELS: dict[DocState, str] = {
    DocState.DRAFT: "草稿",
    DocState.BLANK: "空白已发放",
    DocState.FINAL: "已定稿",
    DocState.CORRECTING: "更正中",
    DocState.VOID: "已作废",
}

ACTION_LABELS: dict[Action, str] = {
    Action.EDIT: "修改",
    Action.PRINT: "打印",
    Action.REPRINT: "重印",
    Action.CORRECT: "更正笔误",
    Action.REISSUE: "重新作出",
    Action.CANCEL_CORRECTION: "放弃更正",
    Action.SIGN: "登记签名",
    Action.VOID: "作废",
    Action.DELETE: "删除",
    Action.USE_BLANK: "登记使用",
}

_ALLOWED: dict[DocState, frozenset[Action]] = {
    DocState.DRAFT: frozenset({Action.EDIT, Action.PRINT, Action.DELETE}),
    DocState.BLANK: frozenset({Action.REPRINT, Action.USE_BLANK, Action.VOID}),
    DocState.FINAL: frozenset({Action.REPRINT, Action.CORRECT, Action.REISSUE, Action.SIGN, Action.VOID}),
    DocState.CORRECTING: frozenset(
        {Action.EDIT, Action.PRINT, Action.REISSUE, Action.CANCEL_CORRECTION, Action.VOID}
    ),
    DocState.VOID: frozenset({Action.REPRINT}),
}


def allowed_actions(state: str, *, numbered_draft: bool = False) -> frozenset[Action]:
    """What may be done to a document in `state`. A draft that already holds a number (a used numbered
    blank, or a pre-allocated one) cannot be deleted: its number must be accounted for, so it is voided."""
    actions = _ALLOWED.get(DocState(state), frozenset())
    if state == DocState.DRAFT and numbered_draft:
        actions = (actions - {Action.DELETE}) | {Action.VOID}
    return actions


def is_allowed(state: str, action: Action, *, numbered_draft: bool = False) -> bool:
    return action in allowed_actions(state, numbered_draft=numbered_draft)


def refusal(state: str, action: Action) -> str:
    """The Chinese message when `action` is not allowed in `state`."""
    label = STATE_LABELS.get(DocState(state), state)
    allowed = "、".join(ACTION_LABELS[a] for a in Action if a in _ALLOWED.get(DocState(state), ()))
    return f"该文书{label}，不能{ACTION_LABELS[action]}" + (f"（可以：{allowed}）" if allowed else "")


# The state each allowed action leaves the document in. Deleting leaves a tombstone (the state is kept);
# made anew (重新作出), the document stays valid until the new one is printed, and a correction being
# drafted is dropped; printing a correction or a draft finalises.
_AFTER: dict[tuple[DocState, Action], DocState] = {
    (DocState.DRAFT, Action.EDIT): DocState.DRAFT,
    (DocState.DRAFT, Action.PRINT): DocState.FINAL,
    (DocState.DRAFT, Action.DELETE): DocState.DRAFT,
    (DocState.DRAFT, Action.VOID): DocState.VOID,
    (DocState.BLANK, Action.REPRINT): DocState.BLANK,
    (DocState.BLANK, Action.USE_BLANK): DocState.DRAFT,
    (DocState.BLANK, Action.VOID): DocState.VOID,
    (DocState.FINAL, Action.REPRINT): DocState.FINAL,
    (DocState.FINAL, Action.CORRECT): DocState.CORRECTING,
    (DocState.FINAL, Action.REISSUE): DocState.FINAL,
    (DocState.FINAL, Action.SIGN): DocState.FINAL,
    (DocState.FINAL, Action.VOID): DocState.VOID,
    (DocState.CORRECTING, Action.EDIT): DocState.CORRECTING,
    (DocState.CORRECTING, Action.PRINT): DocState.FINAL,
    (DocState.CORRECTING, Action.REISSUE): DocState.FINAL,
    (DocState.CORRECTING, Action.CANCEL_CORRECTION): DocState.FINAL,
    (DocState.CORRECTING, Action.VOID): DocState.VOID,
    (DocState.VOID, Action.REPRINT): DocState.VOID,
}


class TransitionRefused(Exception):
    """`action` is not allowed in `state`; the message (refusal) names both and what is allowed."""

    def __init__(self, state: DocState, action: Action):
        self.state = state
        self.action = action
        super().__init__(refusal(state, action))


def transition(state: str, action: Action, *, numbered_draft: bool = False) -> DocState:
    """The state a document in `state` is in after `action`; TransitionRefused when it is not allowed."""
    current = DocState(state)
    if not is_allowed(current, action, numbered_draft=numbered_draft):
        raise TransitionRefused(current, action)
    return _AFTER[(current, action)]


@dataclass(frozen=True)
class Finalised:
    """A document just printed for signature (finalised, corrected or made anew), as the form's
    after-finalise hook is told of it (services/formhooks.py)."""

    document_id: uuid.UUID
    form_id: str
    matter_id: uuid.UUID | None  # the inspection it belongs to
    number: str | None
    title: str
    values: Mapping[str, object]
    action: str  # finalise / correct / reissue
    actor: str = ""


# ---- what changed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str  # as printed
    after: str
    substantive: bool


def _canonical(fd: F.FieldDef, value: object) -> str:
    if F.is_empty(value):
        return ""
    if fd.type == F.FieldType.CHOICE:  # ticked boxes: the order they were ticked in is not content
        value = sorted(F.chosen_values(fd, value))
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _shown(fd: F.FieldDef, value: object) -> str:
    if F.is_empty(value):
        return "（空白）"
    if fd.type == F.FieldType.TABLE and isinstance(value, list | tuple):
        return f"{len(value)} 项"
    if fd.type == F.FieldType.QA and isinstance(value, list | tuple):
        return f"{len(value)} 组问答"
    if fd.type == F.FieldType.CHOICE:
        return "、".join(sorted(F.chosen_values(fd, value))) or "（空白）"
    return F.format_scalar(fd, value)


def changes(
    formdef: F.FormDef, before: Mapping[str, object], after: Mapping[str, object]
) -> list[FieldChange]:
    """The fields whose value differs (empty and missing are the same), in the form's order."""
    out: list[FieldChange] = []
    for fd in formdef.fields:
        old, new = before.get(fd.key), after.get(fd.key)
        if _canonical(fd, old) != _canonical(fd, new):
            out.append(FieldChange(fd.key, fd.label, _shown(fd, old), _shown(fd, new), fd.substantive))
    return out


def substantive_keys(formdef: F.FormDef) -> tuple[str, ...]:
    return tuple(fd.key for fd in formdef.fields if fd.substantive)


def clerical_problems(
    formdef: F.FormDef, before: Mapping[str, object], after: Mapping[str, object]
) -> list[Problem]:
    """A 笔误 correction may not touch substantive content: one problem per substantive field changed."""
    return [
        Problem(
            c.key,
            "document.substantive_change",
            f"{c.label}：属于实质内容，不能以更正笔误的方式修改（原为“{c.before}”）。"
            f"实质内容有误须「重新作出」：制作新文书、使用新文号，原文书作废（{LAW}）",
        )
        for c in changes(formdef, before, after)
        if c.substantive
    ]


# ---- what the paper says ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """One printed 笔误 correction: the revision it made, when, why and what changed."""

    revision: int
    on: dt.date
    reason: str
    changes: tuple[FieldChange, ...]


def correction_note(correction: Correction) -> str:
    """The 更正说明 as printed on the corrected revision (and every later one)."""
    what = "；".join(f"「{c.label}」原为“{c.before}”，更正为“{c.after}”" for c in correction.changes)
    return (
        f"更正说明（第 {correction.revision} 版）：本文书于{F.format_date(correction.on)}更正笔误，"
        f"文号不变。{what}。更正理由：{correction.reason}。"
    )


def corrections_of(
    formdef: F.FormDef, revisions: Sequence[tuple[int, dt.date, str, Mapping[str, object]]]
) -> list[Correction]:
    """Each revision after the first as a Correction against the one before: (revision, date, reason,
    values) in order."""
    out: list[Correction] = []
    for (_r0, _d0, _why0, before), (rev, on, why, after) in itertools.pairwise(revisions):
        out.append(Correction(rev, on, why, tuple(changes(formdef, before, after))))
    return out


def replaced_name(title: str, number: str | None, finalised_on: dt.date | None) -> str:
    """How a new document names the one it replaces: its number when it has one, else title and date."""
    if number:
        return f"{number}《{title}》"
    when = F.format_date(finalised_on) if finalised_on else ""
    return f"{when}制作的《{title}》"


def _fen(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _kinds(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list | tuple) else ({str(value)} if value else set())


def heavier_penalty(
    formdef: F.FormDef, before: Mapping[str, object], after: Mapping[str, object]
) -> list[Problem]:
    """A decision made anew (重新作出) that penalises more than the one it replaces: a larger fine or
    a kind of penalty added. The law allows it only after the party is told again of the intended penalty,
    facts, reasons and basis and heard (行政处罚法第四十四条), and never because of their 申辩 (第四十五条):
    a reminder the officers confirm, not a refusal."""
    out: list[Problem] = []
    if formdef.has_field("fine") and _fen(after.get("fine")) > _fen(before.get("fine")):
        out.append(
            Problem(
                "fine",
                "reissue.heavier_fine",
                f"{formdef.field('fine').label}：重新作出的罚款{F.format_money(_fen(after.get('fine')))}多于原决定的"
                f"{F.format_money(_fen(before.get('fine')))}，属于加重处罚：{_TELL_AGAIN}",
                Severity.WARNING,
            )
        )
    if formdef.has_field("penalty_kinds"):
        added = sorted(_kinds(after.get("penalty_kinds")) - _kinds(before.get("penalty_kinds")))
        if added:
            out.append(
                Problem(
                    "penalty_kinds",
                    "reissue.added_kind",
                    f"{formdef.field('penalty_kinds').label}：重新作出的决定增加了“{'、'.join(added)}”，属于加重处罚："
                    f"{_TELL_AGAIN}",
                    Severity.WARNING,
                )
            )
    return out


_TELL_AGAIN = (
    "须先重新告知当事人拟作出的处罚内容及事实、理由、依据，听取其陈述、申辩并记录（行政处罚法第四十四条）；"
    "不得因当事人陈述、申辩而给予更重的处罚（第四十五条）。确已重新告知的，确认后打印"
)


def reissue_note(old_name: str, reason: str) -> str:
    """Printed on the new document (重新作出)."""
    return (
        f"本文书系对{old_name}的重新作出，原文书自本文书送达之日起作废。重新作出的理由：{reason}。（{LAW}）"
    )


def void_note(on: dt.date, reason: str, replaced_by: str = "") -> str:
    """Printed on every reprint of a voided document, under the 作废 watermark."""
    by = f"已由{replaced_by}取代。" if replaced_by else ""
    return f"本文书已于{F.format_date(on)}作废。{by}作废理由：{reason}。本件仅供存档，不作为执法文书使用。"
