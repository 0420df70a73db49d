"""SIGKILL the real app after typing; the next start reopens the draft intact, with the yellow banner."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
import uuid
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services.context import Context, open_context
from fieldkit.services.inspections import load_inspection
from fieldkit.ui.app import acquire_instance_lock, start_main_window
from tests.ui.kill_target import TYPED

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 45


def read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            return proc.stdout.readline().strip()
        if proc.poll() is not None:
            break
    return ""


def test_killed_app_reopens_the_draft_with_every_character(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    data_dir = set_up_ctx.data_dir
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FIELDKIT_HOME": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.kill_target", str(data_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = read_line(proc, READY_TIMEOUT_S)
        if not line.startswith("READY"):
            proc.kill()
            raise AssertionError(f"target did not get ready: {line!r}\n{proc.communicate()[1]}")
        inspection_id = uuid.UUID(line.split()[1])
    finally:
        proc.kill()  # SIGKILL: no closeEvent, no end_session, no chance to save anything more
        proc.communicate()
    assert proc.returncode == -9

    lock = acquire_instance_lock(data_dir)  # the dead process's lock is stale and taken over
    assert lock is not None
    ctx = open_context(data_dir)
    assert load_inspection(ctx, inspection_id).draft.findings == TYPED
    window = start_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.inspections_page().editor
    assert window.current_key() == "inspections"
    assert editor.inspection_id == inspection_id
    assert editor.outcome.findings_edit.toPlainText() == TYPED
    assert editor.isVisible()
    assert editor.recovery_banner.isVisible()
    assert editor.recovery_banner.text().startswith("上次程序意外退出，已恢复未完成的草稿（最后保存于 ")
    window.close()
    lock.unlock()


def test_second_instance_is_refused(tmp_path: Path, fk_app: QApplication) -> None:
    first = acquire_instance_lock(tmp_path)
    assert first is not None
    assert acquire_instance_lock(tmp_path) is None
    first.unlock()
    again = acquire_instance_lock(tmp_path)
    assert again is not None
    again.unlock()
