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
from fieldkit.domain.subjects import FIELD_LABELS, SubjectDraft, SubjectType, derived_type, validate_subject
from fieldkit.errors import Cancelled, ImportFileError
from fieldkit.services import records
from fieldkit.services.context import Context
from fieldkit.store import search
from fieldkit.store.schema import SubjectRow

# Header spellings seen in office exports (国家企业信用信息公示系统, 登记注册系统, 手工台账).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "名称",
        "企业名称",
        "主体名称",
        "市场主体名称",
        "单位名称",
        "字号名称",
        "当事人",
        "经营者名称",
        "姓名",
    ),
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


KEPT_NOTE = "办公室名录导入，校验位未通过，按登记原样保留"


@dataclass
class ImportReport:
    """Rows as numbered in the file; each problem names its field once: {"row", "field", "reason"}."""

    accepted: int = 0  # new subjects
    updated: int = 0  # existing subjects matched (USCC, 身份证号, name + address) and refreshed
    unchanged: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)  # errors and ambiguous matches
    warnings: list[dict[str, object]] = field(default_factory=list)  # kept rows with a warning
    held: list[dict[str, object]] = field(default_factory=list)  # warned rows NOT kept: accept_warnings

    def as_json(self) -> dict[str, object]:
        return {
            "accepted": self.accepted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "held": self.held,
        }

    @property
    def complete(self) -> bool:
        """Every row of the file is in the store (nothing rejected, nothing held back)."""
        return not self.rejected and not self.held


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
    # strict: an unpaired quote is an error to report, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(
                f"无法读取 {path.name}：{_csv_problem(str(exc), n + 1, reader.line_num)}"
            ) from exc
        n += 1
        yield n, list(row)


def _csv_problem(message: str, row: int, line: int) -> str:
    """csv's English error as a sentence an officer can act on (which row, what to fix)."""
    where = f"第 {row} 行（文件第 {line} 行附近）"
    if "field larger than field limit" in message:
        return (
            f"{where}有一个单元格超过 {csv.field_size_limit()} 个字符，多半是某处引号没有配对，"
            "使后面的内容连成了一格；请在 Excel 中检查该行后重新保存，未导入任何记录"
        )
    if "unexpected end of data" in message or "EOF" in message:
        return (
            f"{where}的引号没有配对（从这里直到文件末尾都会连成一格）；请检查该行后重新保存，未导入任何记录"
        )
    if "expected after" in message:
        return (
            f"{where}的引号用法不对（引号应成对出现在单元格两端，单元格内的引号要写成两个）；未导入任何记录"
        )
    return f"{where}格式有误（{message}），未导入任何记录"


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
        if raw in (kind.label, kind.value):  # the office's sheet says 个体工商户; a file we wrote, the code
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
    """The field once: "统一社会信用代码" + "校验位应为 K…", never "统一社会信用代码：统一社会信用代码：…"."""
    label = FIELD_LABELS.get(p.field, p.field)
    head, sep, rest = p.message.partition("：")
    reason = rest if sep and head in (label, FIELD_LABELS.get(p.field), p.field) else p.message
    return {"row": row, "field": label, "reason": reason}


def import_subjects(
    ctx: Context,
    path: Path,
    *,
    dry_run: bool = False,
    accept_warnings: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """One transaction: every accepted row is committed, or (dry run, cancel, crash) none is.

    A row with only warnings (a USCC whose check character fails — real registered codes can,
    REFERENCE §4.1) is held back and reported unless `accept_warnings`: then it is kept with a note,
    as an officer keeps one in the subject dialog by giving a reason. CLI (--accept-warnings) and GUI
    (「仍然导入」 in the report) decide it the same way, through this flag."""
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
        # The code decides the type (a type column that contradicts it is refused by validate_subject);
        # without a type column, a row with only a 身份证号 is a 自然人, not the 企业 of the name guess.
        kind = derived_type(draft.uscc, draft.id_number) if not raw_type else None
        draft = replace(draft, subject_type=kind or _subject_type(raw_type, draft.uscc))
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
                        "reason": f"与第 {seen_uscc[draft.uscc]} 行重复",
                    }
                )
                continue
            seen_uscc[draft.uscc] = n
        if soft := [p for p in problems if p.severity is Severity.WARNING]:
            if not accept_warnings:
                report.held += [_problem_json(n, p) for p in soft]
                continue
            report.warnings += [_problem_json(n, p) for p in soft]
            if any(p.field == "uscc" for p in soft):
                draft = replace(draft, uscc_note=KEPT_NOTE)
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
        index = _Index(live)
        next_rowid = search.next_search_rowid(session)
        touched: list[SubjectRow] = []
        for done, (n, draft, present) in enumerate(drafts, 1):
            if cancelled is not None and cancelled():
                raise Cancelled("导入已取消，未导入任何记录")  # the session closes without commit
            try:
                row = index.match(draft)
            except _Ambiguous as exc:
                report.rejected.append({"row": n, "field": exc.field, "reason": str(exc)})
                continue
            if row is None:
                report.accepted += 1
                row = SubjectRow(search_rowid=next_rowid, **_values(draft))
                next_rowid += 1
                records.create(session, ctx, row, detail={"source": "import"})
                index.add(row)
                touched.append(row)
            else:
                # Only columns the file fills overwrite: an empty cell never erases what an officer
                # typed. A code the file gives replaces the stored one with its note (a corrected
                # USCC drops the old "校验位未通过" note).
                values = {k: v for k, v in _values(draft).items() if k in present}
                if "uscc" in present:
                    values["uscc_note"] = draft.uscc_note
                index.remove(row)
                changed = records.update(session, ctx, row, values, detail={"source": "import"})
                index.add(row)
                if changed:
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


class _Ambiguous(Exception):
    def __init__(self, field_key: str, message: str) -> None:
        super().__init__(message)
        self.field = FIELD_LABELS[field_key]


class _Index:
    """Which stored subject a row means: the same USCC, or for a person the same 身份证号; else the same
    name and address (a corrected list fixes a wrong code — it must update, not duplicate).
    More than one candidate is never guessed between: the row is reported."""

    def __init__(self, rows: list[SubjectRow]) -> None:
        self.by_uscc: dict[str, SubjectRow] = {}
        # Keyed by the Python object: a row created in this import has no id until the flush.
        self.by_id_number: dict[str, dict[int, SubjectRow]] = {}
        self.by_name_address: dict[tuple[str, str], dict[int, SubjectRow]] = {}
        for row in rows:
            self.add(row)

    def add(self, row: SubjectRow) -> None:
        if row.uscc:
            self.by_uscc[row.uscc] = row
        if row.id_number and row.subject_type == SubjectType.NATURAL_PERSON:
            self.by_id_number.setdefault(row.id_number, {})[id(row)] = row
        self.by_name_address.setdefault((row.name, row.address), {})[id(row)] = row

    def remove(self, row: SubjectRow) -> None:
        """Before an update changes the keys; add() puts it back under the new ones."""
        if row.uscc and self.by_uscc.get(row.uscc) is row:
            del self.by_uscc[row.uscc]
        self.by_id_number.get(row.id_number or "", {}).pop(id(row), None)
        self.by_name_address.get((row.name, row.address), {}).pop(id(row), None)

    def match(self, draft: SubjectDraft) -> SubjectRow | None:
        if draft.uscc and (row := self.by_uscc.get(draft.uscc)) is not None:
            return row
        person = draft.subject_type == SubjectType.NATURAL_PERSON
        if person and draft.id_number and (found := self.by_id_number.get(draft.id_number)):
            return self._one(found, "id_number", "身份证号码相同")
        # Like a corrected USCC, a corrected 身份证号 still finds its subject by name and address.
        return self._one(self.by_name_address.get((draft.name, draft.address)), "name", "名称和住所都相同")

    @staticmethod
    def _one(found: dict[int, SubjectRow] | None, field_key: str, why: str) -> SubjectRow | None:
        rows = list((found or {}).values())
        if len(rows) <= 1:
            return rows[0] if rows else None
        shown = "；".join(f"{r.name}（{r.uscc or r.id_number or '无代码'}）" for r in rows[:5])
        raise _Ambiguous(
            field_key,
            f"已有 {len(rows)} 户与本行{why}（{shown}），无法确定更新哪一户，本行未导入；"
            "请在名录中填写统一社会信用代码（自然人填身份证号码）后重新导入",
        )


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
