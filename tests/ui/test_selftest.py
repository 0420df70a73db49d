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
    assert names[-1] == "integrity" and "editor" in names and "page_settings" in names and "print" in names
    assert all(s["ms"] >= 0 for s in report["steps"])


def test_selftest_on_a_set_up_dir_leaves_no_draft_behind(
    fk_app: QApplication, set_up_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_selftest(set_up_ctx.data_dir, as_json=False) == 0
    out = capsys.readouterr().out
    assert "检查数据库完整性：通过" in out and out.strip().splitlines()[-1].startswith("自检通过")
    assert inspections.inspection_ids(set_up_ctx) == []


def test_selftest_prints_with_the_laptops_settings_even_on_scratch_data(
    fk_app: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo data lives in a subfolder without a settings.toml; the blank it prints still uses the font
    this laptop's settings.toml chooses (what the frozen build's selftest is there to check)."""
    from fieldkit.printing.options import FontChoice
    from fieldkit.services import documents

    (tmp_path / "settings.toml").write_text('[printing]\nfont = "system"\n', encoding="utf-8")
    seen: list[tuple[Path, FontChoice]] = []
    real = documents.blank_pdf

    def spy(ctx: Context, form_id: str) -> tuple[bytes, int]:
        seen.append((ctx.data_dir, ctx.settings.printing.font))
        return real(ctx, form_id)

    monkeypatch.setattr(documents, "blank_pdf", spy)
    assert run_selftest(tmp_path, as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert seen == [(tmp_path / SELFTEST_DIR, FontChoice.SYSTEM)]


def test_selftest_fails_naming_a_bad_settings_file(
    fk_app: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings.toml").write_text('[printing]\nfont = "仿宋"\n', encoding="utf-8")
    assert run_selftest(tmp_path, as_json=True) == 1
    report = json.loads(capsys.readouterr().out)
    failed = [s for s in report["steps"] if not s["ok"]]
    assert [s["name"] for s in failed] == ["data"]
    assert "settings.toml" in failed[0]["error"] and "[printing] font" in failed[0]["error"]


def test_selftest_on_a_protected_dir_uses_scratch_data_unless_logged_in(
    fk_app: QApplication, set_up_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldkit.services import access
    from tests.conftest import TEST_OFFICERS
    from tests.rawdb import TEST_PASSWORD

    admin = access.officer_id_by_cert(set_up_ctx, TEST_OFFICERS[0].cert_no)
    access.set_password(set_up_ctx, admin, TEST_PASSWORD)
    data_dir = set_up_ctx.data_dir
    assert run_selftest(data_dir, as_json=True) == 0  # locked: it cannot open the officer's store
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["data_dir"] == str(data_dir / SELFTEST_DIR)
    login = access.PasswordLogin("张建国", TEST_PASSWORD)
    assert run_selftest(data_dir, as_json=True, credentials=login) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["data_dir"] == str(data_dir)
    assert inspections.inspection_ids(set_up_ctx) == []
