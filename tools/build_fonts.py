"""Build the bundled Chinese fonts into resources/fonts/.

- GBK subsets of Debian's Noto CJK SC (the body, bold and UI fonts);
- the rare-character (生僻字) fallback fonts: the CJK extension blocks from Debian's HanaMin A/B (Ext A-F)
  and BabelStone Han (Ext G, H and what HanaMin lacks), which the PDF renderer uses per character.

`python tools/build_fonts.py` builds everything; `noto` or `ext` as argument builds one group.
"""

from __future__ import annotations

import re
import sys
import textwrap
import time
import unicodedata
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.misc.transform import Transform
from fontTools.pens.basePen import AbstractPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "resources" / "fonts"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
# Debian's copyright file carries the full OFL 1.1 text of fonts-noto-cjk.
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")

# Characters official forms use that GBK lacks or that must never be dropped.
EXTRAS = "¥￥〇㎡℃№☑□■√×—…、。，；：？！「」『』〔〕（）【】《》·－～\u3000"
BALLOT_BOX_WITH_CHECK = 0x2611  # ☑: absent from every Noto CJK face, drawn from □ + ✓ below
WHITE_SQUARE, CHECK_MARK = 0x25A1, 0x2713
# cu2qu tolerance in font units (1000/em): invisible at any print size, the usual otf2ttf value.
MAX_ERR = 1.0
VENDOR = "FieldKit"


@dataclass(frozen=True)
class Job:
    source: str  # .ttc file in NOTO_DIR
    upstream: str  # family name of the SC face, checked against the name table
    family: str
    style: str
    output: str
    truetype: bool  # reportlab needs glyf outlines; Qt is fine with CFF


SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
JOBS = (
    Job("NotoSerifCJK-Regular.ttc", SERIF, "FieldKit Serif SC", "Regular", "NotoSerifSC-Regular.ttf", True),
    Job("NotoSerifCJK-Bold.ttc", SERIF, "FieldKit Serif SC", "Bold", "NotoSerifSC-Bold.ttf", True),
    Job("NotoSansCJK-Regular.ttc", SANS, "FieldKit Sans SC", "Regular", "NotoSansSC-Regular.otf", False),
)


@dataclass(frozen=True)
class Result:
    job: Job
    output: Path
    seconds: float
    glyphs: int
    missing: str
    upstream_version: str
    copyright: str


def wanted_codepoints() -> set[int]:
    """Printable ASCII + every BMP character encodable in GBK + EXTRAS."""

    def in_gbk(cp: int) -> bool:
        try:
            chr(cp).encode("gbk")
        except UnicodeEncodeError:
            return False
        return True

    chars = set(range(0x20, 0x7F))
    chars |= {cp for cp in range(0x80, 0x10000) if not 0xD800 <= cp < 0xE000 and in_gbk(cp)}
    chars |= {ord(ch) for ch in EXTRAS}
    return chars | {CHECK_MARK}  # ✓ is a component of the synthesized ☑


def english_name(font: TTFont, name_id: int) -> str:
    record = font["name"].getName(name_id, 3, 1, 0x409)
    if record is None:
        raise SystemExit(f"name ID {name_id} missing")
    return record.toUnicode()


def sc_face_index(path: Path, family: str) -> int:
    # Nothing documents the face order of Noto's collections (the Sans one also holds Mono faces):
    # select by the name table, never by a hard-coded index.
    faces = TTCollection(path, lazy=True).fonts
    matches = [i for i, face in enumerate(faces) if english_name(face, 1) == family]
    if len(matches) != 1:
        raise SystemExit(f"{path}: expected one face named {family!r}, found {matches}")
    return matches[0]


def subset_font(font: TTFont, codepoints: set[int], truetype: bool) -> None:
    options = subset.Options()
    # Keep copyright, licence and designer records (OFL attribution); names are rewritten later.
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    # GSUB features such as locl/vert would pull in ~18k JP/KR/TC/vertical variants (6 -> 11 MB); kerning
    # only repositions, so it costs nothing and keeps Qt's Latin spacing.
    options.layout_features = ["kern"]
    options.notdef_outline = True
    # TrueType conversion discards PostScript hints anyway; without subroutines the subsetter runs ~40%
    # faster (pruning subrs is its slow part) and glyphs draw faster. The .otf keeps them for its size.
    options.hinting = not truetype
    options.desubroutinize = truetype
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def draw_checked_box(font: TTFont, pen: AbstractPen) -> None:
    """Draw □ with ✓ scaled into its inside."""
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()
    box, tick = glyphs[cmap[WHITE_SQUARE]], glyphs[cmap[CHECK_MARK]]
    box_bounds, tick_bounds = BoundsPen(glyphs), BoundsPen(glyphs)
    box.draw(box_bounds)
    tick.draw(tick_bounds)
    bx0, by0, bx1, by1 = box_bounds.bounds
    tx0, ty0, tx1, ty1 = tick_bounds.bounds
    # 62% of the box height leaves a clear gap to the box's stroke in both weights.
    scale = 0.62 * (by1 - by0) / (ty1 - ty0)
    dx = (bx0 + bx1) / 2 - scale * (tx0 + tx1) / 2
    dy = (by0 + by1) / 2 - scale * (ty0 + ty1) / 2
    box.draw(pen)
    tick.draw(TransformPen(pen, Transform(scale, 0, 0, scale, dx, dy)))


def add_checked_box(font: TTFont) -> None:
    """Add ☑ to a CID-keyed CFF font (before any TrueType conversion, so one code path serves all)."""
    cff = font["CFF "].cff
    top = cff[cff.fontNames[0]]
    order = font.getGlyphOrder()
    box_name = font.getBestCmap()[WHITE_SQUARE]
    fd_index = top.FDSelect[order.index(box_name)]
    private = top.FDArray[fd_index].Private
    # CID-keyed charsets name glyphs "cidNNNNN" and encode the number: take a CID the subset dropped.
    used = {int(name[3:]) for name in order if name.startswith("cid")}
    new_name = f"cid{max(set(range(1, top.CIDCount)) - used):05d}"
    width = font["hmtx"][box_name][0]
    # Type 2 charstrings store the advance relative to the private dict's nominalWidthX.
    pen = T2CharStringPen(width - getattr(private, "nominalWidthX", 0), font.getGlyphSet())
    draw_checked_box(font, pen)
    charstring = pen.getCharString(private=private, globalSubrs=cff.GlobalSubrs)
    charstrings = top.CharStrings
    if charstrings.charStringsAreIndexed:
        charstrings.charStringsIndex.append(charstring)
        charstrings.charStrings[new_name] = len(charstrings.charStringsIndex) - 1
    else:
        charstrings.charStrings[new_name] = charstring
    top.charset.append(new_name)
    top.FDSelect.append(fd_index)
    font.setGlyphOrder([*order, new_name])
    font["hmtx"][new_name] = font["hmtx"][box_name]
    if "vmtx" in font:
        font["vmtx"][new_name] = font["vmtx"][box_name]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[BALLOT_BOX_WITH_CHECK] = new_name


def rename(font: TTFont, job: Job) -> None:
    """Give the modified font its own family name, keeping Adobe's copyright and the OFL records."""
    version = english_name(font, 5).split(";")[0].removeprefix("Version ").strip()
    ps_family = job.family.replace(" ", "")
    ps_name = f"{ps_family}-{job.style}"
    full = job.family if job.style == "Regular" else f"{job.family} {job.style}"
    name = font["name"]
    # Drop the upstream names (incl. the zh-CN records that repeat "Noto ... CJK SC") and the Noto trademark
    # line: the font no longer carries that name.
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 5, 6, 7, 16, 17)]
    outline = "TrueType outlines" if job.truetype else "CFF outlines"
    records = {
        1: job.family,
        2: job.style,
        3: f"{version};{VENDOR};{ps_name}",
        4: full,
        5: f"Version {version};{VENDOR}: {job.upstream} {version} subset to GBK, {outline}",
        6: ps_name,
    }
    for name_id, text in records.items():
        name.setName(text, name_id, 3, 1, 0x409)
    # The CFF table of a collection face is shared by all languages (it says "NotoSansCJKjp"): keep the
    # embedded PostScript names consistent with name ID 6 in the .otf.
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        old = cff.fontNames[0]
        cff.fontNames = [ps_name]
        top.FullName, top.FamilyName = full, job.family
        for fd in getattr(top, "FDArray", []):
            fd.FontName = fd.FontName.replace(old, ps_name)


def _quadratic_glyph(glyphs: Mapping[str, Any], glyph_name: str) -> Glyph:
    tt_pen = TTGlyphPen(None)
    # PostScript contours run counter-clockwise, TrueType clockwise: reverse while converting.
    glyphs[glyph_name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
    return tt_pen.glyph()


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic glyf/loca outlines (the fontTools otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {glyph_name: _quadratic_glyph(glyphs, glyph_name) for glyph_name in order}
    del font["CFF "]
    if "VORG" in font:  # vertical origins table is CFF-only
        del font["VORG"]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    hmtx = font["hmtx"]
    for glyph_name, glyph in glyf.glyphs.items():
        # Bounds only: compiling the whole glyf table here would double the save time.
        glyph.recalcBounds(glyf)
        if glyph.numberOfContours:
            hmtx[glyph_name] = (hmtx[glyph_name][0], glyph.xMin)  # TrueType wants lsb == xMin
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1  # unhinted: no twilight zone, storage, functions or instructions
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    maxp.recalc(font)
    post = font["post"]
    # Format 3 has no glyph names; format 2 carries them, which some TrueType consumers expect.
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0  # indexToLocFormat is set when loca is compiled
    font.sfntVersion = "\x00\x01\x00\x00"


def build(job: Job, codepoints: set[int]) -> Result:
    start = time.perf_counter()
    source = NOTO_DIR / job.source
    # Keep upstream's head.modified so the same inputs give byte-identical outputs.
    font = TTFont(source, fontNumber=sc_face_index(source, job.upstream), recalcTimestamp=False)
    upstream_version = english_name(font, 5)
    copyright_line = english_name(font, 0)
    subset_font(font, codepoints, job.truetype)
    add_checked_box(font)
    rename(font, job)
    if job.truetype:
        cff_to_glyf(font)
    output = OUT_DIR / job.output
    font.save(output)
    cmap = font.getBestCmap()
    missing = "".join(chr(cp) for cp in sorted(codepoints) if cp not in cmap)
    return Result(
        job,
        output,
        time.perf_counter() - start,
        len(font.getGlyphOrder()),
        missing,
        upstream_version,
        copyright_line,
    )


def write_licence(results: list[Result]) -> None:
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    # The stand-alone "License: SIL-1.1" paragraph (not the one-line reference under "Files: *").
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, re.M)
    if match is None:
        raise SystemExit(f"no SIL-1.1 licence text in {DEBIAN_COPYRIGHT}")
    # Debian control format: one leading space per line, " ." for an empty line.
    body = "\n".join("" if line == " ." else line[1:] for line in match.group(1).rstrip().splitlines())
    # Copyright notices as the upstream fonts carry them (name ID 0), one per upstream family.
    notices = (f"{r.job.family}, a Modified Version of {r.job.upstream}:\n{r.copyright}" for r in results)
    header = "\n\n".join(dict.fromkeys(notices))
    note = (
        "Upstream's LICENSE (github.com/googlefonts/noto-cjk) declares the Reserved Font Name 'Source';\n"
        "these fonts do not use it. Noto is a trademark of Google Inc.; the modified fonts are renamed.\n"
    )
    (OUT_DIR / "OFL.txt").write_text(f"{header}\n\n{note}\n{body}\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Rare characters (生僻字): the CJK extension blocks, in fonts the renderer falls back to per character.

HANAZONO_DIR = Path("/usr/share/fonts/truetype/hanazono")  # Debian fonts-hanazono 20170904-2.1
BABELSTONE_DIR = Path("/usr/share/fonts/truetype/babelstone")  # Debian fonts-babelstone-han 15.0.5-2
HANAZONO_COPYRIGHT = Path("/usr/share/doc/fonts-hanazono/copyright")
# Unicode blocks of Han ideographs and their building blocks (radicals, strokes, description characters).
HAN_BLOCKS = {
    "CJK Radicals Supplement": (0x2E80, 0x2EFF),
    "Kangxi Radicals": (0x2F00, 0x2FDF),
    "Ideographic Description Characters": (0x2FF0, 0x2FFF),
    "CJK Strokes": (0x31C0, 0x31EF),
    "CJK Unified Ideographs Extension A": (0x3400, 0x4DBF),
    "CJK Unified Ideographs": (0x4E00, 0x9FFF),
    "CJK Compatibility Ideographs": (0xF900, 0xFAFF),
    "CJK Unified Ideographs Extension B": (0x20000, 0x2A6DF),
    "CJK Unified Ideographs Extension C": (0x2A700, 0x2B73F),
    "CJK Unified Ideographs Extension D": (0x2B740, 0x2B81F),
    "CJK Unified Ideographs Extension E": (0x2B820, 0x2CEAF),
    "CJK Unified Ideographs Extension F": (0x2CEB0, 0x2EBEF),
    "CJK Unified Ideographs Extension I": (0x2EBF0, 0x2EE5F),
    "CJK Compatibility Ideographs Supplement": (0x2F800, 0x2FA1F),
    "CJK Unified Ideographs Extension G": (0x30000, 0x3134F),
    "CJK Unified Ideographs Extension H": (0x31350, 0x323AF),
}
# The date the upstream files were changed (subset, renamed), as the Arphic Public License §2a asks a
# modified file to state; fixed so that a rebuild gives the same bytes.
EXT_CHANGED = "2026-12-03"


@dataclass(frozen=True)
class ExtJob:
    source: Path
    family: str
    output: str
    licence: str  # what the file is distributed under, for its name table


HANAZONO_LICENCE = "Hanazono Font License (see HanazonoFontLicense.txt)"
EXT_JOBS = (
    # HanaMin A: Ext A, the compatibility ideographs, URO beyond GBK (e.g. 鿏 U+9FCF), radicals
    ExtJob(HANAZONO_DIR / "HanaMinA.ttf", "FieldKit Han Ext A", "FieldKitHanExtA.ttf", HANAZONO_LICENCE),
    # HanaMin B: Ext B-F (all but a dozen of their 60,317 characters)
    ExtJob(HANAZONO_DIR / "HanaMinB.ttf", "FieldKit Han Ext B", "FieldKitHanExtB.ttf", HANAZONO_LICENCE),
    # BabelStone Han: Ext G and H (HanaMin predates them) and whatever HanaMin lacks
    ExtJob(
        BABELSTONE_DIR / "BabelStoneHan.ttf",
        "FieldKit Han Ext G",
        "FieldKitHanExtG.ttf",
        "Arphic Public License (see ARPHICPL.txt)",
    ),
)


def han_codepoints() -> set[int]:
    return {cp for first, last in HAN_BLOCKS.values() for cp in range(first, last + 1)}


def ext_assignments(body: set[int]) -> list[set[int]]:
    """Each Han code point the body font lacks goes to the first extension source that has it."""
    left = han_codepoints() - body
    out = []
    for job in EXT_JOBS:
        have = set(TTFont(job.source, lazy=True).getBestCmap()) & left
        out.append(have)
        left -= have
    return out


def rename_ext(font: TTFont, job: ExtJob) -> None:
    upstream_family = english_name(font, 1)
    upstream_version = english_name(font, 5)
    ps_name = job.family.replace(" ", "") + "-Regular"
    name = font["name"]
    keep = (0, 8, 9, 11, 12, 13, 14) if "Arphic" in job.licence else (0,)
    name.names = [r for r in name.names if r.nameID in keep]
    records = {
        1: job.family,
        2: "Regular",
        3: f"{upstream_version};{VENDOR};{ps_name}",
        4: job.family,
        5: f"Version {EXT_CHANGED};{VENDOR}",
        6: ps_name,
        # Arphic Public License §2a: a prominent notice of how and when the file was changed
        10: (
            f"Modified by {VENDOR} on {EXT_CHANGED} (tools/build_fonts.py): a subset of {upstream_family} "
            f"({upstream_version}) to the CJK ideographs that FieldKit's body font lacks; hinting, layout "
            f"and vertical-metrics tables removed; renamed. Licence: {job.licence}."
        ),
    }
    if "Hanazono" in job.licence:
        records[13] = (
            "This font is a free software. Unlimited permission is granted to use, copy, and distribute it, "
            'with or without modification, either commercially and noncommercially. THIS FONT IS PROVIDED "AS '
            'IS" WITHOUT WARRANTY.'
        )
    for name_id, text in records.items():
        name.setName(text, name_id, 3, 1, 0x409)


def build_ext(job: ExtJob, codepoints: set[int]) -> Result:
    start = time.perf_counter()
    font = TTFont(job.source, recalcTimestamp=False)  # upstream head.modified kept: same bytes every time
    upstream_version = english_name(font, 5)
    copyright_line = english_name(font, 0)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.layout_features = []  # ideographs need no shaping; reportlab uses none
    options.hinting = False  # print resolution needs no TrueType instructions (a quarter of the bytes)
    options.notdef_outline = True
    options.glyph_names = False  # post format 3
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE", "FFTM", "prop", "DSIG", "meta", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    rename_ext(font, job)
    output = OUT_DIR / job.output
    font.save(output)
    cmap = font.getBestCmap()
    missing = "".join(chr(cp) for cp in sorted(codepoints) if cp not in cmap)
    return Result(
        Job(job.source.name, "", job.family, "Regular", job.output, True),
        output,
        time.perf_counter() - start,
        len(font.getGlyphOrder()),
        missing,
        upstream_version,
        copyright_line,
    )


def write_ext_licences() -> None:
    # Hanazono: Debian's copyright file, both licences the upstream offers (Hanazono Font License or OFL)
    text = HANAZONO_COPYRIGHT.read_text(encoding="utf-8")
    parts = []
    for match in re.finditer(
        r"^License: (Hanazono-Font-License|Open-Font-License)\n((?: .*\n?)+)", text, re.M
    ):
        body = "\n".join("" if line == " ." else line[1:] for line in match.group(2).rstrip().splitlines())
        parts.append(f"=== {match.group(1)} ===\n{textwrap.dedent(body).strip()}\n")
    if len(parts) != 2:
        raise SystemExit(f"{HANAZONO_COPYRIGHT}: expected the Hanazono and OFL licence texts")
    header = (
        "FieldKitHanExtA.ttf and FieldKitHanExtB.ttf are modified versions (subsets, renamed) of HanaMinA and\n"
        "HanaMinB 2017-09-04 by the GlyphWiki Project (http://fonts.jp/hanazono/), which are offered under the\n"
        "Hanazono Font License or the SIL Open Font License 1.1. FieldKit uses and redistributes them under the\n"
        "Hanazono Font License; the OFL alternative is reproduced as upstream gives it. The modified fonts do\n"
        "not use the reserved names.\n\n"
    )
    (OUT_DIR / "HanazonoFontLicense.txt").write_text(header + "\n".join(parts), encoding="utf-8")
    # Arphic Public License §1: the licence file unaltered; the font carries it verbatim in name ID 13
    babel = TTFont(BABELSTONE_DIR / "BabelStoneHan.ttf", lazy=True)
    (OUT_DIR / "ARPHICPL.txt").write_text(english_name(babel, 13).rstrip() + "\n", encoding="utf-8")


def main_ext() -> list[Result]:
    assignments = ext_assignments(wanted_codepoints())
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(build_ext, EXT_JOBS, assignments))
    write_ext_licences()
    covered: set[int] = set()
    for result in results:
        covered |= set(TTFont(result.output, lazy=True).getBestCmap())
    body = wanted_codepoints()
    for block, (first, last) in HAN_BLOCKS.items():
        assigned = [cp for cp in range(first, last + 1) if _assigned(cp)]
        have = sum(1 for cp in assigned if cp in covered or cp in body)
        print(f"  {block}: {have} of {len(assigned)} characters (Unicode {unicodedata.unidata_version})")
    return results


def _assigned(cp: int) -> bool:
    return unicodedata.category(chr(cp)) != "Cn"


def main_noto() -> list[Result]:
    codepoints = wanted_codepoints()
    # One process per font: the two serif conversions dominate and run side by side on two cores.
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(build, JOBS, [codepoints] * len(JOBS)))
    write_licence(results)
    return results


def main(argv: list[str]) -> int:
    groups = argv or ["noto", "ext"]
    if set(groups) - {"noto", "ext"}:
        raise SystemExit("usage: build_fonts.py [noto] [ext]")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = []
    if "noto" in groups:
        results += main_noto()
    if "ext" in groups:
        results += main_ext()
    for result in results:
        size = result.output.stat().st_size / 1e6
        print(
            f"{result.output.relative_to(ROOT)}: {size:.1f} MB, {result.glyphs} glyphs, "
            f"{result.seconds:.0f} s, from {result.upstream_version}"
        )
        if result.missing:
            print(f"  not in upstream font: {' '.join(f'U+{ord(ch):04X} {ch}' for ch in result.missing)}")
    print(f"total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
