"""Where things live: bundled resources and forms, and the user's data dir."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path

import platformdirs

APP_NAME = "fieldkit"
_data_dir_override: Path | None = None


def bundle_dir() -> Path:
    """The folder holding `resources/` and `forms/`: PyInstaller's _MEIPASS when frozen, else the repo."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    path = bundle_dir().joinpath("resources", *parts)
    if not path.exists():
        raise FileNotFoundError(f"缺少资源文件：{path}")
    return path


_font_lock = threading.Lock()
FONT_CACHE = "font-cache"  # under the user's cache folder: fonts the frozen build ships compressed


def font_file(name: str) -> Path:
    """A bundled font, `resources/fonts/<name>`, as a file Qt and reportlab can open.

    The frozen build ships its fonts xz-compressed (`<name>.xz`, build.spec): they are 62 of its MB and
    compress to 29. The first use on a machine decompresses each into the user's cache folder (~0.1–0.8 s
    a font, once); later starts open that copy directly, as fast as the plain file. The copy's name carries
    the compressed file's size and time, so a new release's font replaces it. If the cache folder cannot be
    written, the copy goes to a temporary folder for this process instead.
    """
    plain = bundle_dir() / "resources" / "fonts" / name
    if plain.exists():
        return plain
    packed = plain.with_name(f"{name}.xz")
    if not packed.exists():
        raise FileNotFoundError(f"缺少资源文件：{plain}")
    st = packed.stat()
    stem, dot, ext = name.rpartition(".")
    cached_name = f"{stem}-{st.st_size:x}-{st.st_mtime_ns:x}{dot}{ext}"
    import tempfile  # here: only the frozen build gets this far, and start-up need not import it

    with _font_lock:
        folders = [
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / FONT_CACHE,
            Path(tempfile.gettempdir()) / f"{APP_NAME}-{FONT_CACHE}-{os.getpid()}",
        ]
        for folder in folders:
            cached = folder / cached_name
            if cached.exists() or _unpack(packed, cached, f"{stem}-*-*{dot}{ext}"):
                return cached
    raise FileNotFoundError(f"无法解压字体文件：{packed}")


def _unpack(packed: Path, target: Path, earlier: str) -> bool:
    """Decompress `packed` to `target` and remove the copies matching `earlier` (an earlier release's);
    False when the folder cannot be written (or the file is damaged)."""
    import lzma
    import tempfile

    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # another process may be unpacking the same font: each writes its own file, then renames it
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}-", delete=False) as out:
            tmp = out.name
            with lzma.open(packed) as source:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
        os.replace(tmp, target)
    except (OSError, lzma.LZMAError, EOFError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    for old in target.parent.glob(earlier):
        if old != target and old.name.count("-") == target.name.count(
            "-"
        ):  # not NotoSerifSC-Bold for -Regular
            with contextlib.suppress(OSError):
                old.unlink()
    return True


def forms_dir() -> Path:
    return bundle_dir() / "forms"


def set_data_dir(path: Path | None) -> None:
    """`--data-dir` wins over FIELDKIT_HOME, which wins over the platform default."""
    global _data_dir_override
    _data_dir_override = path


def data_dir() -> Path:
    if _data_dir_override is not None:
        base = _data_dir_override
    elif env := os.environ.get("FIELDKIT_HOME"):
        base = Path(env)
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def db_path() -> Path:
    return data_dir() / "fieldkit.db"


def subdir(name: str) -> Path:
    """`evidence`, `backups`, `exports`, `logs`: created on first use."""
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path
