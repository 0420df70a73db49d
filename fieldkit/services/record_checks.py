"""Records of a signed bundle checked before anything is written: types, required fields, references, files.

A signature proves who sent a bundle, not that what it says fits this store. A record of the wrong
shape (an object where a name belongs, a date that is no date, a column missing) would otherwise
stop the import half-way with a database error; a reference to a record or a file that is neither
in the bundle nor in the store would either fail at commit (after the files were copied) or leave
a record pointing at nothing. Every such problem is found here, all at once, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import JSON, UniqueConstraint, inspect, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Column

from fieldkit.bundle.reader import RecordIn
from fieldkit.domain import evidence, inspections, subjects
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.coded import Coded
from fieldkit.store.schema import MATTER_PARENTS, Base, DocumentRevisionRow, EvidenceFileRow, MatterRow

SKIPPED_COLUMNS = {"search_rowid", "id", "version", "device_id"}  # local, or carried by the envelope
MAX_PROBLEMS = 50
_KIND_NAMES = {
    str: "文字",
    int: "整数",
    bool: "是/否（true/false）",
    dt.datetime: "带时区的时间（ISO 8601）",
    dt.date: "日期（YYYY-MM-DD）",
    uuid.UUID: "UUID",
    float: "数值字符串",
    list: "数组",
    dict: "对象",
}


def check_records(
    session: Session,
    by_type: Mapping[str, list[RecordIn]],
    classes: Mapping[str, type[Base]],
    names: Mapping[str, str],
    *,
    files_in_bundle: Iterable[str],
    file_in_store: Callable[[str], bool],
) -> list[str]:
    """Every problem that would stop or spoil the merge of these records (empty list: none)."""
    problems: list[str] = []
    good: dict[str, list[RecordIn]] = {}
    for kind, records in by_type.items():
        cls = classes.get(kind)
        if cls is None:
            continue
        columns = _columns(cls)
        for record in records:
            where = f"{names.get(kind, kind)} {record.id} 第 {record.version} 版"
            found = _shape(record.data, columns, where) + _codes(kind, record.data, where)
            if found:
                problems += found
            else:
                good.setdefault(kind, []).append(record)
    problems += _references(session, good, by_type, classes, names)
    problems += _files(good, names, set(files_in_bundle), file_in_store)
    problems += _unique(session, good, classes, names)
    if len(problems) > MAX_PROBLEMS:
        return [*problems[:MAX_PROBLEMS], f"……另有 {len(problems) - MAX_PROBLEMS} 个同类问题"]
    return problems


UNIQUE_CHECKED_ELSEWHERE = {"document"}  # its 文号: intake.check_numbers names both documents
UNIQUE_LABELS = {
    "evidence_file": "所属证据项和文件哈希（item_id、sha256：同一文件在一项证据中只能登记一次）",
    "document_revision": "所属文书和版次（document_id、revision）",
}


def _unique(
    session: Session,
    good: Mapping[str, list[RecordIn]],
    classes: Mapping[str, type[Base]],
    names: Mapping[str, str],
) -> list[str]:
    """No two records share what the store keeps unique (a file twice in one evidence item, two
    revisions of a document with one number): the insert would fail after the files were copied."""
    problems: list[str] = []
    for kind, records in good.items():
        cls = classes[kind]
        if kind in UNIQUE_CHECKED_ELSEWHERE:
            continue
        for constraint in cls.__table__.constraints:
            columns = list(getattr(constraint, "columns", []))
            if not isinstance(constraint, UniqueConstraint) or any(c.key in SKIPPED_COLUMNS for c in columns):
                continue
            label = UNIQUE_LABELS.get(kind) or "、".join(c.key for c in columns)
            key_of: dict[uuid.UUID, tuple[Any, ...]] = {}
            holder: dict[tuple[Any, ...], uuid.UUID] = {}
            for record in records:
                key = tuple(_key_value(c, record.data.get(c.key)) for c in columns)
                if any(v is None for v in key):
                    continue  # NULLs never collide
                key_of[record.id] = key
                other = holder.setdefault(key, record.id)
                if other != record.id:
                    problems.append(
                        f"{names.get(kind, kind)} {record.id} 与包中的 {other} 的 {label} 相同，拒收"
                    )
            keys = list(holder)
            for start in range(0, len(keys), 200):
                rows = session.execute(
                    select(cls.id, *columns).where(tuple_(*columns).in_(keys[start : start + 200]))  # type: ignore[attr-defined]
                )
                for row_id, *values in rows:
                    record_id = holder[tuple(values)]
                    if row_id == record_id or (row_id in key_of and key_of[row_id] != tuple(values)):
                        continue  # the same record, or one this bundle moves off that key
                    problems.append(
                        f"{names.get(kind, kind)} {record_id} 与本库中的 {row_id} 的 {label} 相同，拒收"
                    )
    return problems


def _key_value(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if column.type.python_type is uuid.UUID:
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None  # named by the reference check
    return value


def _columns(cls: type[Base]) -> list[tuple[Column[Any], type | None, bool]]:
    """(column, expected python kind, required) for each column a record's data carries."""
    out = []
    annotations: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}))
    for column in inspect(cls).columns:
        if column.key in SKIPPED_COLUMNS:
            continue
        kind: type | None
        if isinstance(column.type, JSON):  # the annotation says whether a list or an object is stored
            kind = list if "list[" in str(annotations.get(column.key, "")) else dict
        else:
            try:
                kind = column.type.python_type
            except NotImplementedError:
                kind = None
        required = not column.nullable and column.default is None and column.server_default is None
        out.append((column, kind, required))
    return out


def _shape(
    data: dict[str, Any], columns: list[tuple[Column[Any], type | None, bool]], where: str
) -> list[str]:
    problems = []
    for column, kind, required in columns:
        name = column.key
        if name not in data:
            if required:
                problems.append(f"{where}：缺少必需的字段 {name}")
            continue
        value = data[name]
        if value is None:
            if not column.nullable:
                problems.append(f"{where}：字段 {name} 不能为空（null）")
            continue
        if kind is not None and not _fits(value, kind):
            problems.append(
                f"{where}：字段 {name} 应为{_KIND_NAMES.get(kind, kind.__name__)}，实为 {_describe(value)}"
            )
    return problems


# Fields that hold a code (domain/coded.py). A value this program does not know would be stored and
# then stop every screen that reads the record; a format-1 label was turned into its code before this.
CODED_FIELDS: dict[str, Mapping[str, type[Coded]]] = {
    "subject": subjects.CODED_FIELDS,
    "inspection": inspections.CODED_FIELDS,
    "evidence_item": evidence.CODED_FIELDS,
}
FOLLOW_UP_KINDS = {k.value for k in inspections.FOLLOW_UP_KINDS}


@functools.cache
def _allowed_codes(kind: str) -> dict[str, frozenset[str]]:
    """Field → the codes it may hold, for one record type (built once: every record is checked)."""
    allowed = {name: frozenset(m.value for m in coded) for name, coded in CODED_FIELDS.get(kind, {}).items()}
    if kind == "follow_up":
        allowed["kind"] = frozenset(FOLLOW_UP_KINDS)
    return allowed


_RESULTS = frozenset(r.value for r in CheckResult)


def _codes(kind: str, data: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    for name, codes in _allowed_codes(kind).items():
        value = data.get(name)
        if isinstance(value, str) and value not in codes:
            problems.append(
                f"{where}：字段 {name} 的取值 {_describe(value)} 不是本程序认识的代码（{'、'.join(sorted(codes))}）"
            )
    checks = data.get("checks") if kind == "inspection" else None
    results = _RESULTS
    for i, entry in enumerate(checks if isinstance(checks, list) else []):
        value = entry.get("result") if isinstance(entry, dict) else None
        if value is not None and value not in results:
            problems.append(
                f"{where}：检查事项第 {i + 1} 项的结果 {_describe(value)} 不是本程序认识的代码（{'、'.join(sorted(results))}）"
            )
    return problems


def _fits(value: Any, kind: type) -> bool:
    if kind is str:
        return isinstance(value, str)
    if kind is bool:
        return type(value) is bool
    if kind is int:
        return type(value) is int
    if kind is list or kind is dict:
        return type(value) is kind
    if not isinstance(value, str):
        return False
    try:
        if kind is dt.datetime:
            return dt.datetime.fromisoformat(value).tzinfo is not None
        if kind is dt.date:
            dt.date.fromisoformat(value)
            return len(value) == 10
        if kind is uuid.UUID:
            uuid.UUID(value)
            return True
        if kind is float:
            return math.isfinite(float(value))
    except (ValueError, OverflowError):
        return False
    return True


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "对象（嵌套记录）"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, int):
        return f"整数 {value}"
    text = str(value)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def _references(
    session: Session,
    good: Mapping[str, list[RecordIn]],
    every: Mapping[str, list[RecordIn]],
    classes: Mapping[str, type[Base]],
    names: Mapping[str, str],
) -> list[str]:
    """Each foreign key names a record in the bundle or in the store (any order inside the bundle)."""
    in_bundle = {kind: {r.id for r in records} for kind, records in every.items()}
    # A matter never travels: its parent record (of whatever kind) in the bundle stands for it, and the
    # store has it once the parent is there. So a child's matter_id is met by either.
    in_bundle[MatterRow.__tablename__] = {
        i for parent in MATTER_PARENTS.values() for i in in_bundle.get(parent.__tablename__, set())
    }
    classes = {**classes, MatterRow.__tablename__: MatterRow}
    wanted: dict[str, dict[uuid.UUID, list[str]]] = {}  # target table -> id -> who needs it
    for kind, records in good.items():
        cls = classes[kind]
        fks = [
            (column.key, next(iter(column.foreign_keys)).column.table.name)
            for column in inspect(cls).columns
            if column.foreign_keys
        ]
        for record in records:
            for key, target in fks:
                value = record.data.get(key)
                if value is None:
                    continue
                ref = uuid.UUID(value)
                if ref in in_bundle.get(target, ()):
                    continue
                wanted.setdefault(target, {}).setdefault(ref, []).append(
                    f"{names.get(kind, kind)} {record.id}（字段 {key}）"
                )
    problems = []
    for target, refs in wanted.items():
        cls = classes.get(target)
        ids = list(refs)
        have: set[uuid.UUID] = set()
        if cls is not None:
            for start in range(0, len(ids), 500):
                have.update(session.scalars(select(cls.id).where(cls.id.in_(ids[start : start + 500]))))  # type: ignore[attr-defined]
        for ref in ids:
            if ref not in have:
                who = "、".join(refs[ref][:3]) + ("等" if len(refs[ref]) > 3 else "")
                problems.append(
                    f"{who} 引用的{names.get(target, target)} {ref} 既不在包中也不在本库中"
                    "（可能有更早的包尚未导入：请先导入更早的包），未导入任何记录、未复制任何文件"
                )
    return problems


def _files(
    good: Mapping[str, list[RecordIn]],
    names: Mapping[str, str],
    in_bundle: set[str],
    in_store: Callable[[str], bool],
) -> list[str]:
    """Every stored file a record relies on comes with the bundle or is already here."""
    problems = []
    for kind, records in good.items():
        for record in records:
            for field, sha in _file_refs(kind, record.data):
                if not isinstance(sha, str) or len(sha) != 64:
                    problems.append(f"{names.get(kind, kind)} {record.id}：字段 {field} 不是有效的 SHA-256")
                elif sha not in in_bundle and not in_store(sha):
                    problems.append(
                        f"{names.get(kind, kind)} {record.id} 的 {field} 指向的文件 {sha[:16]}… "
                        "不在包中，本库也没有：包不完整，已拒绝"
                    )
    return problems


def _file_refs(kind: str, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if kind == EvidenceFileRow.__tablename__:
        refs = [("sha256", data.get("sha256"))]
        if data.get("thumbnail_sha256"):
            refs.append(("thumbnail_sha256", data["thumbnail_sha256"]))
        return refs
    if kind == DocumentRevisionRow.__tablename__:
        refs = [("pdf_sha256", data.get("pdf_sha256"))]
        for i, attachment in enumerate(data.get("attachments") or []):
            sha = attachment.get("sha256") if isinstance(attachment, dict) else None
            refs.append((f"attachments[{i}].sha256", sha))
        return refs  # signature images are inside the PDF; they do not travel as files
    return []
