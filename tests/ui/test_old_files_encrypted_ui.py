"""Issue 13.4 in the window: evidence files a release before encryption left in the clear are encrypted
on a worker once the window is up, and the status bar says so."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import evidence
from fieldkit.services.context import Context
from fieldkit.store.evidence_files import EvidenceStore
from fieldkit.ui import app
from tests.store.test_exif import jpeg_bytes


def test_old_plain_evidence_is_encrypted_after_the_first_paint(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    plain = EvidenceStore(set_up_ctx.data_dir / "evidence", None)  # as the previous release stored it
    photo = jpeg_bytes()
    sha = plain.add_bytes(photo, name="IMG_0001.JPG").sha256
    assert evidence.plain_files_left(set_up_ctx)

    window = app.start_main_window(set_up_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not evidence.plain_files_left(set_up_ctx), timeout=10_000)
    qtbot.waitUntil(
        lambda: "已加密旧版本留下的 1 个证据文件" in window.statusBar().currentMessage(), timeout=5000
    )
    assert photo[100:200] not in plain.path_of(sha).read_bytes()
    with evidence.files_of(set_up_ctx).open(sha) as f:
        assert f.read() == photo
