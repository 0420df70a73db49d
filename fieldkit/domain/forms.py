"""Form definitions as frozen values, value parsing/formatting, and per-field validation (pure)."""

from __future__ import annotations

import copy
import datetime as dt
import enum
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fieldkit.domain.prefill import known_sources
from fieldkit.domain.problems import Problem, Severity


class FieldType(enum.StrEnum):
    TEXT = "text"  # str, one line
    TEXTAREA = "textarea"  # str, may hold several paragraphs separated by "\n"
    DATE = "date"  # "YYYY-MM-DD" or datetime.date
    DATETIME = "datetime"  # "YYYY-MM-DDTHH:MM" (or with a space) or datetime.datetime
    MONEY = "money"  # int, in fen (分); never a float
    INTEGER = "integer"  # int
    CHOICE = "choice"  # str (single) or list[str] (multiple) of option values
    BOOL = "bool"  # bool
    OFFICERS = "officers"  # list of {"name": str, "cert_no": str}
    QA = "qa"  # list of {"q": str, "a": str}
    TABLE = "table"  # list of {column_key: value}
    SIGNATURE = "signature"  # handwritten on paper; a str value (e.g. "拒绝签名") is printed in the blank
    IMAGES = "images"  # list of {"label", "sha256", "caption"}; the bytes are passed to render_pdf


class FormKind(enum.StrEnum):
    RECORD = "record"  # 笔录: every page carries the signature footer
    NOTICE = "notice"  # 通知书
    DECISION = "decision"  # 决定书
    LIST = "list"  # 清单
    RECEIPT = "receipt"  # 送达回证
    FORM = "form"  # other fill-in sheets (证据提取单, 送达地址确认书)


class FormGroup(enum.StrEnum):
    """Which screen offers a form (TOML `group`); every form is also in 新建文书."""

    MATTER = "matter"  # the documents of an inspection (the default)
    EVIDENCE = "evidence"  # the 证据 panel: made from the evidence (证据清单, 提取单)
    MEASURES = "measures"  # the 措施 panel: made from a measure (清单, 封条, 延长, 解除)


# The order of kinds in 新建文书 after the forms with an `order`: 笔录 before notices and so on.
KIND_ORDER: tuple[FormKind, ...] = (
    FormKind.RECORD,
    FormKind.NOTICE,
    FormKind.DECISION,
    FormKind.LIST,
    FormKind.FORM,
    FormKind.RECEIPT,
)

# Where a field's value may be pre-filled from; the services fill these, the renderer never reads them.
KNOWN_SOURCES: frozenset[str] = known_sources()  # by prefix and matter kind: domain/prefill.py GROUPS

# Fields filled from these sources are derived, not typed: the services set them from the agency and the
# party every time a document is saved or printed, and the editor shows them read-only. The 复议机关 is the
# agency's 本级人民政府 (行政复议法第二十四条); the party type follows the USCC / 身份证号 (行政处罚法第五十一条
# caps differ by it).
DERIVED_SOURCES: frozenset[str] = frozenset({"agency.government", "subject.party_type"})

# Placeholders that come from the document's metadata rather than from a field.
CONTEXT_PLACEHOLDERS: frozenset[str] = frozenset({"agency.name", "document.number"})

COLUMN_TYPES: frozenset[FieldType] = frozenset(
    {FieldType.TEXT, FieldType.INTEGER, FieldType.MONEY, FieldType.DATE, FieldType.DATETIME}
)


@dataclass(frozen=True)
class Option:
    """A choice option: `value` is stored, `text` is printed and may hold placeholders."""

    value: str
    text: str = ""

    @property
    def label(self) -> str:
        return self.text or self.value


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: FieldType = FieldType.TEXT
    width: float = 1.0  # relative to the other columns
    required: bool = False
    max_len: int | None = None
    font_size: float | None = None  # smaller type for long codes such as a SHA-256; None = the table's size


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    type: FieldType
    required: bool = False
    source: str | None = None
    options: tuple[Option, ...] = ()
    multiple: bool = False
    columns: tuple[Column, ...] = ()
    not_past: bool = False  # a deadline: may not lie before today
    max_len: int | None = None
    min: int | None = None
    max: int | None = None
    upper: bool = False  # money: also print the amount in 大写
    help: str = ""
    # 实质内容 (party, facts, basis, penalty, measures and periods, 清单 items): once printed, changed only by
    # a new document with a new number (domain/documents.py; 行政处罚法第四十四、四十五条)
    substantive: bool = False
    # A cross-reference (issue 9 item 9): the 文号 of another of this agency's finalised documents, of these
    # form ids ("*": any numbered form), picked from a list, never typed. `ref_title` names the field that
    # takes the cited document's title (送达回证: 送达文书名称).
    refs: tuple[str, ...] = ()
    ref_title: str | None = None

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def derived(self) -> bool:
        """Filled from its source and not editable per document (see DERIVED_SOURCES)."""
        return self.source in DERIVED_SOURCES


@dataclass(frozen=True)
class Signer:
    label: str  # e.g. "当事人（签名）"
    count: int = 1  # number of signature blanks (执法人员: 2)
    date: bool = True


@dataclass(frozen=True)
class ExchangeItem:
    q: str  # fixed question or statement, may hold placeholders
    answer: str | None = None  # field key of the answer; None = answered by hand on paper
    answer_lines: int = 1  # blank lines printed when there is no answer


@dataclass(frozen=True)
class HeaderBlock:
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class GridBlock:
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class TextBlock:
    field: str
    title: str = ""  # defaults to the field's label
    blank_lines: int = 6
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class QABlock:
    field: str
    title: str = ""
    blank_pairs: int = 8
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class ExchangeBlock:
    items: tuple[ExchangeItem, ...]
    title: str = ""
    q_label: str = "问"
    a_label: str = "答"
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class NoticeBlock:
    text: tuple[str, ...]  # paragraphs, may hold placeholders
    title: str = ""
    style: str = "body"  # body | small | bold | center | right
    indent: bool = True  # first-line indent of two characters
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class TableBlock:
    field: str
    title: str = ""
    blank_rows: int = 10
    number_column: bool = True  # prints 序号
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class ImagesBlock:
    """Thumbnails in a grid with captions (file name, 拍摄时间, SHA-256), flowing over pages row by row."""

    field: str
    title: str = ""
    per_row: int = 3
    hash: str = "short"  # short: first 16 hex digits; full: all 64 in two lines
    height_mm: float | None = None  # picture box height; default three quarters of the box width
    blank_rows: int = 1  # rows of empty boxes on a blank copy (to paste prints on)
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class StripBlock:
    """封条: `copies` framed strips stacked on one page, separated by cutting lines."""

    title: str = "封　条"  # the large heading of each strip
    text: tuple[str, ...] = ()  # lines under the heading, may hold placeholders
    warning: str = ""  # bold line, e.g. "擅自启封、转移、损毁的，依法追究法律责任"
    date_field: str | None = None  # printed with （印章） at the right
    signers: tuple[Signer, ...] = ()
    copies: int = 2
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class SignatureBlock:
    signers: tuple[Signer, ...]
    title: str = ""
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class SealBlock:
    date_field: str | None = None  # the date printed under the seal; blank when None
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class PageFooterBlock:
    """Not placed in the flow: drawn at the foot of every page (程序规定第二十九条: 笔录逐页签名)."""

    signers: tuple[Signer, ...]
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


@dataclass(frozen=True)
class SpacerBlock:
    height_mm: float = 4.0
    when: str | None = None  # "key" or "key=option": printed only then
    blank: bool = True  # printed on blank copies too


Block = (
    HeaderBlock
    | GridBlock
    | TextBlock
    | QABlock
    | ExchangeBlock
    | NoticeBlock
    | TableBlock
    | ImagesBlock
    | StripBlock
    | SignatureBlock
    | SealBlock
    | PageFooterBlock
    | SpacerBlock
)

BLOCK_TYPES: dict[str, type] = {
    "header": HeaderBlock,
    "grid": GridBlock,
    "text": TextBlock,
    "qa": QABlock,
    "exchange": ExchangeBlock,
    "notice": NoticeBlock,
    "table": TableBlock,
    "images": ImagesBlock,
    "strip": StripBlock,
    "signature": SignatureBlock,
    "seal": SealBlock,
    "page_footer": PageFooterBlock,
    "spacer": SpacerBlock,
}
NOTICE_STYLES: frozenset[str] = frozenset({"body", "small", "bold", "center", "right"})
HASH_STYLES: frozenset[str] = frozenset({"short", "full"})
SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FormDef:
    id: str
    title: str
    code: str  # 文书代字, e.g. "现笔"
    version: int
    numbered: bool
    kind: FormKind
    fields: tuple[FieldDef, ...]
    blocks: tuple[Block, ...]
    copies_note: str = ""  # printed at the end, e.g. "本文书一式两份，一份交当事人，一份归档。"
    description: str = ""
    font_size: float = 12.0  # 小四
    # 预定格式、编有号码 (行政处罚法第五十二条: the 当场行政处罚决定书): a blank copy for writing by hand is
    # only ever a numbered blank drawn from the device's series, never one with the number left to fill in
    prenumbered: bool = False
    order: int | None = None  # position in 新建文书 (lower first); None: after those with one, by kind
    group: FormGroup = FormGroup.MATTER
    # TOML `[example]`: realistic values of some fields (the demo data, `fieldkit render`, the tests);
    # read-only and shared by every caller, so take a copy with example_values() to change it
    example: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _by_key: Mapping[str, FieldDef] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {f.key: f for f in self.fields})
        object.__setattr__(self, "example", MappingProxyType(dict(self.example)))

    def example_values(self) -> dict[str, Any]:
        """The example as the caller's own values (nested lists and tables copied too); {} when none."""
        return copy.deepcopy(dict(self.example))

    def field(self, key: str) -> FieldDef:
        return self._by_key[key]

    def has_field(self, key: str) -> bool:
        return key in self._by_key

    def field_by_source(self, source: str) -> FieldDef | None:
        for f in self.fields:
            if f.source == source:
                return f
        return None

    @property
    def page_footer(self) -> PageFooterBlock | None:
        for b in self.blocks:
            if isinstance(b, PageFooterBlock):
                return b
        return None


def form_order(form: FormDef) -> tuple[int, int, int, str]:
    """Sort key of 新建文书 and the panels' menus: the forms with an `order` first (the on-site order of
    docs/forms.md), then a province's forms without one by kind, 笔录 before notices and so on."""
    kind = KIND_ORDER.index(form.kind) if form.kind in KIND_ORDER else len(KIND_ORDER)
    return (0, form.order, kind, form.id) if form.order is not None else (1, 0, kind, form.id)


def listing_problems(doc: Mapping[str, object]) -> list[tuple[str, str]]:
    """(key, problem) for the TOML keys `order` and `group` of a form definition; [] when both are right
    or absent."""
    out: list[tuple[str, str]] = []
    order = doc.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool) or order < 1):
        out.append(("order", f"应为正整数（在「新建文书」中的位置，小的在前），实为 {order!r}"))
    group = doc.get("group")
    if group is not None and group not in tuple(FormGroup):
        allowed = "、".join(f"“{g.value}”" for g in FormGroup)
        out.append(("group", f"未知的分组 {group!r}（可用：{allowed}）"))
    return out


def read_listing(doc: Mapping[str, object]) -> tuple[int | None, FormGroup]:
    """`order` and `group` of a definition checked by listing_problems (wrong values: the defaults)."""
    order, group = doc.get("order"), doc.get("group")
    ok = not listing_problems(doc)
    return (
        order if ok and isinstance(order, int) else None,
        FormGroup(group) if ok and isinstance(group, str) else FormGroup.MATTER,
    )


def example_problems(example: object, field_keys: Collection[str]) -> list[tuple[str, str]]:
    """(key, problem) for the TOML table `[example]` of a definition whose fields are `field_keys`: it is
    a table and names only fields of the form; [] when it is right or absent."""
    if example is None:
        return []
    if not isinstance(example, Mapping):
        return [("example", f"应为表格（[example] 下每行“字段名 = 示例值”），实为 {example!r}")]
    return [
        (f"example.{key}", f"“{key}”不是本表单的字段（[[fields]] 中没有此字段名）")
        for key in example
        if key not in field_keys
    ]


def read_example(example: object, field_keys: Collection[str]) -> dict[str, Any]:
    """`[example]` checked by example_problems ({} when it is wrong or absent)."""
    if example is None or example_problems(example, field_keys):
        return {}
    assert isinstance(example, Mapping)
    return dict(example)


# ---------------------------------------------------------------------------------------------
# Placeholders: "{key}" in notice text, exchange questions, option texts and the copies note.
# "{{" and "}}" print literal braces.

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def split_template(template: str) -> list[tuple[str, str]]:
    """Split a template into ("text", s) and ("ph", name) parts; raise ValueError on broken braces."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN_RE.finditer(template):
        if m.start() > pos:
            parts.append(("text", template[pos : m.start()]))
        tok = m.group(0)
        if tok == "{{":
            parts.append(("text", "{"))
        elif tok == "}}":
            parts.append(("text", "}"))
        elif tok in "{}":
            raise ValueError(f"第 {m.start() + 1} 个字符处的花括号不成对（字面花括号请写 {{{{ 或 }}}}）")
        else:
            name = m.group(1)
            if not PLACEHOLDER_RE.fullmatch("{" + name + "}"):
                raise ValueError(f"占位符 {{{name}}} 的写法不对，只能用字母、数字、下划线和点")
            parts.append(("ph", name))
        pos = m.end()
    if pos < len(template):
        parts.append(("text", template[pos:]))
    return parts


def placeholder_names(template: str) -> list[str]:
    return [name for kind, name in split_template(template) if kind == "ph"]


def resolve_placeholder(formdef: FormDef, name: str) -> FieldDef | str | None:
    """A field (by key, or by its source path), a context name, or None when unknown."""
    if formdef.has_field(name):
        return formdef.field(name)
    by_source = formdef.field_by_source(name)
    if by_source is not None:
        return by_source
    if name in CONTEXT_PLACEHOLDERS:
        return name
    return None


# ---------------------------------------------------------------------------------------------
# Parsing and formatting values


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def parse_date(value: object) -> dt.date | None:
    """A date from a date/datetime or an ISO string; None when it cannot be read."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def parse_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def format_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_datetime(t: dt.datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"


def format_money(fen: int) -> str:
    """12345 → "¥123.45"; thousands separated as on bank slips."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits_upper(n: int) -> str:
    """0 < n < 10000 in capital numerals, with inner zeros collapsed (e.g. 1005 → 壹仟零伍)."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def money_upper(fen: int) -> str:
    """Amount in 大写 as written on financial documents: 123456 → "壹仟贰佰叁拾肆元伍角陆分"."""
    if fen < 0:
        return "负" + money_upper(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_ = divmod(cents, 10)
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or g < 1000):
                text += "零"
            text += _four_digits_upper(g) + _BIG_UNITS[idx]
            need_zero = False
        text += "元"
    if not jiao and not fen_:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_:
        text += _DIGITS[fen_] + "分"
    else:
        text += "整"
    return text


def option_for(fd: FieldDef, value: str) -> Option | None:
    for o in fd.options:
        if o.value == value:
            return o
    return None


def chosen_values(fd: FieldDef, value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, list | tuple | set | frozenset):
        return {v for v in value if isinstance(v, str)}
    return set()


def format_officer(o: Mapping[str, object]) -> str:
    name = str(o.get("name") or "").strip()
    cert = str(o.get("cert_no") or "").strip()
    return f"{name}（执法证号：{cert}）" if cert else name


def format_scalar(fd: FieldDef | Column, value: object) -> str:
    """The printed text of a non-structured value; "" for empty; never raises on odd input."""
    if is_empty(value):
        return ""
    t = fd.type
    if t == FieldType.DATE:
        d = parse_date(value)
        return format_date(d) if d else str(value)
    if t == FieldType.DATETIME:
        ts = parse_datetime(value)
        return format_datetime(ts) if ts else str(value)
    if t == FieldType.MONEY:
        if isinstance(value, int) and not isinstance(value, bool):
            text = format_money(value)
            if isinstance(fd, FieldDef) and fd.upper:
                text += f"（大写：{money_upper(value)}）"
            return text
        return str(value)
    if t == FieldType.BOOL:
        return "是" if value is True else "否" if value is False else str(value)
    if t == FieldType.OFFICERS and isinstance(value, list | tuple):
        return "、".join(format_officer(o) for o in value if isinstance(o, Mapping))
    if t == FieldType.IMAGES and isinstance(value, list | tuple):
        return "、".join(str(o.get("label") or "") for o in value if isinstance(o, Mapping))
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Validation of entered values (shape and per-field limits). Procedure rules live in preprint.py.


def _p(fd_key: str, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(field=fd_key, code=code, message=message, severity=severity)


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_scalar(
    label: str, key: str, ftype: FieldType, value: object, today: dt.date, *, not_past: bool = False
) -> list[Problem]:
    problems: list[Problem] = []
    if ftype in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.SIGNATURE):
        if not isinstance(value, str):
            problems.append(_p(key, "form.type", f"{label}：应为文字"))
    elif ftype == FieldType.MONEY:
        if not _is_int(value):
            shown = f"“{value}”" if isinstance(value, str) else type(value).__name__
            problems.append(_p(key, "form.money", f"{label}：应为金额（以分为单位的整数），实为 {shown}"))
        elif value < 0:
            problems.append(_p(key, "form.money_negative", f"{label}：金额不能为负数"))
    elif ftype == FieldType.INTEGER:
        if not _is_int(value):
            problems.append(_p(key, "form.integer", f"{label}：应为整数，实为“{value}”"))
    elif ftype in (FieldType.DATE, FieldType.DATETIME):
        d = parse_date(value) if ftype == FieldType.DATE else parse_datetime(value)
        if d is None:
            example = "2026-03-05" if ftype == FieldType.DATE else "2026-03-05T09:30"
            problems.append(_p(key, "form.date", f"{label}：无法识别的日期“{value}”（格式如 {example}）"))
        elif not_past:
            day = d if isinstance(d, dt.date) and not isinstance(d, dt.datetime) else d.date()
            if day < today:
                problems.append(
                    _p(
                        key,
                        "form.past",
                        f"{label}：期限 {format_date(day)} 已早于今天（{format_date(today)}）",
                    )
                )
    elif ftype == FieldType.BOOL and not isinstance(value, bool):
        problems.append(_p(key, "form.bool", f"{label}：应为“是”或“否”"))
    return problems


def _check_field(fd: FieldDef, value: object, today: dt.date) -> list[Problem]:
    label, key, t = fd.label, fd.key, fd.type
    problems: list[Problem] = []
    if t in (
        FieldType.TEXT,
        FieldType.TEXTAREA,
        FieldType.SIGNATURE,
        FieldType.MONEY,
        FieldType.INTEGER,
        FieldType.DATE,
        FieldType.DATETIME,
        FieldType.BOOL,
    ):
        problems += _check_scalar(label, key, t, value, today, not_past=fd.not_past)
        if problems:
            return problems
        if isinstance(value, str) and fd.max_len is not None and len(value) > fd.max_len:
            problems.append(_p(key, "form.too_long", f"{label}：最多 {fd.max_len} 字，现有 {len(value)} 字"))
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
            shown: Callable[[int], str] = format_money if t == FieldType.MONEY else str
            if fd.min is not None and n < fd.min:
                problems.append(_p(key, "form.min", f"{label}：不能小于 {shown(fd.min)}"))
            if fd.max is not None and n > fd.max:
                problems.append(_p(key, "form.max", f"{label}：不能大于 {shown(fd.max)}"))
        return problems

    if t == FieldType.CHOICE:
        if isinstance(value, str):
            chosen = [value]
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            chosen = list(value)
            if not fd.multiple and len(chosen) > 1:
                problems.append(
                    _p(key, "form.single_choice", f"{label}：只能选一项，现选了 {len(chosen)} 项")
                )
        else:
            return [_p(key, "form.choice", f"{label}：应为选项文字")]
        allowed = fd.option_values()
        for v in chosen:
            if v not in allowed:
                problems.append(
                    _p(key, "form.unknown_choice", f"{label}：没有选项“{v}”，可选：{'、'.join(allowed)}")
                )
        return problems

    if not isinstance(value, list | tuple):
        return [_p(key, "form.list", f"{label}：应为多行列表")]

    if t == FieldType.OFFICERS:
        for i, o in enumerate(value, 1):
            if not isinstance(o, Mapping):
                problems.append(
                    _p(key, "form.row", f"{label}：第 {i} 名执法人员的格式不对（应有姓名和执法证号）")
                )
                continue
            extra = set(o) - {"name", "cert_no"}
            if extra:
                problems.append(
                    _p(key, "form.row", f"{label}：第 {i} 名执法人员有未知项 {'、'.join(sorted(extra))}")
                )
            name, cert = o.get("name"), o.get("cert_no")
            if not isinstance(name, str) or not name.strip():
                problems.append(_p(key, "form.row", f"{label}：第 {i} 名执法人员缺少姓名"))
            if cert is not None and not isinstance(cert, str):
                problems.append(_p(key, "form.row", f"{label}：第 {i} 名执法人员的执法证号应为文字"))
        return problems

    if t == FieldType.QA:
        for i, pair in enumerate(value, 1):
            if not isinstance(pair, Mapping) or set(pair) - {"q", "a"}:
                problems.append(_p(key, "form.row", f"{label}：第 {i} 组问答格式不对（应只有“问”和“答”）"))
                continue
            q, a = pair.get("q", ""), pair.get("a", "")
            if not isinstance(q, str) or not isinstance(a, str):
                problems.append(_p(key, "form.row", f"{label}：第 {i} 组问答应为文字"))
            elif not q.strip():
                problems.append(_p(key, "form.row", f"{label}：第 {i} 组问答缺少问题"))
        return problems

    if t == FieldType.IMAGES:
        for i, image in enumerate(value, 1):
            if not isinstance(image, Mapping):
                problems.append(_p(key, "form.row", f"{label}：第 {i} 张图片的格式不对（应有名称和校验值）"))
                continue
            extra = set(image) - {"label", "sha256", "caption"}
            if extra:
                problems.append(
                    _p(
                        key,
                        "form.row",
                        f"{label}：第 {i} 张图片有未知项 {'、'.join(sorted(map(str, extra)))}",
                    )
                )
            sha = image.get("sha256")
            if not isinstance(sha, str) or not SHA256_RE.fullmatch(sha):
                problems.append(
                    _p(key, "form.row", f"{label}：第 {i} 张图片的 SHA-256 校验值应为 64 位小写十六进制数")
                )
            for part, name in (("label", "名称"), ("caption", "说明")):
                if not isinstance(image.get(part, ""), str):
                    problems.append(_p(key, "form.row", f"{label}：第 {i} 张图片的{name}应为文字"))
        return problems

    if t == FieldType.TABLE:
        cols = {c.key: c for c in fd.columns}
        for i, row in enumerate(value, 1):
            if not isinstance(row, Mapping):
                problems.append(_p(key, "form.row", f"{label}：第 {i} 行格式不对（应为各列的值）"))
                continue
            extra = set(row) - set(cols)
            if extra:
                problems.append(
                    _p(key, "form.row", f"{label}：第 {i} 行有未知列 {'、'.join(sorted(map(str, extra)))}")
                )
            for c in fd.columns:
                cell = row.get(c.key)
                if is_empty(cell):
                    if c.required:
                        problems.append(_p(key, "form.row", f"{label}：第 {i} 行缺少“{c.label}”"))
                    continue
                for sub in _check_scalar(f"{label}：第 {i} 行“{c.label}”", key, c.type, cell, today):
                    problems.append(Problem(key, "form.row", sub.message))
                if isinstance(cell, str) and c.max_len is not None and len(cell) > c.max_len:
                    problems.append(
                        _p(
                            key,
                            "form.too_long",
                            f"{label}：第 {i} 行“{c.label}”最多 {c.max_len} 字，现有 {len(cell)} 字",
                        )
                    )
        return problems
    return problems


def validate_values(formdef: FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """Every problem with the entered values, in field order; messages start with the field's label."""
    problems: list[Problem] = []
    for fd in formdef.fields:
        value = values.get(fd.key)
        if is_empty(value):
            if fd.required and fd.type != FieldType.SIGNATURE:
                problems.append(_p(fd.key, "form.required", f"{fd.label}：必须填写"))
            continue
        problems += _check_field(fd, value, today)
    return problems


def when_holds(formdef: FormDef, when: str | None, values: Mapping[str, object]) -> bool:
    """A block's `when`: "key" (value given and not false) or "key=value" (that option chosen)."""
    if not when:
        return True
    key, sep, wanted = (part.strip() for part in when.partition("="))
    value = values.get(key)
    if not sep:
        return value is not False and not is_empty(value)
    if not formdef.has_field(key):
        return False
    fd = formdef.field(key)
    if fd.type == FieldType.BOOL:
        return value is (wanted in ("true", "是"))
    return wanted in chosen_values(fd, value)
