"""Import the office's list of businesses (CSV or XLSX with Chinese headers); re-import updates."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.subjects import FIELD_LABELS, SubjectDraft, SubjectType, validate_subject
from fieldkit.errors import Cancelled, ImportFileError
from fieldkit.services import records
from fieldkit.services.context import Context
from fieldkit.store import search
from fieldkit.store.schema import SubjectRow

# Header spellings seen in office exports (国家企业信用信息公示系统, 登记注册系统, 手工台账).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("名称", "企业名称", "主体名称", "市场主体名称", "单位名称", "字号名称", "当事人", "经营者名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "注册号", "统一社会信用代码/注册号"),
    "legal_rep": (
        "法定代表人",
        "负责人",
        "经营者",
        "法定代表人（负责人）",
        "法定代表人/负责人",
        "投资人",
        "法人",
    ),
    "address": ("住所", "经营场所", "地址", "住所（经营场所）", "经营地址", "注册地址", "住所/经营场所"),
    "phone": ("联系电话", "电话", "手机", "联系方式", "手机号码"),
    "subject_type": ("主体类型", "企业类型", "类型", "市场主体类型"),
    "license_no": ("许可证编号", "许可证号", "经营许可证编号", "食品经营许可证编号", "许可证"),
    "id_number": ("身份证号码", "身份证号", "证件号码"),
}
_ALIAS_TO_FIELD = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
MAX_ROWS = 200_000


@dataclass
class ImportReport:
    accepted: int = 0  # new subjects
    updated: int = 0  # existing subjects matched by USCC (or name + address) and refreshed
    unchanged: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "accepted": self.accepted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
        }


def _norm_header(text: object) -> str:
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）").lstrip("*")


def _map_header(cells: list[object]) -> dict[int, str] | None:
    mapping: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _ALIAS_TO_FIELD.get(_norm_header(cell))
        if key is None:
            key = _ALIAS_TO_FIELD.get(_norm_header(cell).replace("（", "(").replace("）", ")"))
        if key is not None and key not in mapping.values():
            mapping[i] = key
    return mapping if "name" in mapping.values() else None


def _read_csv(path: Path) -> Iterator[tuple[int, list[object]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(f"无法读取 {path.name}：文件编码既不是 UTF-8 也不是 GBK")
    if "\x00" in text:
        raise ImportFileError(f"无法读取 {path.name}：不是文本格式的 CSV 文件")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    for n, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        yield n, list(row)


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[object]]]:
    import openpyxl  # imported here: start-up does not pay for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取 {path.name}：不是有效的 Excel（.xlsx）文件（{exc}）") from exc
    try:
        sheet = book.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield n, list(row)
    finally:
        book.close()


def read_table(path: Path) -> tuple[dict[int, str], Iterator[tuple[int, list[object]]]]:
    """The column mapping and the data rows (numbered as in the file, header = its own row)."""
    if not path.is_file():
        raise ImportFileError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        rows = _read_csv(path)
    elif suffix == ".xls":
        raise ImportFileError(
            f"无法读取 {path.name}：不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 .csv"
        )
    else:
        raise ImportFileError(f"无法读取 {path.name}：只支持 .xlsx 和 .csv 文件")
    # The header is the first of the first 10 rows that names the subject column (title rows above it
    # are common in office exports).
    for _n, cells in rows:
        if mapping := _map_header(cells):
            return mapping, rows
        if _n >= 10:
            break
    raise ImportFileError(
        f"无法读取 {path.name}：前 10 行中没有找到表头（需要「名称」「企业名称」或「主体名称」列）"
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel turns long numbers into floats
    return str(value).strip()


def _subject_type(raw: str, uscc: str) -> SubjectType:
    for kind in SubjectType:
        if raw == kind.value:
            return kind
    if "个体" in raw or uscc.startswith("92"):
        return SubjectType.INDIVIDUAL_BUSINESS
    if "合作社" in raw or uscc.startswith("93"):
        return SubjectType.COOPERATIVE
    if raw in ("自然人", "个人", "公民"):
        return SubjectType.NATURAL_PERSON
    if (
        any(w in raw for w in ("公司", "企业", "厂", "分支", "合伙", "独资"))
        or uscc.startswith("91")
        or not uscc
    ):
        return SubjectType.ENTERPRISE
    return SubjectType.OTHER_ORG


def _problem_json(row: int, p: Problem) -> dict[str, object]:
    return {"row": row, "field": FIELD_LABELS.get(p.field, p.field), "reason": p.message}


def import_subjects(
    ctx: Context,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """One transaction: every accepted row is committed, or (dry run, cancel, crash) none is."""
    mapping, rows = read_table(path)
    report = ImportReport()
    seen_uscc: dict[str, int] = {}
    drafts: list[tuple[int, SubjectDraft, set[str]]] = []
    for n, cells in rows:
        values = {key: _cell(cells[i]) if i < len(cells) else "" for i, key in mapping.items()}
        if not any(values.values()):
            continue
        if len(drafts) >= MAX_ROWS:
            raise ImportFileError(f"{path.name} 超过 {MAX_ROWS} 行，请分批导入")
        present = {k for k, v in values.items() if v}
        raw_type = values.pop("subject_type", "")
        draft = SubjectDraft(**values).normalized()
        draft = replace(draft, subject_type=_subject_type(raw_type, draft.uscc))
        problems = validate_subject(draft)
        if hard := [p for p in problems if p.severity is Severity.ERROR]:
            report.rejected += [_problem_json(n, p) for p in hard]
            continue
        if draft.uscc:
            if draft.uscc in seen_uscc:
                report.rejected.append(
                    {
                        "row": n,
                        "field": FIELD_LABELS["uscc"],
                        "reason": f"统一社会信用代码：与第 {seen_uscc[draft.uscc]} 行重复",
                    }
                )
                continue
            seen_uscc[draft.uscc] = n
        if soft := [p for p in problems if p.severity is Severity.WARNING]:
            report.warnings += [_problem_json(n, p) for p in soft]
            if any(p.field == "uscc" for p in soft):
                draft = replace(draft, uscc_note="办公室名录导入，校验位未通过，按登记原样保留")
                present.add("uscc_note")
        drafts.append((n, draft, present))
    _merge(ctx, drafts, report, dry_run=dry_run, progress=progress, cancelled=cancelled)
    return report


def _merge(
    ctx: Context,
    drafts: list[tuple[int, SubjectDraft, set[str]]],
    report: ImportReport,
    *,
    dry_run: bool,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    with ctx.sessions() as session:
        live = list(session.scalars(select(SubjectRow).where(SubjectRow.deleted_at.is_(None))))
        by_uscc = {r.uscc: r for r in live if r.uscc}
        by_name_address = {(r.name, r.address): r for r in live if not r.uscc}
        next_rowid = search.next_search_rowid(session)
        touched: list[SubjectRow] = []
        for done, (_n, draft, present) in enumerate(drafts, 1):
            if cancelled is not None and cancelled():
                raise Cancelled("导入已取消，未导入任何记录")  # the session closes without commit
            row = by_uscc.get(draft.uscc) if draft.uscc else by_name_address.get((draft.name, draft.address))
            if row is None:
                report.accepted += 1
                row = SubjectRow(search_rowid=next_rowid, **_values(draft))
                next_rowid += 1
                records.create(session, ctx, row, detail={"source": "import"})
                if draft.uscc:
                    by_uscc[draft.uscc] = row
                else:
                    by_name_address[(draft.name, draft.address)] = row
                touched.append(row)
            # Only columns the file fills overwrite: an empty cell never erases what an officer typed.
            elif records.update(
                session,
                ctx,
                row,
                {k: v for k, v in _values(draft).items() if k in present},
                detail={"source": "import"},
            ):
                report.updated += 1
                touched.append(row)
            else:
                report.unchanged += 1
            if progress is not None and done % 200 == 0:
                progress(done, len(drafts))
        search.index_subjects(session, touched)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    if progress is not None:
        progress(len(drafts), len(drafts))


def _values(draft: SubjectDraft) -> dict[str, object]:
    return {
        "name": draft.name,
        "subject_type": str(draft.subject_type),
        "uscc": draft.uscc or None,
        "legal_rep": draft.legal_rep,
        "id_number": draft.id_number,
        "address": draft.address,
        "phone": draft.phone,
        "license_no": draft.license_no,
        "uscc_note": draft.uscc_note,
    }
