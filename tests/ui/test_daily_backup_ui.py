"""Issue 13.6 in the window: the day's first start makes the encrypted snapshot, in a thread."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import backup
from fieldkit.services.context import Context
from fieldkit.ui.app import start_main_window


def test_the_first_start_of_the_day_backs_the_store_up_in_the_background(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    assert backup.daily_due(set_up_ctx)
    window = start_main_window(set_up_ctx)
    qtbot.addWidget(window)
    for thread in threading.enumerate():
        if thread.name == "daily-backup":
            thread.join(10)
    made = backup.list_backups(set_up_ctx.data_dir)
    assert [b.kind for b in made] == [backup.DAILY]
    assert not backup.daily_due(set_up_ctx)
    second = start_main_window(set_up_ctx)  # the same day: nothing more
    qtbot.addWidget(second)
    assert "daily-backup" not in {t.name for t in threading.enumerate()}
    assert len(backup.list_backups(set_up_ctx.data_dir)) == 1
