"""Render a form definition plus values to an A4 PDF with embedded CJK fonts (reportlab platypus)."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import logging
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from fieldkit.domain import forms as F
from fieldkit.printing import markup as M
from fieldkit.printing.cjkwrap import GLUE_CB, CJKParagraph
from fieldkit.printing.flowables import (
    SIGNATURE_GAP,
    ClosingMark,
    CutLine,
    RuledLines,
    SignatureImages,
    SignatureLines,
    SpacedTitle,
    Strip,
    draw_runs,
    draw_signer,
    draw_tick,
    load_signature,
)
from fieldkit.printing.fonts import Fallback, FontSet, fonts_for
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.qrmatrix import LEVEL_L, qr_modules
from fieldkit.printing.thumbs import MISSING_TEXT, UNREADABLE_TEXT, Thumb, load_pictures

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
# GB/T 9704-2012 (REFERENCE §1.5): binding margin left 28 mm, right 26 mm; the top is a little tighter than
# the 37 mm of 公文 because forms carry their own header block.
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
MARGIN_TOP = 30 * mm
FOOTER_BASE = 10 * mm  # baseline of "第 N 页 共 M 页"
QR_SIZE = 15 * mm
SIGNER_PITCH = 8 * mm  # vertical distance between signature lines in the page footer
FOOTER_SIGNERS_BASE = 25 * mm  # baseline of the lowest signature line in the page footer
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
GRID_LABEL_W = 27 * mm  # label column: 7 characters of 10 pt; the value cells then hold an 18-character USCC
GRID_PAD = 3
TABLE_PAD = 3  # left and right inside item table cells
IMAGE_PAD = 4  # inside each thumbnail cell
STRIP_CUT = 9 * mm  # the cutting line between two 封条
CLOSING_MARK = "（以下空白）"


@dataclass(frozen=True)
class DocumentMeta:
    agency_name: str  # the issuing 市场监督管理局's full name, printed on top
    number: str | None  # 文号 such as "X市监当罚〔2026〕12号"; None prints blanks to write it in
    doc_id: str  # the document's UUID (in the QR code when there is no number)
    content_hash: str | None = None  # hex SHA-256 of the frozen content; enables the QR code
    # printed notes that are not fields (domain/documents.py): under the number (e.g. which document this
    # one replaces) and in a framed box at the end (更正说明, 拒签记录, 作废说明)
    lead_notes: tuple[str, ...] = ()
    end_notes: tuple[str, ...] = ()
    stamp: str = ""  # a word across every page, e.g. "作废" on the reprint of a voided document


@dataclass(frozen=True)
class RenderResult:
    pages: int
    sha256: str  # of the PDF bytes written
    size: int  # bytes
    missing_chars: tuple[str, ...] = ()  # characters no font (body or 生僻字 fallback) has: empty boxes


# ---------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class _Styles:
    fonts: FontSet
    body: ParagraphStyle
    plain: ParagraphStyle
    heading: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    center: ParagraphStyle
    right: ParagraphStyle
    agency: ParagraphStyle
    number: ParagraphStyle
    cell: ParagraphStyle
    label: ParagraphStyle
    grid_title: ParagraphStyle
    tcell: ParagraphStyle
    thead: ParagraphStyle
    qa: ParagraphStyle
    seal: ParagraphStyle
    caption: ParagraphStyle
    hash: ParagraphStyle


@functools.lru_cache(maxsize=16)
def _styles(fonts: FontSet, size: float) -> _Styles:
    """The paragraph styles of documents set in `fonts` at `size` (made once: nothing changes a style, and
    the same style objects let _para reuse their parsed fragments)."""
    reg, bold = fonts.regular, fonts.bold
    lead = size * 1.65
    base = ParagraphStyle(
        "fk-body", fontName=reg, fontSize=size, leading=lead, wordWrap="CJK", alignment=TA_JUSTIFY
    )
    body = ParagraphStyle("fk-body-indent", parent=base, firstLineIndent=2 * size)
    dense = 10.5  # 五号, for item tables
    return _Styles(
        fonts=fonts,
        body=body,
        plain=ParagraphStyle("fk-plain", parent=base, alignment=TA_LEFT),
        heading=ParagraphStyle(
            "fk-heading", parent=base, fontName=bold, spaceBefore=size * 0.5, alignment=TA_LEFT
        ),
        small=ParagraphStyle("fk-small", parent=base, fontSize=10.5, leading=15, alignment=TA_LEFT),
        bold=ParagraphStyle("fk-bold", parent=body, fontName=bold),
        center=ParagraphStyle("fk-center", parent=base, alignment=TA_CENTER),
        right=ParagraphStyle("fk-right", parent=base, alignment=TA_RIGHT),
        agency=ParagraphStyle(
            "fk-agency", parent=base, fontName=bold, fontSize=16, leading=24, alignment=TA_CENTER
        ),
        number=ParagraphStyle("fk-number", parent=base, alignment=TA_RIGHT, spaceAfter=size * 0.6),
        cell=ParagraphStyle("fk-cell", parent=base, leading=size * 1.4, alignment=TA_LEFT),
        label=ParagraphStyle("fk-label", parent=base, fontSize=10, leading=13, alignment=TA_CENTER),
        grid_title=ParagraphStyle(
            "fk-grid-title", parent=base, fontName=bold, leading=size * 1.4, alignment=TA_LEFT
        ),
        tcell=ParagraphStyle(
            "fk-tcell", parent=base, fontSize=dense, leading=dense * 1.35, alignment=TA_LEFT
        ),
        thead=ParagraphStyle(
            "fk-thead", parent=base, fontName=bold, fontSize=dense, leading=dense * 1.35, alignment=TA_CENTER
        ),
        qa=ParagraphStyle("fk-qa", parent=base, leftIndent=2 * size, firstLineIndent=-2 * size),
        seal=ParagraphStyle("fk-seal", parent=base, alignment=TA_RIGHT, rightIndent=6 * mm),
        caption=ParagraphStyle("fk-caption", parent=base, fontSize=8, leading=10.5, alignment=TA_CENTER),
        hash=ParagraphStyle("fk-hash", parent=base, fontSize=7, leading=9, alignment=TA_CENTER),
    )


def _para(markup: str, style: ParagraphStyle) -> Paragraph:
    # justifying stretches spaces with PDF word spacing, which would move boxes away from their ticks
    if M.TICK_CB in markup and style.alignment == TA_JUSTIFY:
        style = ParagraphStyle(style.name + "-l", parent=style, alignment=TA_LEFT)
    if "&" not in markup and (text := cleanBlockQuotedText(markup)):
        made = _fragments(text, style)
        if made is not None:
            return CJKParagraph(text, made[0], frags=made[1])
    return CJKParagraph(markup, style)


# The markup _fragments knows: the no-break and tick markers (markup.py, each an empty <onDraw>), line
# breaks, and bold (not nested). Anything else (<u>, <font>, entities) goes through the parser.
_CALLBACK_TAGS = (M.GLUE, M.box(True).removeprefix(M.BOX), "<br/>")
_TOKENS = re.compile("(" + "|".join(map(re.escape, (*_CALLBACK_TAGS, "<b>", "</b>"))) + ")")


@dataclass(frozen=True)
class _Templates:
    style: ParagraphStyle  # the style the parser returns
    fragments: dict[tuple[str | None, bool], Any]  # (tag, or None for text; in bold) → the parser's fragment


_templates: weakref.WeakKeyDictionary[ParagraphStyle, _Templates] = weakref.WeakKeyDictionary()


def _templates_for(style: ParagraphStyle) -> _Templates:
    found = _templates.get(style)
    if found is None:
        parser = ParaParser()
        parsed_style = parser.parse("x", style)[0]
        fragments = {}
        for tag in (None, *_CALLBACK_TAGS):
            for bold in (False, True):
                sample = tag or "x"
                frags = parser.parse(f"<b>{sample}</b>" if bold else sample, style)[1]
                if len(frags) != 1:  # not what this reportlab makes of it: such text goes to the parser
                    continue
                fragments[tag, bold] = frags[0]
        found = _templates[style] = _Templates(parsed_style, fragments)
    return found


def _fragments(text: str, style: ParagraphStyle) -> tuple[ParagraphStyle, list[Any]] | None:
    """What reportlab's parser makes of `text` (cleaned markup) when it is plain text, bold, line breaks
    and the markers of markup.py (most paragraphs of a document: labels, values, numbers kept on one line,
    问/答); None for anything else, which the parser then reads.

    The parser (an HTMLParser per paragraph) was about two thirds of building a short document's story. Its
    handle_data copies the fragment on top of its stack (the style's, or a bold copy inside <b>) and sets
    the text; an <onDraw> or <br/> is such a copy with the callback or the line break and no text. None of
    it depends on the text around, so each fragment is cloned from the parse of one sample per style
    (tests/printing/test_plain_paragraphs.py compares the fragments and the documents both ways).
    """
    pieces = _TOKENS.split(text)
    templates = _templates_for(style)
    fragments = templates.fragments
    frags = []
    bold = False
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if "<" in piece:
                return None
            if piece:
                frags.append(fragments[None, bold].clone(text=piece))
        elif piece == "<b>" or piece == "</b>":
            if bold == (piece == "<b>"):
                return None  # nested or unbalanced
            bold = not bold
        elif (piece, bold) in fragments:
            template = fragments[piece, bold]
            cb = getattr(template, "cbDefn", None)
            frags.append(template.clone(cbDefn=cb.clone()) if cb is not None else template.clone())
        else:
            return None
    return None if bold else (templates.style, frags)


# ---------------------------------------------------------------------------------------------
# Story: one builder per block type


class _StoryBuilder:
    def __init__(
        self,
        formdef: F.FormDef,
        ctx: M.MarkupContext,
        st: _Styles,
        meta: DocumentMeta,
        *,
        pictures: Mapping[str, Any] | None = None,
        frame_h: float = PAGE_H - MARGIN_TOP - 28 * mm,
        signatures: SignatureImages | None = None,
    ):
        self.formdef, self.ctx, self.st, self.meta = formdef, ctx, st, meta
        self.signatures = signatures or {}  # signer label → handwritten signatures, one per blank
        self.size = formdef.font_size
        self.pictures = pictures or {}  # sha256 → ImageReader, or None when the bytes cannot be decoded
        self.frame_h = frame_h

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        for block in self.formdef.blocks:
            if self.ctx.blank:
                if not block.blank:
                    continue
            elif not F.when_holds(self.formdef, block.when, self.ctx.values):
                continue
            if isinstance(block, F.SealBlock | F.SignatureBlock):
                # GB/T 9704: a seal may not stand on a page without body text; a signature belongs with the
                # statement it confirms. So the last lines before them move to the next page with them.
                tail: list[Flowable] = []
                while story and len(tail) < 2 and isinstance(story[-1], Paragraph | KeepTogether):
                    last = story.pop()
                    # a KeepTogether reports an endless height when nested, so its content is taken instead
                    tail[:0] = list(last._content) if isinstance(last, KeepTogether) else [last]
                story.append(KeepTogether([*tail, *self.block(block)]))
                continue
            story += self.block(block)
            if isinstance(block, F.HeaderBlock) and self.meta.lead_notes and not self.ctx.blank:
                story.append(self.note_box(self.meta.lead_notes))
                story.append(Spacer(0, 2 * mm))
        if self.formdef.copies_note:
            story.append(Spacer(0, 3 * mm))
            story.append(_para(M.template(self.ctx, self.formdef.copies_note), self.st.small))
        if self.meta.end_notes and not self.ctx.blank:
            story.append(Spacer(0, 3 * mm))
            story.append(self.note_box(self.meta.end_notes))
        if self.formdef.kind is F.FormKind.RECORD and not self.ctx.blank:
            # a 笔录 closes the blank area after its last line, so nothing can be written in once signed
            # (as "（以下空白）" closes an item list); a blank copy is closed by hand
            story.append(ClosingMark(_para(M.text(self.ctx, CLOSING_MARK), self.st.plain)))
        return story

    def note_box(self, notes: Sequence[str]) -> Table:
        """Framed paragraphs (更正说明 and the like): visibly apart from the form's own text."""
        self.ctx.chars.update("".join(notes))
        rows = [[_para(M.text(self.ctx, note), self.st.small)] for note in notes]
        table = Table(rows, colWidths=[TEXT_W])
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ]
            )
        )
        return table

    def block(self, b: F.Block) -> list[Flowable]:
        match b:
            case F.HeaderBlock():
                return self.header()
            case F.GridBlock():
                return self.grid(b)
            case F.TextBlock():
                return self.text_block(b)
            case F.QABlock():
                return self.qa(b)
            case F.ExchangeBlock():
                return self.exchange(b)
            case F.NoticeBlock():
                return self.notice(b)
            case F.TableBlock():
                return self.table(b)
            case F.ImagesBlock():
                return self.images(b)
            case F.StripBlock():
                return self.strip(b)
            case F.SignatureBlock():
                return self.signature(b)
            case F.SealBlock():
                return self.seal(b)
            case F.SpacerBlock():
                return [Spacer(0, b.height_mm * mm)]
            case F.PageFooterBlock():
                return []  # drawn by the page template
        raise AssertionError(f"unhandled block {b!r}")  # pragma: no cover

    def title_para(self, title: str) -> Paragraph:
        p = _para(M.text(self.ctx, title), self.st.heading)
        p.keepWithNext = True  # a heading never ends a page
        return p

    def header(self) -> list[Flowable]:
        ctx, st = self.ctx, self.st
        agency = M.text(ctx, self.meta.agency_name) if self.meta.agency_name else M.underline_blank(ctx, 8)
        out: list[Flowable] = [
            _para(agency, st.agency),
            Spacer(0, 2 * mm),
            SpacedTitle(self.formdef.title, st.fonts.bold, 22),
        ]
        ctx.chars.update(self.formdef.title)
        if self.formdef.numbered:
            if self.meta.number:
                number = M.text(ctx, self.meta.number)
            else:  # pre-printed blank: 〈简称〉市监〈代字〉〔年〕N号, the year in 六角括号 (GB/T 9704)
                code = M.text(ctx, self.formdef.code)
                number = f"{M.underline_blank(ctx, 3)}市监{code}〔{M.underline_blank(ctx, 2.5)}〕{M.underline_blank(ctx, 2)}号"
            out.append(_para(number, st.number))
        else:
            out.append(Spacer(0, 2 * mm))
        return out

    # -- grid of label/value cells
    def grid(self, b: F.GridBlock) -> list[Flowable]:
        """Bordered label/value cells; a value too long for one cell continues in rows of its own."""
        st, ctx = self.st, self.ctx
        label_w = GRID_LABEL_W
        value_w = (TEXT_W - 2 * label_w) / 2
        full_w = TEXT_W - label_w
        out: list[Flowable] = []
        data: list[list[Any]] = []
        cmds: list[tuple[Any, ...]] = []

        def flush() -> None:
            if data:
                table = Table(data, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
                table.setStyle(TableStyle(self.grid_style() + cmds))
                out.append(table)
                data.clear()
                cmds.clear()

        if b.title:
            data.append([_para(M.text(ctx, b.title), st.grid_title), "", "", ""])
            cmds.append(("SPAN", (0, 0), (-1, 0)))
        rows: list[tuple[str, ...]] = []
        for row in b.rows:
            # a long value in a half-width cell gets the full width instead
            if len(row) == 2 and any(self.is_long(k, value_w) for k in row):
                rows += [(k,) for k in row]
            else:
                rows.append(row)
        for row in rows:
            if len(row) == 1 and self.is_long(row[0], full_w):
                flush()
                out.append(self.long_value_table(row[0], label_w, full_w))
                continue
            r = len(data)
            cells: list[Any] = []
            cell_w = value_w if len(row) == 2 else full_w
            for key in row:
                cells += [_para(M.text(ctx, self.formdef.field(key).label), st.label), self.cell(key, cell_w)]
            if len(row) == 1:
                cells += ["", ""]
                cmds.append(("SPAN", (1, r), (3, r)))
            data.append(cells)
        flush()
        return [*out, Spacer(0, 3 * mm)]

    def grid_style(self) -> list[tuple[Any, ...]]:
        return [
            ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
            # plain-string cells (the empty ones) are set in the table's default Helvetica otherwise
            ("FONT", (0, 0), (-1, -1), self.st.fonts.regular, self.st.cell.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), GRID_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PAD),
        ]

    def is_long(self, key: str, width: float) -> bool:
        """More than about eight lines in a cell of this width: better split over rows (and pages)."""
        value = self.ctx.value(key)
        per_line = (width - 2 * GRID_PAD) / self.st.cell.fontSize
        return isinstance(value, str) and M.em_len(value) > 8 * per_line

    def cell(self, key: str, width: float) -> Any:
        ctx, st = self.ctx, self.st
        fd = self.formdef.field(key)
        content: Any = _para(
            M.cell_markup(ctx, fd, ctx.value(key), (width - 2 * GRID_PAD) / st.cell.fontSize), st.cell
        )
        if fd.type == F.FieldType.SIGNATURE:
            # room to sign by hand, and the date of signing (程序规定第八十二条: 签收日期为送达日期)
            date = f"{M.em(ctx, 2)}年{M.em(ctx, 1)}月{M.em(ctx, 1)}日"
            content = [content, Spacer(0, 8 * mm), _para(date, st.right)]
        return content

    def long_value_table(self, key: str, label_w: float, value_w: float) -> Table:
        """One bordered field whose text is cut into slices of a few lines, one table row each.

        A table row cannot break across pages without reportlab's splitInRow, which loses lines at the
        break; rows of a few lines each break cleanly, and without inner rules they read as one cell.
        """
        ctx, st = self.ctx, self.st
        fd = self.formdef.field(key)
        inner = value_w - 2 * GRID_PAD
        slices: list[Flowable] = []
        for para in str(ctx.value(key)).replace("\r\n", "\n").split("\n"):
            if para.strip():
                slices += _slices(_para(M.text(ctx, para), st.cell), inner, 6 * st.cell.leading)
        data = [[_para(M.text(ctx, fd.label), st.label) if i == 0 else "", sl] for i, sl in enumerate(slices)]
        last = len(data) - 1
        table = Table(data, colWidths=[label_w, value_w], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
                    ("LINEAFTER", (0, 0), (0, -1), 0.75, colors.black),
                    ("FONT", (0, 0), (-1, -1), st.fonts.regular, st.cell.fontSize),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), GRID_PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PAD),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), 4),
                    ("BOTTOMPADDING", (0, last), (-1, last), 4),
                ]
            )
        )
        return table

    # -- free text flowing over pages
    def text_block(self, b: F.TextBlock) -> list[Flowable]:
        fd = self.formdef.field(b.field)
        value = self.ctx.value(b.field)
        out: list[Flowable] = [self.title_para((b.title or fd.label) + "：")]
        if self.ctx.blank:
            out.append(self.ruled(b.blank_lines))
        elif F.is_empty(value):
            out.append(_para("无。", self.st.body))
        else:
            for para in str(value).replace("\r\n", "\n").split("\n"):
                if para.strip():
                    out.append(_para(M.text(self.ctx, para), self.st.body))
        return out

    def ruled(self, n: int, prefix: str = "", indent: float = 0) -> RuledLines:
        lead = self.size * 1.9
        fonts = self.st.fonts
        return RuledLines(
            n, fonts.regular, self.size, lead, prefix=prefix, indent=indent, prefix_font=fonts.bold
        )

    def qa_pair(
        self, q_label: str, q: str, a_label: str, answer: str | None, lines: int = 1
    ) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = [_para(f"<b>{M.text(self.ctx, q_label)}：</b>{q}", st.qa)]
        out[0].keepWithNext = True
        if answer is None:
            out.append(self.ruled(lines, prefix=f"{a_label}：", indent=2 * self.size))
        else:
            out.append(_para(f"<b>{M.text(self.ctx, a_label)}：</b>{answer}", st.qa))
        return out

    def qa(self, b: F.QABlock) -> list[Flowable]:
        out: list[Flowable] = []
        if b.title:
            out.append(self.title_para(b.title))
        pairs = _as_list(self.ctx.value(b.field))
        if self.ctx.blank:
            for _ in range(b.blank_pairs):
                out.append(self.ruled(1, prefix="问：", indent=2 * self.size))
                out.append(self.ruled(2, prefix="答：", indent=2 * self.size))
            return out
        for pair in pairs:
            if not isinstance(pair, Mapping):
                continue
            q = M.text(self.ctx, str(pair.get("q") or ""))
            a = str(pair.get("a") or "")
            out += self.qa_pair("问", q, "答", M.text(self.ctx, a) if a.strip() else None)
        return out

    def exchange(self, b: F.ExchangeBlock) -> list[Flowable]:
        out: list[Flowable] = []
        if b.title:
            out.append(self.title_para(b.title))
        for it in b.items:
            q = M.template(self.ctx, it.q)
            answer = None
            if it.answer and not self.ctx.blank:
                value = self.ctx.value(it.answer)
                if not F.is_empty(value):
                    answer = M.text(self.ctx, str(value))
            out += self.qa_pair(b.q_label, q, b.a_label, answer, it.answer_lines)
        return out

    def notice(self, b: F.NoticeBlock) -> list[Flowable]:
        st = self.st
        style = {
            "body": st.body if b.indent else st.plain,
            "small": st.small,
            "bold": st.bold,
            "center": st.center,
            "right": st.right,
        }[b.style]
        if b.style == "small" and b.indent:
            style = ParagraphStyle("fk-small-indent", parent=st.small, firstLineIndent=2 * st.small.fontSize)
        out: list[Flowable] = []
        if b.title:
            out.append(self.title_para(b.title))
        out += [_para(M.template(self.ctx, p), style) for p in b.text if p.strip()]
        return out

    # -- item table with repeated header
    def table(self, b: F.TableBlock) -> list[Flowable]:
        st, ctx = self.st, self.ctx
        fd = self.formdef.field(b.field)
        cols = list(fd.columns)
        no_w = 12.5 * mm if b.number_column else 0
        total = sum(c.width for c in cols)
        widths = ([no_w] if b.number_column else []) + [(TEXT_W - no_w) * c.width / total for c in cols]
        head = ([_para("序号", st.thead)] if b.number_column else []) + [
            _para(M.text(ctx, c.label), _column_style(st.thead, c, heading=True)) for c in cols
        ]
        data: list[list[Any]] = [head]
        rows = [r for r in _as_list(ctx.value(b.field)) if isinstance(r, Mapping)]
        styles = [_column_style(st.tcell, c) for c in cols]
        for i, row in enumerate(rows, 1):
            cells = [_para(str(i), st.thead)] if b.number_column else []
            cells += [
                _para(_cell_markup(ctx, c, row.get(c.key)), style)
                for c, style in zip(cols, styles, strict=True)
            ]
            data.append(cells)
        cmds: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
            ("FONT", (0, 0), (-1, -1), st.fonts.regular, st.tcell.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            # narrow side padding: lists with eight or nine columns need every millimetre for the text
            ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PAD),
        ]
        heights: list[float | None] = [None] * len(data)
        if ctx.blank or not rows:
            for _ in range(b.blank_rows):
                data.append([""] * len(widths))
                heights.append(9 * mm)
        else:
            # "以下空白" closes the list so nothing can be added after it was signed
            data.append([_para("（以下空白）", st.tcell)] + [""] * (len(widths) - 1))
            heights.append(None)
            cmds.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        # rows split only at row borders; reportlab's in-row splitting loses lines at the break, so it is
        # used only when a single cell could not fit on a page at all (columns normally have a max_len)
        col_w = widths[1:] if b.number_column else widths
        huge = any(
            M.em_len(str(row.get(c.key) or "")) > 30 * w / style.fontSize  # more than ~30 lines in one cell
            for row in rows
            for c, w, style in zip(cols, col_w, styles, strict=True)
        )
        table = Table(
            data,
            colWidths=widths,
            rowHeights=heights,
            repeatRows=1,
            splitInRow=1 if huge else 0,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(cmds))
        out: list[Flowable] = []
        if b.title:
            out.append(self.title_para(b.title))
        return [*out, table, Spacer(0, 3 * mm)]

    # -- thumbnails with their file names and hashes
    def images(self, b: F.ImagesBlock) -> list[Flowable]:
        """Pictures in rows of `per_row`, each with its name, caption and SHA-256 under it.

        One table row per row of pictures: rows move to the next page whole, so a picture is never cut.
        The bytes were passed to render_pdf by the caller; a hash without bytes prints as a framed box.
        """
        st, ctx = self.st, self.ctx
        cell_w = TEXT_W / b.per_row
        box_w = cell_w - 2 * IMAGE_PAD
        box_h = b.height_mm * mm if b.height_mm else box_w * 0.75
        if ctx.blank:  # one box across the page per blank row, to paste prints on or list what is attached
            note = "（照片、复制件粘贴处，或者注明所附照片的文件名、张数）"
            boxes: list[Flowable] = [self.title_para(b.title)] if b.title else []
            for _ in range(b.blank_rows):
                boxes += [Thumb(None, TEXT_W, 45 * mm, note=note, font=st.fonts.regular), Spacer(0, 3 * mm)]
            return boxes
        entries = [e for e in _as_list(ctx.value(b.field)) if isinstance(e, Mapping)]
        if not entries:
            return [self.title_para(b.title), _para("无。", st.body)] if b.title else []
        cells: list[list[Flowable]] = []
        huge = False
        for entry in entries:
            sha = str(entry.get("sha256") or "").strip().lower()
            label = str(entry.get("label") or "")
            caption = str(entry.get("caption") or "")
            huge = huge or M.em_len(label + caption) > 40 * box_w / st.caption.fontSize
            picture = self.pictures.get(sha)
            note = UNREADABLE_TEXT if sha in self.pictures and picture is None else MISSING_TEXT
            cell: list[Flowable] = [
                Thumb(picture, box_w, box_h, note=note, font=st.fonts.regular),
                Spacer(0, 1.5 * mm),
            ]
            if label:
                cell.append(_para(M.text(ctx, label), st.caption))
            if caption:
                cell.append(_para(M.text(ctx, caption), st.caption))
            cell.append(_para(self.hash_markup(sha, b.hash), st.hash))
            cells.append(cell)
        data: list[list[Any]] = []
        cmds: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), st.fonts.regular, st.caption.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), IMAGE_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), IMAGE_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), IMAGE_PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), IMAGE_PAD),
        ]
        if b.title:
            # the title is the table's repeated first row: it stays with the first pictures (a heading kept
            # with the whole table would push it all to the next page) and says what continues on later pages
            data.append([_para(M.text(ctx, b.title), st.heading)] + [""] * (b.per_row - 1))
            cmds += [("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0)]
        for start in range(0, len(cells), b.per_row):
            row: list[Any] = list(cells[start : start + b.per_row])
            r = len(data)
            for col in range(len(row)):
                cmds.append(("BOX", (col, r), (col, r), 0.75, colors.black))
            data.append(row + [""] * (b.per_row - len(row)))
        table = Table(
            data,
            colWidths=[cell_w] * b.per_row,
            repeatRows=1 if b.title else 0,
            splitInRow=1 if huge else 0,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(cmds))
        return [table, Spacer(0, 3 * mm)]

    def hash_markup(self, sha: str, style: str) -> str:
        if not F.SHA256_RE.fullmatch(sha):
            return M.text(self.ctx, f"SHA-256：{sha or '（无）'}")
        if style == "full":  # two lines of 32 hex digits, split in the same place every time
            return M.text(self.ctx, f"SHA-256：\n{sha[:32]}\n{sha[32:]}")
        return M.text(self.ctx, f"SHA-256（前16位）：{sha[:16]}")

    # -- 封条
    def strip(self, b: F.StripBlock) -> list[Flowable]:
        """`copies` identical strips filling the page, with cutting lines between them."""
        st, ctx = self.st, self.ctx
        height = (self.frame_h - (b.copies - 1) * STRIP_CUT) / b.copies - 1  # 1 pt of slack for rounding

        def make(scale: float) -> list[Flowable]:
            def style(
                name: str, size: float, *, bold: bool = False, align: int = TA_CENTER
            ) -> ParagraphStyle:
                size *= scale
                font = st.fonts.bold if bold else st.fonts.regular
                return ParagraphStyle(
                    f"fk-strip-{name}",
                    parent=st.center,
                    fontName=font,
                    fontSize=size,
                    leading=size * 1.35,
                    alignment=align,
                )

            agency = (
                M.text(ctx, self.meta.agency_name) if self.meta.agency_name else M.underline_blank(ctx, 10)
            )
            d = F.parse_date(ctx.value(b.date_field)) if b.date_field else None
            date = (
                M.text(ctx, F.format_date(d))
                if d
                else f"{M.em(ctx, 2.5)}年{M.em(ctx, 1.5)}月{M.em(ctx, 1.5)}日"
            )
            items: list[Flowable] = [
                _para(agency, style("agency", 20, bold=True)),
                SpacedTitle(b.title, st.fonts.bold, 46 * scale, space_after=0),
            ]
            ctx.chars.update(b.title)
            items += [_para(M.template(ctx, line), style("line", 13)) for line in b.text if line.strip()]
            if b.warning:
                items.append(_para(M.template(ctx, b.warning), style("warning", 14, bold=True)))
            items.append(_para(f"（印章）{M.em(ctx, 1)}{date}", style("date", 13, align=TA_RIGHT)))
            if b.signers:
                items.append(
                    SignatureLines(
                        b.signers,
                        st.fonts.regular,
                        11 * scale,
                        line_height=9 * mm * scale,
                        images=self.signatures,
                    )
                )
            return items

        out: list[Flowable] = []
        for i in range(b.copies):
            if i:
                out.append(CutLine(STRIP_CUT, st.fonts.regular))
            out.append(Strip(make, height))
        return out

    def signature(self, b: F.SignatureBlock) -> list[Flowable]:
        items: list[Flowable] = [Spacer(0, 2 * mm)]
        if b.title:
            items.append(self.title_para(b.title))
        items.append(
            SignatureLines(
                b.signers, self.st.fonts.regular, self.size, line_height=9 * mm, images=self.signatures
            )
        )
        return items

    def seal(self, b: F.SealBlock) -> list[Flowable]:
        st, ctx = self.st, self.ctx
        value = ctx.value(b.date_field) if b.date_field else None
        d = F.parse_date(value)
        date = (
            M.text(ctx, F.format_date(d)) if d else f"{M.em(ctx, 2.5)}年{M.em(ctx, 1.5)}月{M.em(ctx, 1.5)}日"
        )
        agency = M.text(ctx, self.meta.agency_name) if self.meta.agency_name else M.underline_blank(ctx, 8)
        # the round seal (about 42 mm) is stamped over the agency name and the date, so little room is needed
        return [
            Spacer(0, 6 * mm),
            _para(agency, st.seal),
            _para("（印章）", st.seal),
            _para(date, st.seal),
            Spacer(0, 3 * mm),
        ]


def _slices(p: Paragraph, width: float, height: float) -> list[Flowable]:
    """Cut a paragraph into pieces at most `height` tall, breaking between its lines."""
    out: list[Flowable] = []
    while True:
        _, h = p.wrap(width, 1e9)
        if h <= height:
            out.append(p)
            return out
        parts = p.split(width, height)
        if len(parts) < 2:
            out.append(p)
            return out
        out.append(parts[0])
        p = parts[1]


def _cell_markup(ctx: M.MarkupContext, column: F.Column, value: object) -> str:
    # a full SHA-256 breaks into two lines of 32 digits, the same way on every copy, instead of wherever
    # the column happens to end
    if isinstance(value, str) and F.SHA256_RE.fullmatch(value.strip()):
        return M.text(ctx, value.strip()[:32]) + "<br/>" + M.text(ctx, value.strip()[32:])
    return M.scalar_markup(ctx, column, value)


def _column_style(base: ParagraphStyle, column: F.Column, *, heading: bool = False) -> ParagraphStyle:
    """The style of a column's cells, or of its heading, when the column sets its own type size.

    A heading follows a smaller size down to 9 pt (so "证据种类" fits a narrow column) but never grows.
    """
    if column.font_size is None:
        return base
    size = min(base.fontSize, max(column.font_size, 9)) if heading else column.font_size
    if size == base.fontSize:
        return base
    return ParagraphStyle(f"{base.name}-{size:g}", parent=base, fontSize=size, leading=size * 1.3)


def _as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


# ---------------------------------------------------------------------------------------------
# Canvas and page decoration


def _no_op(canvas: Canvas, kind: str, label: str | None) -> None:
    """The glue marker only steers line breaking; there is nothing to draw."""


class NumberedCanvas(Canvas):
    """Keeps every page until the end so each can say "第 N 页 共 M 页" (pretix's NumberedCanvas)."""

    def __init__(self, *args: Any, fk_font: str = "", fk_center_x: float = PAGE_W / 2, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._fk_font = fk_font
        self._fk_center_x = fk_center_x
        self._saved_page_states: list[dict[str, Any]] = []
        self.setNamedCB(M.TICK_CB, draw_tick)
        self.setNamedCB(GLUE_CB, _no_op)

    def showPage(self) -> None:
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_page_states)
        for state in self._saved_page_states:
            self.__dict__.update(state)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        self.saveState()
        self.setFont(self._fk_font, 10.5)
        self.drawCentredString(self._fk_center_x, FOOTER_BASE, f"第 {self._pageNumber} 页  共 {total} 页")
        self.restoreState()


def _draw_qr(canvas: Canvas, payload: str, size: float) -> None:
    """A QR code as one filled path; reportlab's widget makes a shape per module, which is ~20x slower."""
    # level L keeps the code at version 5 (37 modules, ~0.33 mm each at 15 mm): it still scans from a
    # 200 dpi image, where level M at this size does not; the hash it carries is checked anyway
    modules = qr_modules(payload, LEVEL_L)
    n = len(modules)
    border = 4  # the quiet zone the QR standard asks for
    box = size / (n + 2 * border)
    path = canvas.beginPath()
    # path.rect formats its four numbers anew for each of the ~300 runs, although there are only a few dozen
    # distinct ones; each is formatted once here and the operator written as path.rect writes it
    number = functools.cache(fp_str)
    height = number(box)
    for r, row in enumerate(modules):
        y = number(size - (r + border + 1) * box)
        c = 0
        for dark, run in itertools.groupby(row):
            count = sum(1 for _ in run)
            if dark:
                path._code_append(f"{number((c + border) * box)} {y} {number(count * box)} {height} re")
            c += count
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


class _Decorator:
    """onPage hook: watermark, running header, per-page signature footer, QR code."""

    def __init__(
        self,
        formdef: F.FormDef,
        meta: DocumentMeta,
        fonts: FontSet,
        *,
        draft: bool,
        blank: bool,
        signatures: SignatureImages | None = None,
        fallback: Fallback | None = None,
    ):
        self.formdef, self.meta, self.fonts, self.draft, self.blank = formdef, meta, fonts, draft, blank
        self.fallback = fallback
        self.signatures = signatures or {}
        footer = formdef.page_footer
        self.signers = list(reversed(footer.signers)) if footer else []
        self.qr_payload = (
            f"FK1|{meta.number or meta.doc_id}|{meta.content_hash}" if meta.content_hash else None
        )
        if blank:
            self.qr_payload = None
        self._qr_form: str | None = None

    @property
    def bottom_margin(self) -> float:
        if self.signers:
            return FOOTER_SIGNERS_BASE + SIGNER_PITCH * (len(self.signers) - 1) + 9 * mm
        return 28 * mm

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if self.draft:
            self._watermark(canvas)
        if self.meta.stamp:
            self._watermark(canvas, self.meta.stamp, gray=0.72)
        if canvas.getPageNumber() > 1:
            self._running_header(canvas)
        for i, signer in enumerate(self.signers):
            y = FOOTER_SIGNERS_BASE + i * SIGNER_PITCH
            draw_signer(
                canvas,
                MARGIN_LEFT,
                y,
                TEXT_W,
                signer,
                self.fonts.regular,
                10.5,
                self.signatures.get(signer.label, ()),
                # below the line above (the top line: below the rule over the footer)
                SIGNER_PITCH - SIGNATURE_GAP,
            )
        if self.signers:
            canvas.setLineWidth(0.5)
            top = FOOTER_SIGNERS_BASE + SIGNER_PITCH * (len(self.signers) - 1) + 6 * mm
            canvas.line(MARGIN_LEFT, top, PAGE_W - MARGIN_RIGHT, top)
        if self.qr_payload is not None:
            # drawn once per document as a form XObject that every page reuses
            if self._qr_form is None:
                self._qr_form = "fkqr"
                canvas.beginForm(self._qr_form, lowerx=0, lowery=0, upperx=QR_SIZE, uppery=QR_SIZE)
                _draw_qr(canvas, self.qr_payload, QR_SIZE)
                canvas.endForm()
            canvas.saveState()
            canvas.translate(PAGE_W - MARGIN_RIGHT - QR_SIZE, FOOTER_BASE - 5 * mm)
            canvas.doForm(self._qr_form)
            canvas.restoreState()
            canvas.setFont(self.fonts.regular, 7)
            canvas.setFillGray(0.35)
            canvas.drawRightString(
                PAGE_W - MARGIN_RIGHT - QR_SIZE - 2 * mm,
                FOOTER_BASE - 4 * mm,
                f"校验码 {self.meta.content_hash[:16] if self.meta.content_hash else ''}",
            )
        canvas.restoreState()

    def _watermark(self, canvas: Canvas, word: str = "草稿", gray: float = 0.88) -> None:
        canvas.saveState()
        canvas.setFillGray(gray)
        canvas.setFont(self.fonts.bold, 110)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -40, word)
        canvas.restoreState()

    def _running_header(self, canvas: Canvas) -> None:
        canvas.setFont(self.fonts.regular, 9)
        canvas.setFillGray(0.3)
        y = PAGE_H - MARGIN_TOP + 8 * mm
        header = f"{self.meta.agency_name}　{self.formdef.title}（续页）"
        draw_runs(canvas, MARGIN_LEFT, y, header, self.fonts.regular, 9, self.fallback)
        if self.meta.number:
            draw_runs(
                canvas,
                PAGE_W - MARGIN_RIGHT,
                y,
                self.meta.number,
                self.fonts.regular,
                9,
                self.fallback,
                right=True,
            )
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(0.5)
        canvas.line(MARGIN_LEFT, y - 2 * mm, PAGE_W - MARGIN_RIGHT, y - 2 * mm)
        canvas.setFillGray(0)


# ---------------------------------------------------------------------------------------------


def _ideographic_nbsp(font: str, size: float) -> int:
    return max(
        1,
        round(
            pdfmetrics.stringWidth(M.IDEOGRAPHIC_SPACE, font, size)
            / pdfmetrics.stringWidth(M.NBSP, font, size)
        ),
    )


def blank_values(formdef: F.FormDef, sources: Mapping[str, object]) -> dict[str, object]:
    """Values for a blank copy: only the agency's own details (`agency.*` sources, e.g. 复议机关、联系电话).

    Everything about a case is left empty to be written by hand; `sources` is what
    services.documents.prefill_sources returns (an empty mapping gives an all-blank copy).
    """
    values: dict[str, object] = {}
    for fd in formdef.fields:
        if fd.source and fd.source.startswith("agency.") and not F.is_empty(sources.get(fd.source)):
            values[fd.key] = sources[fd.source]
    return values


def _image_hashes(formdef: F.FormDef, values: Mapping[str, object]) -> set[str]:
    out: set[str] = set()
    for fd in formdef.fields:
        if fd.type == F.FieldType.IMAGES:
            for entry in _as_list(values.get(fd.key)):
                if isinstance(entry, Mapping):
                    out.add(str(entry.get("sha256") or "").strip().lower())
    return out


def _signature_images(
    signatures: Mapping[str, bytes | str | Sequence[bytes | str]] | None,
) -> dict[str, tuple[Any, ...]]:
    """Each signer's PNGs decoded once (a footer signature is drawn on every page from one image); a str
    (e.g. "拒绝签名") is written on its blank as it is."""
    out: dict[str, tuple[Any, ...]] = {}
    for label, data in sorted((signatures or {}).items()):
        pngs = [data] if isinstance(data, bytes | bytearray | str) else list(data)
        decoded = tuple(
            png if isinstance(png, str) and png else load_signature(bytes(png)) if png else None
            for png in pngs
        )
        if any(image is not None for image in decoded):
            out[label] = decoded
    return out


def render_pdf(
    formdef: F.FormDef,
    values: Mapping[str, object],
    out: BinaryIO,
    *,
    meta: DocumentMeta,
    options: PrintOptions,
    draft: bool = False,
    blank: bool = False,
    images: Mapping[str, bytes] | None = None,
    signatures: Mapping[str, bytes | str | Sequence[bytes | str]] | None = None,
) -> RenderResult:
    """Write the document as PDF to `out`; the same input always gives the same bytes.

    `blank=True` prints every field empty, with lines and boxes to fill in by hand (for when the laptop
    fails); `draft=True` marks every page "草稿". The PDF is built in memory and written in one go, so
    `out` never holds half a document. `images` maps the SHA-256 named in an `images` field to the JPEG or
    PNG bytes to show (the caller reads them, e.g. thumbnails from the evidence store); a hash without
    bytes prints as a framed box "（图片缺失）". `options` are this laptop's print settings (the font), which
    the caller takes from its Context (services/settings.py): nothing here reads a settings file, the data
    dir or the environment.
    `signatures` maps a signer's label (exactly `Signer.label`, e.g. "当事人（签名）") to the PNG of a
    handwritten signature, or to one PNG per blank of that signer (b"" leaves a blank empty); each is drawn
    on its blank wherever the line is printed (signature blocks, 封条 and the page footer of 笔录), scaled
    into the blank without changing the layout. Unusable PNGs are left out.
    """
    fonts = fonts_for(options)
    st = _styles(fonts, formdef.font_size)
    fallback = Fallback(fonts.regular)
    ctx = M.MarkupContext(
        formdef=formdef,
        values=values,
        agency_name=meta.agency_name,
        number=meta.number,
        blank=blank,
        ideographic_nbsp=_ideographic_nbsp(fonts.regular, formdef.font_size),
        fallback=fallback,
    )
    signed = {} if blank else _signature_images(signatures)
    decorate = _Decorator(
        formdef, meta, fonts, draft=draft, blank=blank, signatures=signed, fallback=fallback
    )
    pictures = {} if blank else load_pictures(images, _image_hashes(formdef, values))
    frame_h = PAGE_H - MARGIN_TOP - decorate.bottom_margin
    story = _StoryBuilder(
        formdef, ctx, st, meta, pictures=pictures, frame_h=frame_h, signatures=signed
    ).build()

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=decorate.bottom_margin,
        title=formdef.title,
        author=meta.agency_name,
        creator="FieldKit",
        subject=meta.number or "",
        invariant=1,  # no timestamps or random ids: reprinting gives byte-identical documents
        initialFontName=fonts.regular,  # otherwise reportlab declares a non-embedded Helvetica
        initialFontSize=formdef.font_size,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])

    def canvasmaker(*args: Any, **kwargs: Any) -> NumberedCanvas:
        return NumberedCanvas(*args, fk_font=fonts.regular, fk_center_x=MARGIN_LEFT + TEXT_W / 2, **kwargs)

    doc.build(story, canvasmaker=canvasmaker)
    data = buf.getvalue()
    out.write(data)
    pages = doc.page
    return RenderResult(
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        missing_chars=tuple(fallback.uncovered(ctx.chars)),
    )
