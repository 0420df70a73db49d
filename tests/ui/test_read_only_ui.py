"""Issue 11.6 in the window: one clear read-only state; on a disk that fills up, typed text waits in memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import inspections
from fieldkit.services.context import open_context
from fieldkit.ui import strings
from fieldkit.ui.app import start_main_window
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from tests.services.test_read_only_store import _fill_store, _mount, read_only_dir  # noqa: F401
from tests.ui.keys import type_text


def test_the_window_on_a_read_only_data_dir_says_so_once(
    qtbot: QtBot,
    fk_app: QApplication,
    read_only_dir: tuple[Path, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    data, inspection_id = read_only_dir
    ctx = open_context(data)
    window = start_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.read_only_label is not None and window.read_only_label.isVisible()
    assert "只读" in window.windowTitle() and window.read_only_label.toolTip() == ctx.read_only_reason
    editor = window.open_inspection(uuid.UUID(inspection_id))
    assert isinstance(editor, InspectionEditor)
    assert editor.form.place_edit.isReadOnly() and not editor.complete_button.isVisible()
    assert strings.READ_ONLY_STATUS in editor.info_banner.text()
    assert not editor.save_now()
    window.grab().save(str(tmp_path / "read-only.png"))


@pytest.mark.skipif(os.geteuid() != 0, reason="a small tmpfs needs root")
def test_a_disk_that_fills_up_keeps_the_typed_text_until_a_save_succeeds(
    qtbot: QtBot, fk_app: QApplication, tmp_path: Path
) -> None:
    where = tmp_path / "small"
    if not _mount(where, "24m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        _fill_store(where / "data")
        ctx = open_context(where / "data")
        assert not ctx.read_only
        inspection = inspections.new_inspection(ctx)
        editor = InspectionEditor(ctx)
        qtbot.addWidget(editor)
        editor.show()
        editor.open_inspection(inspection)
        filler = where / "filler.bin"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(os.urandom(1 << 16))
                    f.flush()
            except OSError:
                pass
        text = "当事人称冷柜昨日已报修，" * 400  # more than any free page SQLite may still hold
        type_text(editor.outcome.findings_edit, text[:40])
        editor.outcome.findings_edit.setPlainText(text)
        assert not editor.save_now()
        assert "磁盘空间已满" in editor.saved_label.text() or "磁盘" in editor.saved_label.text()
        assert editor.outcome.findings_edit.toPlainText() == text  # still there, in memory
        assert inspections.load_inspection(ctx, inspection).draft.findings != text
        filler.unlink()
        assert editor.save_now()  # room again: the next save succeeds
        assert inspections.load_inspection(ctx, inspection).draft.findings == text
        ctx.sessions.kw["bind"].dispose()
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        shutil.rmtree(where, ignore_errors=True)


def test_selftest_passes_on_a_read_only_data_dir(
    read_only_dir: tuple[Path, str],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fieldkit.ui.selftest import run_selftest

    data, _inspection = read_only_dir
    code = run_selftest(data, as_json=True)
    out = capsys.readouterr().out
    assert code == 0, out
