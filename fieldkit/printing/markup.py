"""Turn values and template text into reportlab Paragraph markup, escaping everything the user typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from fieldkit.domain import forms as F
from fieldkit.printing.cjkwrap import GLUE_CB
from fieldkit.printing.fonts import Fallback

NBSP = "\u00a0"
IDEOGRAPHIC_SPACE = "\u3000"
TICK_CB = "fk_tick"  # canvas callback that draws the tick into the box just printed (see flowables.py)
GLUE = f'<onDraw name="{GLUE_CB}" label=""/>'  # no line break here (see cjkwrap.py)
BOX = "□"  # U+25A1 is in GBK; ☑ (U+2611) is in no shipped CJK font, so the tick is drawn, not typed


@dataclass
class MarkupContext:
    """What the markup functions need besides the value; collects every character printed."""

    formdef: F.FormDef
    values: Mapping[str, object]
    agency_name: str
    number: str | None
    blank: bool
    ideographic_nbsp: int = 4  # how many no-break spaces are as wide as one U+3000 in the body font
    chars: set[str] = field(default_factory=set)
    # rare characters (生僻字) the body font lacks are set in the extension fonts; None: body font only
    fallback: Fallback | None = None

    def value(self, key: str) -> object:
        if not self.blank:
            return self.values.get(key)
        # a blank copy still names the agency's own fixed details (复议机关, 联系人): only case data is left out
        fd = self.formdef.field(key) if self.formdef.has_field(key) else None
        if fd is not None and fd.source and fd.source.startswith("agency."):
            return self.values.get(key)
        return None


def text(ctx: MarkupContext, s: str) -> str:
    """Escape user or template text for a Paragraph, keeping U+3000 and line breaks; characters the body
    font lacks are wrapped in `<font>` tags naming the extension font that has them."""
    ctx.chars.update(s)
    if ctx.fallback is None:
        return _plain(ctx, s)
    runs = ctx.fallback.runs(s)
    body = ctx.fallback.body_font
    # a character no font has stays in the body font: it prints as a box, but pre-print checks refuse it
    return "".join(
        _plain(ctx, piece) if font in (body, None) else f'<font name="{font}">{_plain(ctx, piece)}</font>'
        for piece, font in runs
    )


def _plain(ctx: MarkupContext, s: str) -> str:
    out = escape(s)
    # Paragraph treats U+3000 as collapsible whitespace; no-break spaces survive and keep the width
    out = out.replace(IDEOGRAPHIC_SPACE, NBSP * ctx.ideographic_nbsp)
    return out.replace("\r\n", "\n").replace("\n", "<br/>")


def em(ctx: MarkupContext, n: float) -> str:
    """Blank space about n characters wide (no-break spaces, so Paragraph keeps it)."""
    return NBSP * max(1, round(n * ctx.ideographic_nbsp))


def em_len(s: str) -> float:
    """Rough printed width in characters: CJK is one em, Latin and digits about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in s)


def underline_blank(ctx: MarkupContext, n_em: float = 4) -> str:
    """An underlined blank about n_em characters wide, to write on."""
    return f"<u>{em(ctx, n_em)}</u>"


def box(checked: bool) -> str:
    # the callback comes after the glyph: a zero-width callback never starts a line, so it stays with
    # the box it marks even when the line breaks just before the box
    return f'{BOX}<onDraw name="{TICK_CB}" label=""/>' if checked else BOX


def glued(ctx: MarkupContext, s: str) -> str:
    """Plain text that must not be broken over two lines (a short option label)."""
    return GLUE.join(text(ctx, ch) for ch in s)


def choice_markup(ctx: MarkupContext, fd: F.FieldDef, value: object, *, width_em: float | None = None) -> str:
    """Every option, each preceded by a box, the chosen ones ticked (总体说明: "□" means pick).

    With `width_em` (a grid cell), options are packed into lines so that none is broken in the middle.
    """
    chosen = F.chosen_values(fd, value)
    parts: list[tuple[str, float]] = []
    for o in fd.options:
        if o.text:  # an option with placeholders is long and may wrap
            option = box(o.value in chosen) + template(ctx, o.text)
        else:
            option = box(o.value in chosen) + GLUE + glued(ctx, o.value)
        parts.append((option, 1 + em_len(o.label) + (6 if o.text else 0)))
    sep = em(ctx, 1.5)
    if width_em is None:
        return sep.join(p for p, _ in parts)
    lines: list[list[str]] = [[]]
    used = 0.0
    for markup, w in parts:
        if lines[-1] and used + 1.5 + w > width_em:
            lines.append([])
            used = 0.0
        used += (1.5 if lines[-1] else 0) + w
        lines[-1].append(markup)
    return "<br/>".join(sep.join(line) for line in lines)


def bool_markup(ctx: MarkupContext, value: object) -> str:
    return f"{box(value is True)}{GLUE}是{em(ctx, 1.5)}{box(value is False)}{GLUE}否"


def date_blank(ctx: MarkupContext, with_time: bool) -> str:
    s = f"{em(ctx, 2)}年{em(ctx, 1)}月{em(ctx, 1)}日"
    return s + (f"{em(ctx, 1)}时{em(ctx, 1)}分" if with_time else "")


def date_blank_underlined(ctx: MarkupContext, with_time: bool) -> str:
    u = lambda n: f"<u>{em(ctx, n)}</u>"  # noqa: E731
    s = f"{u(3)}年{u(1.5)}月{u(1.5)}日"
    return s + (f"{u(1.5)}时{u(1.5)}分" if with_time else "")


def officers_lines(ctx: MarkupContext, value: object, *, count_blank: int = 2) -> list[str]:
    """One line per officer: "张三　执法证号：…"; blank lines to write in by hand when empty."""
    officers = [o for o in value if isinstance(o, Mapping)] if isinstance(value, list | tuple) else []
    if not officers:
        return [
            f"{underline_blank(ctx, 5)}{em(ctx, 1)}执法证号：{underline_blank(ctx, 7)}"
            for _ in range(count_blank)
        ]
    lines = []
    for o in officers:
        name = text(ctx, str(o.get("name") or ""))
        cert = str(o.get("cert_no") or "").strip()
        lines.append(
            f"{name}{em(ctx, 1)}执法证号：{cert_markup(ctx, cert) if cert else underline_blank(ctx, 7)}"
        )
    return lines


def cert_markup(ctx: MarkupContext, cert: str) -> str:
    """An 执法证号 that is never broken over two lines: a number read across a line break is easily
    misread, and it is what identifies the officer (程序规定第二十二条). The "：" before it stays on the
    same line by the 避头尾 rule, the "）" after it likewise."""
    return glued(ctx, cert)


def officers_inline(ctx: MarkupContext, value: object) -> str:
    """ "张三（执法证号：…）、李四（执法证号：…）" in running text (F.format_officer), numbers unbroken."""
    officers = [o for o in value if isinstance(o, Mapping)] if isinstance(value, list | tuple) else []
    parts = []
    for o in officers:
        name = text(ctx, str(o.get("name") or "").strip())
        cert = str(o.get("cert_no") or "").strip()
        parts.append(
            f"{name}{text(ctx, '（执法证号：')}{cert_markup(ctx, cert)}{text(ctx, '）')}" if cert else name
        )
    return text(ctx, "、").join(parts)


def scalar_markup(ctx: MarkupContext, fd: F.FieldDef | F.Column, value: object) -> str:
    return text(ctx, F.format_scalar(fd, value))


def cell_markup(ctx: MarkupContext, fd: F.FieldDef, value: object, width_em: float) -> str:
    """A value as it appears in a grid cell (the cell's border is the blank when nothing is filled in)."""
    t = fd.type
    if t == F.FieldType.CHOICE:
        return choice_markup(ctx, fd, value, width_em=width_em)
    if t == F.FieldType.BOOL:
        return bool_markup(ctx, value)
    if t == F.FieldType.OFFICERS:
        return "<br/>".join(officers_lines(ctx, value))
    if t == F.FieldType.SIGNATURE:  # the grid adds the room to sign and the date line (see pdf.py)
        return text(ctx, str(value)) if isinstance(value, str) and value.strip() else ""
    if F.is_empty(value):
        if t in (F.FieldType.DATE, F.FieldType.DATETIME):
            return date_blank(ctx, t == F.FieldType.DATETIME)
        if t == F.FieldType.TEXTAREA and ctx.blank:
            return "<br/><br/>" + em(ctx, 1)  # three lines to write on
        return ""
    if t == F.FieldType.TEXTAREA:
        return text(ctx, str(value))
    return scalar_markup(ctx, fd, value)


def _inline_value(ctx: MarkupContext, fd: F.FieldDef, value: object) -> str:
    """A value inside running text: underlined as a filled-in blank, or an empty blank to write on."""
    t = fd.type
    if t == F.FieldType.CHOICE:
        return choice_markup(ctx, fd, value)
    if t == F.FieldType.BOOL:
        return bool_markup(ctx, value)
    if F.is_empty(value):
        if t in (F.FieldType.DATE, F.FieldType.DATETIME):
            return date_blank_underlined(ctx, t == F.FieldType.DATETIME)
        if t == F.FieldType.MONEY:
            return f"{underline_blank(ctx, 4)}元"
        if t == F.FieldType.INTEGER:
            return underline_blank(ctx, 2)
        if t == F.FieldType.TEXTAREA:
            return underline_blank(ctx, 36 if ctx.blank else 8)  # room to write a sentence or two by hand
        return underline_blank(ctx, 9 if ctx.blank else 5)
    if t == F.FieldType.OFFICERS:
        return f"<u>{officers_inline(ctx, value)}</u>"
    return f"<u>{scalar_markup(ctx, fd, value)}</u>"


def template(ctx: MarkupContext, tpl: str) -> str:
    """Fill a template's placeholders; the literal text is escaped like user text."""
    out = []
    for kind, s in F.split_template(tpl):
        if kind == "text":
            out.append(text(ctx, s))
            continue
        target = F.resolve_placeholder(ctx.formdef, s)
        if isinstance(target, F.FieldDef):
            value = ctx.value(target.key)
            out.append(_inline_value(ctx, target, value))
        elif target == "agency.name":
            out.append(text(ctx, ctx.agency_name) if ctx.agency_name else underline_blank(ctx, 7))
        elif target == "document.number":
            out.append(text(ctx, ctx.number) if ctx.number else underline_blank(ctx, 7))
        else:  # catalog.check_forms refuses unknown placeholders; print the blank rather than fail to print
            out.append(underline_blank(ctx, 4))
    return "".join(out)
