"""The bundled Chinese font becomes the application font; without it the app still starts, and says so."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from fieldkit.ui import theme
from fieldkit.ui.locale_env import prefer_chinese_locale


def test_bundled_font_is_the_application_font(fk_app: QApplication) -> None:
    family = theme.install_font(fk_app)
    assert family == "FieldKit Sans SC"
    assert QFontInfo(fk_app.font()).family() == family


def test_missing_font_falls_back_with_a_log_line(
    fk_app: QApplication, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(name: str) -> Path:
        raise FileNotFoundError(name)

    monkeypatch.setattr(theme.paths, "font_file", missing)
    with caplog.at_level(logging.WARNING, logger="fieldkit.ui.theme"):
        assert theme.install_font(fk_app) is None
    assert "未找到界面字体文件" in caplog.text
    assert fk_app.font().families()[0] == theme.FALLBACK_FAMILIES[0]
    monkeypatch.undo()
    theme.install_font(fk_app)


QT_DIALOG_TEXTS = r"""
import json
import sys
import time
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QFileDialog, QTreeView, QWidget
from PySide6.QtGui import QAction
from fieldkit.ui.app import create_application

app = create_application([])


def texts(dialog):
    found = set()
    for child in dialog.findChildren(QWidget):
        for attr in ("text", "toolTip", "title"):
            getter = getattr(child, attr, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str) and value:
                    found.add(value)
        if isinstance(child, QTreeView) and child.model() is not None:
            model = child.model()
            found |= {model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())}
    found |= {a.text() for a in dialog.findChildren(QAction) if a.text()}
    return sorted(found)


folder = sys.argv[1]
files = QFileDialog(None, "打开", folder)
files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
files.setViewMode(QFileDialog.ViewMode.Detail)
files.show()
deadline = time.monotonic() + 10
model = files.findChild(QTreeView).model()
while time.monotonic() < deadline and model.rowCount(model.index(folder)) < 2:
    app.processEvents()
rows = [model.index(r, 0, model.index(folder)) for r in range(model.rowCount(model.index(folder)))]
printer = QPrinter()  # kept: the dialog does not own it
printing = QPrintDialog(printer)
print(json.dumps({
    "file_dialog": texts(files),
    "print_dialog": texts(printing),
    "model_rows": sorted(
        [model.index(i.row(), c, i.parent()).data() for c in (0, 1, 2)] for i in rows
    ),
    "system_date": QLocale.system().toString(QDate(2026, 12, 2), QLocale.FormatType.ShortFormat),
    "default_date": QLocale().toString(QDate(2026, 12, 2), QLocale.FormatType.ShortFormat),
}, ensure_ascii=False))
"""


@pytest.mark.parametrize("locale_env", [{"LANG": "C.UTF-8"}, {"LANG": "en_US.UTF-8", "LC_ALL": "C.UTF-8"}])
def test_qt_dialogs_and_dates_are_chinese_on_an_english_system(
    locale_env: dict[str, str], tmp_path: Path
) -> None:
    """Issue 10 item 6: "Look in", "Files of type" and "2 12 2026" on a fresh English-locale machine."""
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "名录").mkdir()
    (tmp_path / "名录.csv").write_bytes(b"x" * 433)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
    env.update(locale_env, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", QT_DIALOG_TEXTS, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert "查找范围(&L)：" in seen["file_dialog"] and "文件类型(&T)：" in seen["file_dialog"]
    # Accelerators ("打开(&O)") are letters by design; any other Latin word is English left over.
    english = [t for t in seen["file_dialog"] if re.search("[A-Za-z]", re.sub(r"\(&\w\)", "", t))]
    assert english == [], english
    assert not {"Page &Set:", "Page &order:", "Pages &per sheet:"} & set(seen["print_dialog"])
    assert seen["system_date"] == seen["default_date"] == "2026/12/2"  # not "2 12 2026"
    # The file list itself: 文件夹 and 字节, not "Folder" and "433 bytes".
    folder, csv = seen["model_rows"]
    assert (folder[0], folder[2]) == ("名录", "文件夹") and csv[:2] == ["名录.csv", "433 字节"], seen


def test_the_chinese_locale_leaves_a_chinese_system_alone() -> None:
    env = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_TW.UTF-8"}
    prefer_chinese_locale(env)
    assert env == {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_TW.UTF-8"}
    env = {"LC_ALL": "en_GB.UTF-8"}
    prefer_chinese_locale(env)
    if sys.platform not in ("win32", "darwin"):
        assert env["LC_TIME"] == env["LC_MESSAGES"] == "zh_CN.UTF-8"
        assert env["LC_NUMERIC"] == env["LC_CTYPE"] == "en_GB.UTF-8" and "LC_ALL" not in env


def test_the_packaged_app_keeps_qt_chinese_translations() -> None:
    """build.spec drops Qt's other translations; qtbase_zh_CN.qm must stay (PyInstaller is not needed to
    check: keep() and its DROP list are read from the spec and run on the paths PyInstaller collects)."""
    import ast

    spec = (Path(__file__).resolve().parents[2] / "build.spec").read_text(encoding="utf-8")
    wanted = [
        node
        for node in ast.parse(spec).body
        if (isinstance(node, ast.FunctionDef) and node.name == "keep")
        or (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DROP" for t in node.targets))
    ]
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "build.spec", "exec"), namespace)
    keep = namespace["keep"]
    folder = "PySide6/Qt/translations/"
    assert keep((folder + "qtbase_zh_CN.qm", "x", "DATA"))  # type: ignore[operator]
    assert not keep((folder + "qtbase_de.qm", "x", "DATA"))  # type: ignore[operator]
    assert Path(
        theme.QLibraryInfo.path(theme.QLibraryInfo.LibraryPath.TranslationsPath), "qtbase_zh_CN.qm"
    ).is_file()
