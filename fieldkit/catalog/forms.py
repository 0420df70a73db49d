"""Form definitions (forms/*.toml) read and checked into FormDef values (DESIGN §4)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.catalog.cache import SHARED, Cache, stamp, toml_files
from fieldkit.catalog.errors import FORM_FILE, CatalogError
from fieldkit.catalog.phrases import PHRASES_FILE, read_phrases
from fieldkit.catalog.reader import display, read_toml
from fieldkit.domain import forms as F

log = logging.getLogger(__name__)

_TOP_KEYS = {
    "id",
    "title",
    "code",
    "version",
    "numbered",
    "prenumbered",
    "kind",
    "copies_note",
    "description",
    "font_size",
    "order",
    "group",
    "example",
    "fields",
    "blocks",
}
_FIELD_KEYS = {
    "key",
    "label",
    "type",
    "required",
    "source",
    "options",
    "multiple",
    "columns",
    "not_past",
    "max_len",
    "min",
    "max",
    "upper",
    "help",
    "substantive",
    "refs",
    "ref_title",
}
_COLUMN_KEYS = {"key", "label", "type", "width", "required", "max_len", "font_size"}
_SIGNER_KEYS = {"label", "count", "date"}
_ITEM_KEYS = {"q", "answer", "answer_lines"}
_BLOCK_KEYS: dict[str, set[str]] = {
    "header": set(),
    "grid": {"rows", "title"},
    "text": {"field", "title", "blank_lines"},
    "qa": {"field", "title", "blank_pairs"},
    "exchange": {"items", "title", "q_label", "a_label"},
    "notice": {"text", "title", "style", "indent"},
    "table": {"field", "title", "blank_rows", "number_column"},
    "images": {"field", "title", "per_row", "hash", "height_mm", "blank_rows"},
    "strip": {"title", "text", "warning", "date_field", "signers", "copies"},
    "signature": {"signers", "title"},
    "seal": {"date_field"},
    "page_footer": {"signers"},
    "spacer": {"height_mm"},
}
_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_ID_RE = re.compile(r"[a-z][a-z0-9_]*")


def _error(file: str, key: str, problem: str) -> CatalogError:
    return CatalogError(file, key, problem, what=FORM_FILE)


class _Reader:
    """Reads one parsed TOML document into a FormDef, collecting every problem instead of stopping."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[CatalogError] = []

    def err(self, key: str, problem: str) -> None:
        self.errors.append(_error(self.file, key, problem))

    # typed getters: report and return the default when the value has the wrong type
    def get_str(
        self, d: dict[str, Any], key: str, where: str, *, required: bool = False, default: str = ""
    ) -> str:
        value = d.get(key)
        if value is None:
            if required:
                self.err(where, "缺少此项（必填）")
            return default
        if not isinstance(value, str):
            self.err(where, f"应为文字，实为 {value!r}")
            return default
        if required and not value.strip():
            self.err(where, "不能为空")
        return value

    def get_bool(self, d: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            self.err(where, f"应为 true 或 false，实为 {value!r}")
            return default
        return value

    def get_int(
        self, d: dict[str, Any], key: str, where: str, default: int | None, *, minimum: int = 0
    ) -> int | None:
        value = d.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.err(where, f"应为整数，实为 {value!r}")
            return default
        if value < minimum:
            self.err(where, f"不能小于 {minimum}")
            return default
        return value

    def get_number(self, d: dict[str, Any], key: str, where: str, default: float) -> float:
        value = d.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            self.err(where, f"应为正数，实为 {value!r}")
            return default
        return float(value)

    def unknown_keys(self, d: dict[str, Any], allowed: set[str], where: str) -> None:
        for k in d:
            if k not in allowed:
                self.err(
                    f"{where}.{k}" if where else k, f"未知的设置项“{k}”（可用：{'、'.join(sorted(allowed))}）"
                )

    def table_list(self, value: Any, where: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            self.err(where, "应为表格数组（[[...]] 或 [{...}, ...]）")
            return []
        return value

    # ---- fields
    def read_field(self, d: dict[str, Any], i: int) -> F.FieldDef:
        key = d.get("key")
        where = f"fields[{key}]" if isinstance(key, str) and key else f"fields[{i}]"
        self.unknown_keys(d, _FIELD_KEYS, where)
        key = self.get_str(d, "key", f"{where}.key", required=True)
        if key and not _KEY_RE.fullmatch(key):
            self.err(f"{where}.key", f"字段名“{key}”只能用小写字母、数字和下划线，并以字母开头")
        label = self.get_str(d, "label", f"{where}.label", required=True)
        type_name = self.get_str(d, "type", f"{where}.type", required=True)
        try:
            ftype = F.FieldType(type_name)
        except ValueError:
            if type_name:
                self.err(
                    f"{where}.type",
                    f"未知的字段类型“{type_name}”（可用：{'、'.join(t.value for t in F.FieldType)}）",
                )
            ftype = F.FieldType.TEXT  # go on as text, so the blocks using it add no further errors
        source = d.get("source")
        if source is not None:
            source = self.get_str(d, "source", f"{where}.source") or None
            if source and source not in F.KNOWN_SOURCES:
                self.err(
                    f"{where}.source",
                    f"未知的预填来源“{source}”（可用：{'、'.join(sorted(F.KNOWN_SOURCES))}）",
                )
        options = self.read_options(d.get("options"), f"{where}.options")
        if ftype == F.FieldType.CHOICE and not options:
            self.err(f"{where}.options", "选择题字段（choice）必须列出选项")
        if ftype != F.FieldType.CHOICE and options:
            self.err(f"{where}.options", "只有选择题字段（choice）可以有选项")
        columns = self.read_columns(d.get("columns"), f"{where}.columns")
        if ftype == F.FieldType.TABLE and not columns:
            self.err(f"{where}.columns", "表格字段（table）必须列出各列")
        if ftype != F.FieldType.TABLE and columns:
            self.err(f"{where}.columns", "只有表格字段（table）可以有列")
        return F.FieldDef(
            key=key,
            label=label,
            type=ftype,
            required=self.get_bool(d, "required", f"{where}.required", False),
            source=source,
            options=options,
            multiple=self.get_bool(d, "multiple", f"{where}.multiple", False),
            columns=columns,
            not_past=self.get_bool(d, "not_past", f"{where}.not_past", False),
            max_len=self.get_int(d, "max_len", f"{where}.max_len", None, minimum=1),
            min=self.get_int(d, "min", f"{where}.min", None, minimum=-(2**62)),
            max=self.get_int(d, "max", f"{where}.max", None, minimum=-(2**62)),
            upper=self.get_bool(d, "upper", f"{where}.upper", False),
            help=self.get_str(d, "help", f"{where}.help"),
            # the party, a 清单's items and the officers are substantive unless a definition says
            # otherwise: officers are picked from the roster, so a "correction" of them is never a slip of
            # the pen but another officer named on a served document (行政处罚法第四十二条)
            substantive=self.get_bool(
                d,
                "substantive",
                f"{where}.substantive",
                source == "subject.name" or ftype in (F.FieldType.TABLE, F.FieldType.OFFICERS),
            ),
            refs=self.read_refs(d, ftype, where),
            ref_title=self.get_str(d, "ref_title", f"{where}.ref_title") or None,
        )

    def read_refs(self, d: dict[str, Any], ftype: F.FieldType, where: str) -> tuple[str, ...]:
        """`refs = ["caiwu_qingdan"]`: the field cites a finalised document of these forms ("*": any)."""
        value = d.get("refs")
        if value is None:
            if d.get("ref_title") is not None:
                self.err(f"{where}.ref_title", "只有引用其他文书文号的字段（refs）可以指定 ref_title")
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self.err(
                f"{where}.refs", '应为文书编号（id）的数组，如 refs = ["caiwu_qingdan"]，"*" 表示任一编号文书'
            )
            return ()
        if ftype != F.FieldType.TEXT:
            self.err(f"{where}.refs", "只有文字字段（text）可以引用其他文书的文号")
            return ()
        return tuple(value)

    def read_options(self, value: Any, where: str) -> tuple[F.Option, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.err(where, "应为选项数组")
            return ()
        out: list[F.Option] = []
        seen: set[str] = set()
        for j, o in enumerate(value):
            if isinstance(o, str):
                opt = F.Option(o)
            elif isinstance(o, dict):
                self.unknown_keys(o, {"value", "text"}, f"{where}[{j}]")
                opt = F.Option(
                    self.get_str(o, "value", f"{where}[{j}].value", required=True),
                    self.get_str(o, "text", f"{where}[{j}].text"),
                )
            else:
                self.err(f"{where}[{j}]", f"选项应为文字或 {{value=…, text=…}}，实为 {o!r}")
                continue
            if not opt.value.strip():
                self.err(f"{where}[{j}]", "选项不能为空")
            if opt.value in seen:
                self.err(f"{where}[{j}]", f"选项“{opt.value}”重复")
            seen.add(opt.value)
            out.append(opt)
        return tuple(out)

    def read_columns(self, value: Any, where: str) -> tuple[F.Column, ...]:
        out: list[F.Column] = []
        seen: set[str] = set()
        for j, c in enumerate(self.table_list(value, where)):
            cw = f"{where}[{c.get('key', j)}]"
            self.unknown_keys(c, _COLUMN_KEYS, cw)
            key = self.get_str(c, "key", f"{cw}.key", required=True)
            if key and not _KEY_RE.fullmatch(key):
                self.err(f"{cw}.key", f"列名“{key}”只能用小写字母、数字和下划线")
            if key in seen:
                self.err(f"{cw}.key", f"列名“{key}”重复")
            seen.add(key)
            type_name = self.get_str(c, "type", f"{cw}.type", default="text")
            try:
                ctype = F.FieldType(type_name)
            except ValueError:
                self.err(f"{cw}.type", f"未知的列类型“{type_name}”")
                ctype = F.FieldType.TEXT
            if ctype not in F.COLUMN_TYPES:
                self.err(f"{cw}.type", f"表格列只能是 {'、'.join(sorted(t.value for t in F.COLUMN_TYPES))}")
                ctype = F.FieldType.TEXT
            out.append(
                F.Column(
                    key=key,
                    label=self.get_str(c, "label", f"{cw}.label", required=True),
                    type=ctype,
                    width=self.get_number(c, "width", f"{cw}.width", 1.0),
                    required=self.get_bool(c, "required", f"{cw}.required", False),
                    max_len=self.get_int(c, "max_len", f"{cw}.max_len", None, minimum=1),
                    font_size=(
                        self.get_number(c, "font_size", f"{cw}.font_size", 10.5) if "font_size" in c else None
                    ),
                )
            )
        return tuple(out)

    # ---- blocks
    def read_signers(self, value: Any, where: str) -> tuple[F.Signer, ...]:
        out = []
        for j, s in enumerate(self.table_list(value, where)):
            sw = f"{where}[{j}]"
            self.unknown_keys(s, _SIGNER_KEYS, sw)
            out.append(
                F.Signer(
                    label=self.get_str(s, "label", f"{sw}.label", required=True),
                    count=self.get_int(s, "count", f"{sw}.count", 1, minimum=1) or 1,
                    date=self.get_bool(s, "date", f"{sw}.date", True),
                )
            )
        if not out:
            self.err(where, "至少要有一个签名人")
        return tuple(out)

    def read_block(self, d: dict[str, Any], i: int) -> F.Block | None:
        btype = d.get("type")
        where = f"blocks[{i}]"
        if not isinstance(btype, str) or btype not in _BLOCK_KEYS:
            self.err(f"{where}.type", f"未知的版块类型“{btype}”（可用：{'、'.join(_BLOCK_KEYS)}）")
            return None
        where = f"blocks[{i}:{btype}]"
        self.unknown_keys(d, _BLOCK_KEYS[btype] | {"type", "when", "blank"}, where)
        when = self.get_str(d, "when", f"{where}.when") or None
        in_blank = self.get_bool(d, "blank", f"{where}.blank", True)
        title = self.get_str(d, "title", f"{where}.title")
        field_key = self.get_str(
            d, "field", f"{where}.field", required=btype in ("text", "qa", "table", "images")
        )
        match btype:
            case "header":
                return F.HeaderBlock(when=when, blank=in_blank)
            case "grid":
                rows = d.get("rows")
                parsed: list[tuple[str, ...]] = []
                if not isinstance(rows, list) or not rows:
                    self.err(f"{where}.rows", "应为非空数组，每项是字段名或字段名数组")
                else:
                    for j, r in enumerate(rows):
                        row = (r,) if isinstance(r, str) else r
                        if (
                            not isinstance(row, list | tuple)
                            or not row
                            or not all(isinstance(k, str) for k in row)
                            or len(row) > 2
                        ):
                            self.err(f"{where}.rows[{j}]", "每行应为一个字段名，或至多两个字段名的数组")
                            continue
                        parsed.append(tuple(row))
                return F.GridBlock(rows=tuple(parsed), title=title, when=when, blank=in_blank)
            case "text":
                return F.TextBlock(
                    field=field_key,
                    title=title,
                    blank_lines=self.get_int(d, "blank_lines", f"{where}.blank_lines", 6) or 0,
                    when=when,
                    blank=in_blank,
                )
            case "qa":
                return F.QABlock(
                    field=field_key,
                    title=title,
                    blank_pairs=self.get_int(d, "blank_pairs", f"{where}.blank_pairs", 8) or 0,
                    when=when,
                    blank=in_blank,
                )
            case "exchange":
                items = []
                for j, it in enumerate(self.table_list(d.get("items"), f"{where}.items")):
                    iw = f"{where}.items[{j}]"
                    self.unknown_keys(it, _ITEM_KEYS, iw)
                    items.append(
                        F.ExchangeItem(
                            q=self.get_str(it, "q", f"{iw}.q", required=True),
                            answer=self.get_str(it, "answer", f"{iw}.answer") or None,
                            answer_lines=self.get_int(it, "answer_lines", f"{iw}.answer_lines", 1, minimum=1)
                            or 1,
                        )
                    )
                if not items:
                    self.err(f"{where}.items", "至少要有一问")
                return F.ExchangeBlock(
                    items=tuple(items),
                    title=title,
                    q_label=self.get_str(d, "q_label", f"{where}.q_label", default="问"),
                    a_label=self.get_str(d, "a_label", f"{where}.a_label", default="答"),
                    when=when,
                    blank=in_blank,
                )
            case "notice":
                text = d.get("text")
                paras: tuple[str, ...] = ()
                if isinstance(text, str):
                    paras = (text,)
                elif isinstance(text, list) and all(isinstance(t, str) for t in text):
                    paras = tuple(text)
                if not paras or not any(p.strip() for p in paras):
                    self.err(f"{where}.text", "应为非空文字或文字数组")
                style = self.get_str(d, "style", f"{where}.style", default="body")
                if style not in F.NOTICE_STYLES:
                    self.err(
                        f"{where}.style", f"未知的样式“{style}”（可用：{'、'.join(sorted(F.NOTICE_STYLES))}）"
                    )
                    style = "body"
                return F.NoticeBlock(
                    text=paras,
                    title=title,
                    style=style,
                    indent=self.get_bool(d, "indent", f"{where}.indent", True),
                    when=when,
                    blank=in_blank,
                )
            case "table":
                return F.TableBlock(
                    field=field_key,
                    title=title,
                    blank_rows=self.get_int(d, "blank_rows", f"{where}.blank_rows", 10) or 0,
                    number_column=self.get_bool(d, "number_column", f"{where}.number_column", True),
                    when=when,
                    blank=in_blank,
                )
            case "images":
                hash_style = self.get_str(d, "hash", f"{where}.hash", default="short")
                if hash_style not in F.HASH_STYLES:
                    self.err(
                        f"{where}.hash", f"应为 short（前 16 位）或 full（全部 64 位），实为“{hash_style}”"
                    )
                    hash_style = "short"
                per_row = self.get_int(d, "per_row", f"{where}.per_row", 3, minimum=1) or 3
                if per_row > 6:
                    self.err(f"{where}.per_row", "每行最多 6 张图片")
                    per_row = 6
                return F.ImagesBlock(
                    field=field_key,
                    title=title,
                    per_row=per_row,
                    hash=hash_style,
                    height_mm=self.get_number(d, "height_mm", f"{where}.height_mm", 36.0)
                    if "height_mm" in d
                    else None,
                    blank_rows=self.get_int(d, "blank_rows", f"{where}.blank_rows", 1) or 0,
                    when=when,
                    blank=in_blank,
                )
            case "strip":
                text = d.get("text", [])
                lines: tuple[str, ...] = ()
                if isinstance(text, str):
                    lines = (text,)
                elif isinstance(text, list) and all(isinstance(t, str) for t in text):
                    lines = tuple(text)
                else:
                    self.err(f"{where}.text", "应为文字或文字数组")
                copies = self.get_int(d, "copies", f"{where}.copies", 2, minimum=1) or 2
                if copies > 3:
                    self.err(f"{where}.copies", "一页最多 3 条")
                    copies = 3
                return F.StripBlock(
                    title=title or "封　条",
                    text=lines,
                    warning=self.get_str(d, "warning", f"{where}.warning"),
                    date_field=self.get_str(d, "date_field", f"{where}.date_field") or None,
                    signers=self.read_signers(d["signers"], f"{where}.signers") if "signers" in d else (),
                    copies=copies,
                    when=when,
                    blank=in_blank,
                )
            case "signature":
                return F.SignatureBlock(
                    signers=self.read_signers(d.get("signers"), f"{where}.signers"),
                    title=title,
                    when=when,
                    blank=in_blank,
                )
            case "seal":
                date_field = self.get_str(d, "date_field", f"{where}.date_field") or None
                return F.SealBlock(date_field=date_field, when=when, blank=in_blank)
            case "page_footer":
                signers = self.read_signers(d.get("signers"), f"{where}.signers")
                return F.PageFooterBlock(signers=signers, when=when, blank=in_blank)
            case "spacer":
                height = self.get_number(d, "height_mm", f"{where}.height_mm", 4.0)
                return F.SpacerBlock(height_mm=height, when=when, blank=in_blank)
        return None  # pragma: no cover - every key of _BLOCK_KEYS is matched above

    # ---- the whole document
    def read(self, doc: dict[str, Any], stem: str) -> F.FormDef | None:
        self.unknown_keys(doc, _TOP_KEYS, "")
        form_id = self.get_str(doc, "id", "id", required=True)
        if form_id and not _ID_RE.fullmatch(form_id):
            self.err("id", f"表单编号“{form_id}”只能用小写字母、数字和下划线")
        if form_id and form_id != stem:
            self.err("id", f"表单编号“{form_id}”应与文件名“{stem}”一致")
        kind_name = self.get_str(doc, "kind", "kind", required=True)
        try:
            kind = F.FormKind(kind_name)
        except ValueError:
            if kind_name:
                self.err(
                    "kind", f"未知的文书种类“{kind_name}”（可用：{'、'.join(k.value for k in F.FormKind)}）"
                )
            kind = F.FormKind.FORM
        fields: list[F.FieldDef] = []
        seen: set[str] = set()
        for i, fd_raw in enumerate(self.table_list(doc.get("fields"), "fields")):
            fd = self.read_field(fd_raw, i)
            if fd.key in seen:
                self.err(f"fields[{fd.key}].key", f"字段名“{fd.key}”重复")
                continue
            seen.add(fd.key)
            fields.append(fd)
        blocks = [
            b
            for i, raw in enumerate(self.table_list(doc.get("blocks"), "blocks"))
            if (b := self.read_block(raw, i))
        ]
        if not blocks:
            self.err("blocks", "至少要有一个版块")
        for key, problem in F.listing_problems(doc):  # order and group (domain/forms.py)
            self.err(key, problem)
        order, group = F.read_listing(doc)
        for key, problem in F.example_problems(doc.get("example"), seen):  # keys are fields of this form
            self.err(key, problem)
        formdef = F.FormDef(
            id=form_id,
            title=self.get_str(doc, "title", "title", required=True),
            code=self.get_str(doc, "code", "code", required=True),
            version=self.get_int(doc, "version", "version", 1, minimum=1) or 1,
            numbered=self.get_bool(doc, "numbered", "numbered", False),
            kind=kind,
            fields=tuple(fields),
            blocks=tuple(blocks),
            copies_note=self.get_str(doc, "copies_note", "copies_note"),
            description=self.get_str(doc, "description", "description"),
            font_size=self.get_number(doc, "font_size", "font_size", 12.0),
            prenumbered=self.get_bool(doc, "prenumbered", "prenumbered", False),
            order=order,
            group=group,
            example=F.read_example(doc.get("example"), seen),
        )
        if formdef.prenumbered and not formdef.numbered:
            self.err("prenumbered", "编有号码的文书（prenumbered）须有文号（numbered = true）")
        self.cross_check(formdef, doc)
        return formdef

    def check_template(self, formdef: F.FormDef, template: str, where: str) -> set[str]:
        try:
            names = F.placeholder_names(template)
        except ValueError as exc:
            self.err(where, str(exc))
            return set(F.PLACEHOLDER_RE.findall(template))  # the well-formed ones still count as used
        for name in names:
            if F.resolve_placeholder(formdef, name) is None:
                self.err(
                    where,
                    f"占位符 {{{name}}} 既不是本表单的字段名或预填来源，也不是 "
                    f"{'、'.join(sorted(F.CONTEXT_PLACEHOLDERS))} 之一",
                )
        return set(names)

    def check_field_ref(
        self, formdef: F.FormDef, key: str | None, where: str, types: set[F.FieldType]
    ) -> None:
        if not key:
            return
        if not formdef.has_field(key):
            self.err(where, f"字段“{key}”未在 [[fields]] 中定义")
        elif formdef.field(key).type not in types:
            self.err(where, f"字段“{key}”的类型应为 {'/'.join(sorted(t.value for t in types))}")

    def cross_check(self, formdef: F.FormDef, doc: dict[str, Any]) -> None:
        """References between blocks and fields: every key used exists, every field is printed somewhere."""
        used: set[str] = set()
        for fd in formdef.fields:
            for j, o in enumerate(fd.options):
                used |= self.check_template(formdef, o.text, f"fields[{fd.key}].options[{j}].text")
        used |= self.check_template(formdef, formdef.copies_note, "copies_note")
        headers = footers = 0
        for i, b in enumerate(formdef.blocks):
            where = f"blocks[{i}:{_type_name(b)}]"
            if b.when:
                key, sep, wanted = (p.strip() for p in b.when.partition("="))
                if not formdef.has_field(key):
                    self.err(f"{where}.when", f"条件中的字段“{key}”未定义")
                elif sep:
                    fd = formdef.field(key)
                    if fd.type == F.FieldType.CHOICE and wanted not in fd.option_values():
                        self.err(f"{where}.when", f"字段“{key}”没有选项“{wanted}”")
                used.add(key)
            match b:
                case F.HeaderBlock():
                    headers += 1
                case F.PageFooterBlock():
                    footers += 1
                case F.GridBlock(rows=rows):
                    for j, row in enumerate(rows):
                        for key in row:
                            self.check_field_ref(
                                formdef,
                                key,
                                f"{where}.rows[{j}]",
                                set(F.FieldType) - {F.FieldType.QA, F.FieldType.TABLE, F.FieldType.IMAGES},
                            )
                            used.add(key)
                case F.TextBlock(field=key):
                    self.check_field_ref(
                        formdef, key, f"{where}.field", {F.FieldType.TEXTAREA, F.FieldType.TEXT}
                    )
                    used.add(key)
                case F.QABlock(field=key):
                    self.check_field_ref(formdef, key, f"{where}.field", {F.FieldType.QA})
                    used.add(key)
                case F.TableBlock(field=key):
                    self.check_field_ref(formdef, key, f"{where}.field", {F.FieldType.TABLE})
                    used.add(key)
                case F.ImagesBlock(field=key):
                    self.check_field_ref(formdef, key, f"{where}.field", {F.FieldType.IMAGES})
                    used.add(key)
                case F.StripBlock(text=lines, warning=warning, date_field=key):
                    for j, line in enumerate(lines):
                        used |= self.check_template(formdef, line, f"{where}.text[{j}]")
                    used |= self.check_template(formdef, warning, f"{where}.warning")
                    self.check_field_ref(formdef, key, f"{where}.date_field", {F.FieldType.DATE})
                    if key:
                        used.add(key)
                case F.SealBlock(date_field=key):
                    self.check_field_ref(formdef, key, f"{where}.date_field", {F.FieldType.DATE})
                    if key:
                        used.add(key)
                case F.ExchangeBlock(items=items):
                    for j, it in enumerate(items):
                        used |= self.check_template(formdef, it.q, f"{where}.items[{j}].q")
                        self.check_field_ref(
                            formdef,
                            it.answer,
                            f"{where}.items[{j}].answer",
                            {F.FieldType.TEXT, F.FieldType.TEXTAREA},
                        )
                        if it.answer:
                            used.add(it.answer)
                case F.NoticeBlock(text=paras):
                    for j, para in enumerate(paras):
                        used |= self.check_template(formdef, para, f"{where}.text[{j}]")
        if headers > 1:
            self.err("blocks", "只能有一个 header 版块")
        if footers > 1:
            self.err("blocks", "只能有一个 page_footer 版块")
        if formdef.kind == F.FormKind.RECORD and footers == 0:
            self.err(
                "blocks",
                '笔录（kind = "record"）必须有 page_footer 版块：每页都要有签名栏（程序规定第二十九条）',
            )
        for fd in formdef.fields:
            if fd.key not in used and not (fd.source and fd.source in used):
                self.err(f"fields[{fd.key}]", "字段没有在任何版块或占位符中使用，打印时不会出现")


def _type_name(b: F.Block) -> str:
    for name, cls in F.BLOCK_TYPES.items():
        if isinstance(b, cls):
            return name
    return "?"


def _parse_file(path: Path) -> tuple[F.FormDef | None, list[CatalogError]]:
    """The definition, or None and every problem found in it (a form checks as a whole)."""
    file = display(path)
    try:
        doc, _ = read_toml(path, what=FORM_FILE, file=file)
    except CatalogError as exc:
        return None, [exc]
    reader = _Reader(file)
    formdef = reader.read(doc, path.stem)
    return (formdef if not reader.errors else None), reader.errors


def _form_files(folder: Path) -> list[Path]:
    # forms/checklists/ and phrases.toml are other kinds of data living next to the definitions
    return [p for p in toml_files(folder) if p.name != PHRASES_FILE]


def load_formdefs(folder: Path | None = None, *, cache: Cache = SHARED) -> dict[str, F.FormDef]:
    """Every definition in `folder` (default: the shipped forms/), keyed by id; raises the first error.

    Cached per folder until a file changes, so calling it on every print costs a few stat() calls.
    The dict is the caller's own; the FormDef values in it are frozen and shared.

    Raises:
        CatalogError: a definition is wrong (the first problem; `check_forms` lists them all).
    """
    folder = (folder or paths.forms_dir()).resolve()
    files = _form_files(folder)
    return dict(cache.get("forms", (folder,), stamp(files), lambda: _read_forms(files)))


def _read_forms(files: list[Path]) -> dict[str, F.FormDef]:
    out: dict[str, F.FormDef] = {}
    for path in files:
        formdef, errs = _parse_file(path)
        if errs:
            log.warning("form definition %s has %d problem(s)", path.name, len(errs))
            raise errs[0]
        assert formdef is not None
        out[formdef.id] = formdef
    return out


def load_formdef(form_id: str, folder: Path | None = None, *, cache: Cache = SHARED) -> F.FormDef:
    """The definition with this id; CatalogError naming the ids there are when it is unknown."""
    defs = load_formdefs(folder, cache=cache)
    if form_id not in defs:
        raise _error(
            f"{form_id}.toml", "id", f"没有编号为“{form_id}”的表单（现有：{'、'.join(sorted(defs))}）"
        )
    return defs[form_id]


def check_forms(folder: Path | None = None) -> list[CatalogError]:
    """Every problem in every definition and in phrases.toml; an empty list means all is well."""
    folder = folder or paths.forms_dir()
    problems: list[CatalogError] = []
    for path in _form_files(folder):
        problems += _parse_file(path)[1]
    phrases = folder / PHRASES_FILE
    if phrases.exists():
        try:
            read_phrases(phrases)
        except CatalogError as exc:
            problems.append(exc)
    return problems
