"""`fieldkit backup create|list|restore` (issue 13.6), and the day's automatic snapshot at open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import SETUP, run
from tests.rawdb import TEST_PASSWORD


def _names(capsys: pytest.CaptureFixture[str], login: list[str]) -> set[str]:
    code, out, err = run(capsys, *login, "subjects", "search", "临沂", "--json")
    assert code == 0, err
    return {s["name"] for s in json.loads(out)}


def test_backup_create_list_restore_and_the_restored_store_verifies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "data")
    pw = tmp_path / "pw.txt"
    pw.write_text(TEST_PASSWORD + "\n")
    login = ["--data-dir", data, "--login", "张建国", "--password-file", str(pw)]
    code, _, err = run(capsys, *login, *SETUP)
    assert code == 0, err
    code, out, _ = run(capsys, "--data-dir", data, "backup", "list", "--json")  # no login needed
    daily = json.loads(out)
    assert [b["kind"] for b in daily] == ["daily"]  # the day's first open made it

    code, out, err = run(capsys, *login, "backup", "create", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["kind"] == "manual" and made["has_keyring"]
    before = _names(capsys, login)
    assert before == set()

    code, out, err = run(capsys, *login, "demo", "--seed", "7")  # data added after the backup
    assert code == 0, err
    after = _names(capsys, login)
    assert after
    code, out, _ = run(capsys, "--data-dir", data, "backup", "list")
    assert "  1. " + made["name"] + "  手动" in out and "每日自动" in out
    assert len(list((Path(data) / "backups").glob("*-daily.db"))) == 1  # still one today

    code, _, err = run(capsys, *login, "backup", "restore", made["name"])
    assert code == 1 and "--yes" in err  # not confirmed (no terminal): nothing changed
    assert _names(capsys, login) == after
    code, _, err = run(capsys, *login, "backup", "restore", "9", "--yes")
    assert code == 1 and "备份序号 9 不存在" in err
    code, out, err = run(capsys, *login, "backup", "restore", "1", "--yes", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["restored"]["name"] == made["name"] and result["keyring_restored"]
    assert result["lost_numbers"]  # the demo printed documents after the backup
    assert "注意：备份之后开具的文号" in err

    assert _names(capsys, login) == before
    code, out, err = run(capsys, *login, "audit", "verify")
    assert code == 0, err
    code, out, err = run(capsys, *login, "evidence", "verify")
    assert code == 0, err

    code, out, _ = run(capsys, "--data-dir", data, "backup", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["kind"] == "before-restore" and listed[0]["number"] == 1
    code, out, err = run(capsys, *login, "backup", "restore", listed[0]["name"], "--yes")
    assert code == 0, err
    assert "恢复前的数据已另存为备份" in out
    assert _names(capsys, login) == after  # undone
    code, _, err = run(capsys, *login, "audit", "verify")
    assert code == 0, err
