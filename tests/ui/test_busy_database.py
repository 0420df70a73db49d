"""Issue 11.4: another process holding the database (a long import) never freezes the window for 5 s."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from tests import rawdb
from tests.ui.keys import type_text

TEXT = "当事人称冷柜昨日已报修"


def test_opening_and_typing_while_another_process_writes(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    ctx = set_up_ctx
    inspection = inspections.new_inspection(ctx)
    editor = InspectionEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    start = time.perf_counter()  # the same work without anyone holding the database
    editor.open_inspection(inspections.new_inspection(ctx))
    type_text(editor.outcome.findings_edit, TEXT)
    assert editor.save_now()
    free = time.perf_counter() - start
    other = rawdb.connect(ctx.data_dir / "fieldkit.db", timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another FieldKit holds the write lock (importing a big bundle)
    try:
        start = time.perf_counter()
        editor.open_inspection(inspection)  # remembers the open draft: a write
        opened = time.perf_counter() - start
        type_text(editor.outcome.findings_edit, TEXT)
        start = time.perf_counter()
        assert not editor.save_now()
        saving = time.perf_counter() - start
        assert "占用" in editor.saved_label.text()  # one clear state, in Chinese
        assert editor.outcome.findings_edit.toPlainText() == TEXT  # kept in memory
        assert editor.autosaver.pending  # and tried again by itself
    finally:
        other.rollback()
        other.close()
    # The busy timeout was 5 s per write; now the window waits a fraction of a second, never that.
    assert opened + saving - free < 2.0, (opened, saving, free)
    assert editor.save_now()
    assert inspections.load_inspection(ctx, inspection).draft.findings == TEXT


def test_leaving_a_blank_draft_while_another_process_writes_does_not_freeze(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    ctx = set_up_ctx
    editor = InspectionEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.open_inspection(inspections.new_inspection(ctx))  # Ctrl+N, then straight back
    other = rawdb.connect(ctx.data_dir / "fieldkit.db", timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        start = time.perf_counter()
        editor.close_inspection()  # would delete the blank draft: a write
        waited = time.perf_counter() - start
    finally:
        other.rollback()
        other.close()
    assert waited < 2.0, waited  # a fraction of a second, not the 5 s busy timeout
