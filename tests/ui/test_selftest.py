"""`fieldkit selftest` visits every screen and checks the store; exit 0 and a timing per step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.ui.selftest import SELFTEST_DIR, run_selftest


def test_selftest_on_a_fresh_dir_uses_demo_data_in_a_subfolder(
    fk_app: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_selftest(tmp_path, as_json=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["data_dir"] == str(tmp_path / SELFTEST_DIR)
    names = [s["name"] for s in report["steps"]]
    assert names[-1] == "integrity" and "editor" in names and "page_settings" in names
    assert all(s["ms"] >= 0 for s in report["steps"])


def test_selftest_on_a_set_up_dir_leaves_no_draft_behind(
    fk_app: QApplication, set_up_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_selftest(set_up_ctx.data_dir, as_json=False) == 0
    out = capsys.readouterr().out
    assert "检查数据库完整性：通过" in out and out.strip().splitlines()[-1].startswith("自检通过")
    assert inspections.inspection_ids(set_up_ctx) == []
