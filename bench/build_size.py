"""Size of the frozen one-folder build (build.spec), with what takes the room.

Run by hand: `python bench/build_size.py [--dist build/dist/fieldkit] [--json]`. Without --dist it builds
into a temporary folder first (PyInstaller must be installed: `pip install "pyinstaller>=6.10,<7"`; about
a minute, more on a busy machine). The figure is `du` of the folder in MiB, as `.ci/run` prints it.
Goal (issue 14): ≤ 120 MB. No floor: docs/performance.md (文书 PDF 与打包体积) lists what the rest is.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

GOAL_MIB = 120
# what the build's room goes to, by path inside _internal (first match wins)
PARTS = (
    ("fonts (xz)", "resources/fonts"),
    ("Qt libraries", "PySide6/Qt/lib"),
    ("Qt plugins", "PySide6/Qt/plugins"),
    ("PySide6 bindings", "PySide6"),
    ("cryptography", "cryptography"),
    ("sqlcipher3", "sqlcipher3"),
    ("pdfium", "pypdfium2_raw"),
    ("Pillow", "PIL"),
    ("Pillow", "pillow.libs"),
    ("Python", "libpython"),
    ("Python", "python3"),
    ("Python", "base_library.zip"),
)


def du_mib(path: Path) -> float:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) / 1024


def build(dist: Path, work: Path) -> Path:
    if shutil.which("pyinstaller") is None and not (Path(sys.executable).parent / "pyinstaller").exists():
        raise SystemExit('PyInstaller is not installed: pip install "pyinstaller>=6.10,<7"')
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).parent / "pyinstaller")
    args = ["--noconfirm", "--log-level", "ERROR", "--distpath", str(dist), "--workpath", str(work)]
    subprocess.run([pyinstaller, *args, "build.spec"], cwd=ROOT, check=True)
    return dist / "fieldkit"


def parts(folder: Path) -> dict[str, float]:
    """MiB per part; the executables and everything not named in PARTS is "other"."""
    sizes: dict[str, float] = {}
    for file in folder.rglob("*"):
        if not file.is_file() or file.is_symlink():
            continue
        rel = file.relative_to(folder).as_posix()
        if "/" not in rel:
            name = "executable (Python code)"
        elif (
            rel.count("/") == 1
            and rel.startswith("_internal/lib")
            and not rel.startswith("_internal/libpython")
        ):
            name = "system libraries"
        else:
            rel = rel.removeprefix("_internal/")
            name = next((label for label, prefix in PARTS if rel.startswith(prefix)), "other")
        sizes[name] = sizes.get(name, 0) + file.stat().st_size / 2**20
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, help="an existing build folder (…/dist/fieldkit)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dist or build(Path(tmp) / "dist", Path(tmp) / "work")
        total = du_mib(folder)
        print(f"frozen build {folder}: {total:.0f} MiB (goal ≤ {GOAL_MIB} MB)")
        for name, mib in parts(folder).items():
            print(f"  {name:26}{mib:7.1f} MiB")
    if as_json:
        emit(
            "build_size",
            [figure("frozen one-folder build", total, None, "MiB", f"≤ {GOAL_MIB} MB", total <= GOAL_MIB)],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
