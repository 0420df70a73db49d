"""Find a record from what a person types: a whole id, an unambiguous id prefix, or a form's title.

One resolver for every command that takes an id, so `fieldkit print 1141bb`, `evidence list 1141bb`
and `blank 现场笔录` behave alike: an unknown or ambiguous entry is refused with a Chinese message that
says what was typed and what matched — never guessed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import String, select, type_coerce

from fieldkit.catalog import load_formdefs
from fieldkit.domain import forms as F
from fieldkit.errors import FieldkitError
from fieldkit.services.context import Context
from fieldkit.store.schema import (
    MATTER_PARENTS,
    DocumentRow,
    EvidenceItemRow,
    InspectionRow,
    MeasureRow,
    SubjectRow,
    SyncedMixin,
)

# A prefix shorter than this matches too much to be meant as one record.
MIN_PREFIX = 4
_SHOWN = 5  # candidates listed in an "ambiguous" message


class IdNotResolved(FieldkitError):
    """The typed id names no record, or more than one (a usage error at the command line)."""


class NoSuchId(IdNotResolved):
    """The typed id is well formed but names no record of that kind."""


@dataclass(frozen=True)
class _Kind:
    row: type[SyncedMixin]
    what: str  # 检查, 文书…
    hint: str  # the command that lists them


KINDS: dict[str, _Kind] = {
    "inspection": _Kind(InspectionRow, "检查", "fieldkit inspections list --json"),
    "document": _Kind(DocumentRow, "文书", "fieldkit docs list"),
    "subject": _Kind(SubjectRow, "当事人", "fieldkit subjects search --json"),
    "evidence": _Kind(EvidenceItemRow, "证据", "fieldkit evidence list"),
    "measure": _Kind(MeasureRow, "措施", "fieldkit due --json"),
}

_HEX = re.compile(r"^[0-9a-f]+$")


def resolve_id(ctx: Context, kind: str, text: str) -> uuid.UUID:
    """The one live record of `kind` whose id is `text` or starts with it (dashes and case ignored)."""
    spec = KINDS[kind]
    typed = text.strip()
    prefix = typed.replace("-", "").lower()
    if not prefix or not _HEX.match(prefix) or len(prefix) > 32:
        raise IdNotResolved(
            f"{spec.what} ID：「{typed}」不是 ID 或 ID 的开头（应为十六进制字符，{spec.hint} 可查）"
        )
    if len(prefix) < MIN_PREFIX and len(prefix) != 32:
        raise IdNotResolved(f"{spec.what} ID：「{typed}」太短，至少输入前 {MIN_PREFIX} 位")
    row = spec.row
    # Uuid columns are stored as 32 lowercase hex digits in SQLite: every id starting with the prefix
    # lies in [prefix, prefix + "g"), a range the primary-key index answers (type_coerce adds no CAST).
    stored = type_coerce(row.id, String)
    stmt = (
        select(row.id)
        .where(stored >= prefix, stored < prefix + "g", row.deleted_at.is_(None))
        .limit(_SHOWN + 1)
    )
    with ctx.sessions() as session:
        found = list(session.scalars(stmt))
    if not found:
        raise NoSuchId(f"{spec.what} ID：没有以「{typed}」开头的{spec.what}（{spec.hint} 可查）")
    if len(found) > 1:
        shown = "、".join(str(i)[:13] + "…" for i in found[:_SHOWN])
        more = "等" if len(found) > _SHOWN else ""
        raise IdNotResolved(
            f"{spec.what} ID：「{typed}」同时对应多条{spec.what}（{shown}{more}），请多输入几位"
        )
    return found[0]


def resolve_matter(ctx: Context, text: str) -> uuid.UUID:
    """A matter of any kind by its id or an unambiguous prefix: a matter's id is its parent record's,
    so each kind's parents are searched (store/schema.py MATTER_PARENTS)."""
    found: list[uuid.UUID] = []
    for kind in MATTER_PARENTS:
        try:
            found.append(resolve_id(ctx, kind.value, text))
        except NoSuchId:  # not of this kind; too short, not hex or ambiguous is said as it is
            continue
    if len(found) == 1:
        return found[0]
    if found:
        raise IdNotResolved(f"案卷 ID：「{text.strip()}」同时对应多个案卷，请多输入几位")
    raise IdNotResolved(
        f"案卷 ID：没有以「{text.strip()}」开头的检查或其他案卷（fieldkit inspections list --json 可查）"
    )


def resolve_numbered_blank(ctx: Context, text: str) -> uuid.UUID:
    """A numbered blank (编号空白文书) by its full number, the end of it (e.g. A1-3), or its document id
    (or an unambiguous prefix of it)."""
    from fieldkit.services.documents import list_numbered_blanks  # documents loads the PDF writer

    text = text.strip()
    blanks = list_numbered_blanks(ctx)
    found = [b for b in blanks if b.number == text or b.number.endswith((f"〕{text}号", f"〕{text}"))]
    if len(found) == 1:
        return found[0].id
    if found:
        raise FieldkitError(
            f"编号空白文书「{text}」：有 {len(found)} 份符合，请写完整文号（fieldkit blanks list 查看）"
        )
    try:
        document_id = resolve_id(ctx, "document", text)
    except FieldkitError:
        raise FieldkitError(f"编号空白文书「{text}」：没有这个编号（fieldkit blanks list 查看）") from None
    if document_id not in {b.id for b in blanks}:
        raise FieldkitError(f"编号空白文书「{text}」：这份文书不是编号空白文书（fieldkit blanks list 查看）")
    return document_id


def resolve_form(text: str) -> F.FormDef:
    """A form by its id (xianchang_bilu), title (现场笔录), 代字 (现笔) or an unambiguous id prefix."""
    typed = text.strip()
    forms = load_formdefs()
    if typed in forms:
        return forms[typed]
    for matches in (
        [f for f in forms.values() if typed in (f.title, f.code)],
        [f for f in forms.values() if typed and f.id.startswith(typed)],
        [f for f in forms.values() if typed and f.title.startswith(typed)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = "、".join(f"{f.title}（{f.id}）" for f in sorted(matches, key=lambda f: f.id))
            raise IdNotResolved(f"文书种类：「{typed}」同时对应 {names}，请写全")
    known = "、".join(f.title for f in sorted(forms.values(), key=lambda f: f.id))
    raise IdNotResolved(f"文书种类：没有「{typed}」（可写标题或编号：{known}；fieldkit forms list 可查）")
