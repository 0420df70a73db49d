"""Imports point downwards: domain uses neither Qt nor SQL; only fieldkit.ui imports PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def package_modules(package: str) -> list[str]:
    folder = REPO / package.replace(".", "/")
    return [f"{package}.{p.stem}" for p in sorted(folder.glob("*.py")) if p.stem != "__init__"]


def test_domain_imports_neither_qt_nor_sqlalchemy() -> None:
    imports = "\n".join(f"import {m}" for m in package_modules("fieldkit.domain"))
    loaded = loaded_after(imports)
    assert "PySide6" not in loaded
    assert "sqlalchemy" not in loaded


def test_services_printing_bundle_and_cli_do_not_import_qt() -> None:
    modules = [
        *package_modules("fieldkit.services"),
        *package_modules("fieldkit.printing"),
        *package_modules("fieldkit.bundle"),
        "fieldkit.cli",
    ]
    imports = "\n".join(f"import {m}" for m in modules)
    assert "PySide6" not in loaded_after(imports)
