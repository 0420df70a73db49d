"""Issue 11.3 in the window: after a crash, what the killed session left is removed and said so."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import evidence, recovery
from fieldkit.services.context import Context
from fieldkit.store.evidence_files import TEMP_DIR
from fieldkit.ui.app import start_main_window


def test_the_start_after_a_crash_cleans_up_and_says_what(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    ctx = set_up_ctx
    (ctx.data_dir / recovery.MARKER).write_text("{}", encoding="utf-8")  # the last session was killed
    orphan = evidence.store(ctx).add_bytes(b"a photo whose record was never committed", name="x.jpg")
    half = ctx.data_dir / "evidence" / TEMP_DIR / "add-killed.part"
    half.write_bytes(b"half a video")
    for p in (orphan.stored_path, half):
        os.utime(p, (0, 0))
    window = start_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    message = window.statusBar().currentMessage()
    assert "已清理上次中断留下的" in message and "没有记录引用的证据文件" in message, message
    assert not evidence.store(ctx).has(orphan.sha256) and not half.exists()
