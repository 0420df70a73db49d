"""Build-time: a smaller ICU data library for the frozen build (build.spec), ~31 MB → ~4 MB.

PySide6's Qt for Linux links ICU 73, whose data library `libicudata.so.73` holds the data of every
locale, collation, converter and dictionary ICU knows (30.6 MB, an eighth of the whole build). Qt asks ICU
for collation (QCollator, e.g. the file dialog's sorting), case mapping, text codecs and time-zone names; FieldKit's own
text never goes through ICU (Python does its codecs, Qt its line breaking). So the frozen build keeps the
data for Chinese and English only, plus every language-neutral table (normalisation, character names,
IDNA, time zones, plural rules, the root locale):

- locales: `zh*`, `en`, `en_US*`, `en_001` and `root`, in every tree (collation, break rules, names…);
- converters: the Chinese ones (GB18030, GBK, GB2312, EUC-CN, Big5) and windows-1252; UTF-8/16/32,
  US-ASCII and ISO-8859-1 are built into ICU's code and need no table;
- no data for services Qt never calls: break iteration (with its dictionaries), transliteration,
  spelled-out numbers, units (libQt6Core imports only u_strToLower/Upper, ucnv_*, ucol_* and ucal_*).

Anything asked of a dropped locale falls back to root, as ICU does for any locale it lacks. The library is
rebuilt with binutils only: `objcopy` wraps the trimmed package as a read-only section exporting the
`icudtNN_dat` symbol ICU's code links against, `ld -shared` makes it a library with the same soname.
Needs `icupkg` (Debian: icu-devtools) and binutils; `python tools/trim_icu.py LIB OUT_DIR` by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
KEEP_LOCALE = re.compile(r"^(root|zh(_.*)?|en|en_US(_.*)?|en_001)\.res$")
KEEP_SPECIAL = {"res_index.res", "pool.res"}
KEEP_CONVERTERS = {
    "gb18030.cnv",
    "windows-936-2000.cnv",  # GBK as Windows has it
    "ibm-1386_P100-2001.cnv",  # GBK
    "ibm-1383_P110-1999.cnv",  # EUC-CN
    "ibm-5478_P100-1995.cnv",  # GB 2312-80
    "windows-950-2000.cnv",  # Big5
    "ibm-5348_P100-1997.cnv",  # windows-1252
}
# Trees of data for ICU services Qt never calls (libQt6Core imports only u_strTo{Lower,Upper}, ucnv_*,
# ucol_* and ucal_* for time-zone names): break iteration, transliteration, spelled-out numbers, units.
DROP_TREES = {"brkitr", "translit", "rbnf", "unit"}


class TrimError(Exception):
    pass


def keep(item: str) -> bool:
    """Whether the package item `item` ("icudt73l/coll/zh.res") stays in the trimmed data."""
    tree, _, name = item.rpartition("/")
    if tree in DROP_TREES:
        return False
    if name.endswith(".cnv"):
        return name in KEEP_CONVERTERS
    if name in KEEP_SPECIAL or KEEP_LOCALE.match(name):
        return True
    return not LOCALE.match(name)  # language-neutral tables (supplementalData.res, zoneinfo64.res, …)


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise TrimError(f"{' '.join(map(str, args))}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def trim(library: Path, work: Path) -> Path:
    """A trimmed copy of the ICU data `library` in `work` (its path), same file name and soname."""
    for tool in ("icupkg", "objcopy", "ld", "nm"):
        if shutil.which(tool) is None:
            raise TrimError(f"{tool} not found (Debian: apt-get install icu-devtools binutils)")
    symbols = [line.split() for line in _run("nm", "-D", "--defined-only", "-S", library).splitlines()]
    data = [s for s in symbols if len(s) == 4 and re.fullmatch(r"icudt\d+_dat", s[3])]
    if len(data) != 1:
        raise TrimError(f"{library.name}: no single icudtNN_dat symbol")
    _, size, _, symbol = data[0]
    package = f"{symbol[:-4]}l"  # icudt73l: ICU's name for the little-endian package
    work.mkdir(parents=True, exist_ok=True)
    (work / "full").mkdir(exist_ok=True)
    full = work / "full" / f"{package}.dat"  # icupkg checks the item names against the file name
    _run("objcopy", "-O", "binary", "--only-section=.rodata", library, full)
    if full.stat().st_size != int(size, 16):
        raise TrimError(
            f"{library.name}: .rodata is not just the data ({full.stat().st_size} != {int(size, 16)})"
        )
    items = [line.strip() for line in _run("icupkg", "-l", full).splitlines() if line.strip()]
    drop = {item for item in items if not keep(item)}
    if not drop or len(drop) == len(items):
        raise TrimError(f"{library.name}: unexpected package contents ({len(items)} items)")
    trimmed = work / f"{package}.dat"  # icupkg names the package after the output file
    for _ in range(5):
        # icupkg refuses to drop what a kept item refers to (root's break rules name the Thai dictionary,
        # the Big5 converter its base table): those stay
        (work / "drop.txt").write_text("\n".join(sorted(drop)) + "\n", encoding="utf-8")
        trimmed.unlink(missing_ok=True)
        try:
            _run("icupkg", "-r", "drop.txt", f"full/{full.name}", trimmed.name, cwd=work)
            break
        except TrimError as exc:
            needed = {m for m in re.findall(r"depends on missing item (\S+)", str(exc))}
            if not needed & drop:
                raise
            drop -= needed
    else:
        raise TrimError("icupkg: dependencies did not settle")
    obj = work / "icudata.o"
    # objcopy names the symbol after the input path; run in `work` so it is _binary_<package>_dat_start
    _run(
        "objcopy",
        "-I",
        "binary",
        "-O",
        "elf64-x86-64",
        "-B",
        "i386:x86-64",
        "--rename-section",
        ".data=.rodata,alloc,load,readonly,data,contents",
        "--set-section-alignment",
        ".rodata=16",  # ICU reads the header's 32-bit fields in place
        "--redefine-sym",
        f"_binary_{package}_dat_start={symbol}",
        "--strip-symbol",
        f"_binary_{package}_dat_end",
        "--strip-symbol",
        f"_binary_{package}_dat_size",
        trimmed.name,
        obj.name,
        cwd=work,
    )
    out = work / "lib" / library.name
    out.parent.mkdir(exist_ok=True)
    soname = _run("objdump", "-p", library)
    match = re.search(r"SONAME\s+(\S+)", soname)
    _run(
        "ld",
        "-shared",
        "-z",
        "noexecstack",
        "-soname",
        match.group(1) if match else library.name,
        "-o",
        out,
        obj,
    )
    return out


def main() -> int:
    library, work = Path(sys.argv[1]), Path(sys.argv[2])
    out = trim(library, work)
    print(f"{library} ({library.stat().st_size >> 20} MiB) → {out} ({out.stat().st_size >> 20} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
