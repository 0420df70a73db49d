"""Build the bundled Chinese fonts (GBK subsets of Debian's Noto CJK SC) into resources/fonts/."""

from __future__ import annotations

import re
import sys
import time
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


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    codepoints = wanted_codepoints()
    start = time.perf_counter()
    # One process per font: the two serif conversions dominate and run side by side on two cores.
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(build, JOBS, [codepoints] * len(JOBS)))
    write_licence(results)
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
    sys.exit(main())
