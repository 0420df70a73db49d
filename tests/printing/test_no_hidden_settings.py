"""Printing takes its options as arguments: nothing under fieldkit/printing reads the data dir, the
environment or a settings file (issue 12 §8)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import fieldkit.printing
from fieldkit import paths
from fieldkit.catalog import load_formdefs
from fieldkit.printing import fonts
from fieldkit.printing.options import FontChoice, PrintOptions, SystemFont
from tests.examples import EXAMPLES
from tests.printing.conftest import fonts_of, render

PRINTING = Path(fieldkit.printing.__file__).parent
# fieldkit.paths: bundle_dir/resource_path/forms_dir are shipped files and allowed; these are the user's data
DATA_DIR_NAMES = {"data_dir", "db_path", "subdir", "set_data_dir"}
SETTINGS_WORDS = ("settings.toml", "window.ini", "FIELDKIT_HOME")


def hidden_reads(source: str) -> list[str]:
    """What in this module's code reads the data dir, the environment or a settings file."""
    found = []
    tree = ast.parse(source)
    docstrings = {  # prose may name the settings file; code may not read it
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name, attr = node.value.id, node.attr
            if name == "paths" and attr in DATA_DIR_NAMES:
                found.append(f"{line}: paths.{attr}")
            if name == "os" and attr in {"environ", "getenv", "environb", "getenvb"}:
                found.append(f"{line}: os.{attr}")
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.module == "fieldkit.paths" and names & DATA_DIR_NAMES:
                found.append(
                    f"{line}: from fieldkit.paths import {', '.join(sorted(names & DATA_DIR_NAMES))}"
                )
            if node.module == "os" and names & {"environ", "getenv"}:
                found.append(f"{line}: from os import {', '.join(sorted(names))}")
            if (node.module or "").startswith(("fieldkit.services", "platformdirs", "PySide6")):
                found.append(f"{line}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "platformdirs" or alias.name.startswith("fieldkit.services"):
                    found.append(f"{line}: import {alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            for word in SETTINGS_WORDS:
                if word in node.value:
                    found.append(f"{line}: {word!r}")
    return found


def test_the_check_finds_each_kind_of_hidden_read():
    source = """
import os, platformdirs
from fieldkit import paths
from fieldkit.paths import data_dir
from fieldkit.services.settings import load_local_settings
a = paths.data_dir() / "settings.toml"
b = os.environ.get("WINDIR")
c = os.getenv("FIELDKIT_HOME")
d = paths.resource_path("fonts", "x.ttf")  # shipped files are fine
def f():
    "Reads nothing from settings.toml: a docstring may say so."
"""
    found = hidden_reads(source)
    assert len(found) == 8, found
    assert not any("resource_path" in f for f in found)


def test_nothing_under_printing_reads_the_data_dir_the_environment_or_settings():
    modules = sorted(PRINTING.rglob("*.py"))
    assert len(modules) > 5
    offenders = {
        str(m.relative_to(PRINTING)): hits
        for m in modules
        if (hits := hidden_reads(m.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_options_passed_in_win_over_the_data_dirs_settings(tmp_path, monkeypatch):
    """FIELDKIT_HOME points at a data dir whose settings.toml asks for the system font, and a Windows font
    folder holds a usable "仿宋": a render given the bundled options still prints with the bundled face, and
    the data dir is never asked for."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text('[printing]\nfont = "system"\n', encoding="utf-8")
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    shutil.copy(
        paths.resource_path("fonts", fonts.BOLD_FILE), windir / "Fonts" / "simfang.ttf"
    )  # unlike the body
    monkeypatch.setenv("FIELDKIT_HOME", str(home))
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setattr("sys.platform", "win32")

    def no_data_dir() -> Path:
        pytest.fail("printing asked for the data dir")

    monkeypatch.setattr(paths, "data_dir", no_data_dir)
    formdef = load_formdefs()["xianchang_bilu"]
    data, result = render(formdef, EXAMPLES["xianchang_bilu"], options=PrintOptions())
    assert result.pages >= 1
    assert {n.split("+")[-1] for n, _ in fonts_of(data)} == {
        "FieldKitSerifSC-Regular",
        "FieldKitSerifSC-Bold",
    }
    # and the options, not the file, choose the system face when they say so
    chosen = PrintOptions(FontChoice.SYSTEM, (SystemFont(windir / "Fonts" / "simfang.ttf"),))
    data, _ = render(formdef, EXAMPLES["xianchang_bilu"], options=chosen)
    assert {n.split("+")[-1] for n, _ in fonts_of(data)} == {"FieldKitSerifSC-Bold"}
