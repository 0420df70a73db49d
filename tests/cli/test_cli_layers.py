"""The command line works through services only (issue 12 §7): no module of fieldkit/cli imports the
store, SQLAlchemy, the bundle or the printing layer, or opens a session itself. What a command needs
from below is a services function, which the GUI can call too.

Every import statement is read, also those inside functions (the handlers import lazily, so the
command starts fast), and relative ones are resolved.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "fieldkit" / "cli"

# What a command may import of ours: other cli modules, services, the domain's plain data and rules,
# errors, paths, logging set-up. `gui` and `selftest` start the GUI itself.
ALLOWED = (
    "fieldkit.cli",
    "fieldkit.services",
    "fieldkit.domain",
    "fieldkit.errors",
    "fieldkit.paths",
    "fieldkit.logs",
    "fieldkit.ui.app",
    "fieldkit.ui.selftest",
)
ALLOWED_EXACT = {"fieldkit", "fieldkit.__version__"}
FORBIDDEN_THIRD_PARTY = ("sqlalchemy", "alembic", "PySide6")


def imported_modules(source: str, package: str = "fieldkit.cli") -> list[tuple[int, str]]:
    """(line, dotted name) of everything the source imports; `from a import b` gives `a.b`."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            out += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return out


def _allowed(name: str) -> bool:
    if name.split(".")[0] in FORBIDDEN_THIRD_PARTY:
        return False
    if name != "fieldkit" and not name.startswith("fieldkit."):
        return True  # the standard library and the like
    return name in ALLOWED_EXACT or any(name == a or name.startswith(a + ".") for a in ALLOWED)


def violations(source: str, package: str = "fieldkit.cli") -> list[str]:
    found = [
        f"line {line}: imports {name}"
        for line, name in imported_modules(source, package)
        if not _allowed(name)
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "sessions":
            found.append(f"line {node.lineno}: opens a session (.sessions) — write a services function")
    return found


def test_every_cli_module_goes_through_services() -> None:
    modules = sorted(CLI.glob("*.py"))
    assert len(modules) >= 10, modules  # the package, not a stray file
    problems = {p.name: found for p in modules if (found := violations(p.read_text(encoding="utf-8")))}
    assert problems == {}, (
        "fieldkit/cli must work through fieldkit.services (issue 12 §7); move this work into a services "
        f"function: {problems}"
    )


@pytest.mark.parametrize(
    "line",
    [
        "from fieldkit.store.evidence_files import scan_folder",
        "from fieldkit.store import audit",
        "from fieldkit import store",
        "import fieldkit.store.schema",
        "from ..store import db",
        "import sqlalchemy",
        "from sqlalchemy.orm import Session",
        "from fieldkit.bundle import keys",
        "from fieldkit.printing.formdefs import load_formdefs",
        "from fieldkit.ui.widgets import list_page",
        "with ctx.sessions() as session: pass",
    ],
)
def test_the_check_catches_a_way_around_services(line: str) -> None:
    # inside a function, as the handlers import
    assert violations(f"def handler(ctx):\n    {line}\n")


@pytest.mark.parametrize(
    "line",
    [
        "from fieldkit.services import documents",
        "from fieldkit.services.lookup import resolve_id",
        "from fieldkit.domain.evidence import EvidenceKind",
        "from fieldkit import __version__, paths",
        "from fieldkit.cli.base import open_ctx",
        "from .base import print_json",
        "import json",
    ],
)
def test_the_check_lets_services_and_the_domain_through(line: str) -> None:
    assert violations(f"def handler(ctx):\n    {line}\n") == []
