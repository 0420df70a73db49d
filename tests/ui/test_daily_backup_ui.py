"""Issue 13.6 in the window: the day's first start makes the encrypted snapshot, in a thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import backup
from fieldkit.services.context import Context
from fieldkit.ui import app


def test_the_first_start_of_the_day_backs_the_store_up_in_the_background(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    original = app.start_daily_backup

    def start(ctx: Context) -> threading.Thread:
        threads.append(original(ctx))
        return threads[-1]

    monkeypatch.setattr(app, "start_daily_backup", start)
    assert backup.daily_due(set_up_ctx)
    window = app.start_main_window(set_up_ctx)
    qtbot.addWidget(window)
    assert threads == []  # issue 14: not before the first screen is drawn
    window.show()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5000)
    threads[0].join(10)
    made = backup.list_backups(set_up_ctx.data_dir)
    assert [b.kind for b in made] == [backup.DAILY]
    assert not backup.daily_due(set_up_ctx)
    second = app.start_main_window(set_up_ctx)  # the same day: nothing more
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=5000)
    threads[1].join(10)
    assert len(backup.list_backups(set_up_ctx.data_dir)) == 1
