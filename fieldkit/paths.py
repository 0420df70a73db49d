"""Where things live: bundled resources and forms, and the user's data dir."""

from __future__ import annotations

import os
import sys
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
