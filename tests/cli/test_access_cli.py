"""Login, passwords and keys on the command line (issue 13.5): `lock-status`, `officers`, `recover`,
`keys recovery set`, and the everyday commands (setup, demo) on a protected store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import SETUP, run
from tests.rawdb import TEST_PASSWORD


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def protected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, str]:
    """A data dir set up with 张建国 as the administrator (his password from a file)."""
    data = str(tmp_path / "data")
    pw = _file(tmp_path, "zhang.txt", TEST_PASSWORD)
    code, out, err = run(capsys, "--data-dir", data, "--password-file", pw, *SETUP)
    assert code == 0, err
    assert "已设置管理员张建国的登录密码" in out
    return data, pw


def test_lock_status_needs_no_login_and_says_what_is_protected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, protected: tuple[str, str]
) -> None:
    data, _ = protected
    code, out, _ = run(capsys, "--data-dir", data, "lock-status")
    assert code == 0
    assert "数据库：已加密" in out and "登录保护：已设置" in out
    assert "  张建国" in out and "李晓梅" not in out  # only who has a password here
    assert "单位恢复公钥：未登记" in out
    code, out, _ = run(capsys, "--data-dir", data, "lock-status", "--json")
    status = json.loads(out)
    assert status["protected"] and status["database"] == "encrypted" and not status["recovery_key"]
    assert [o["name"] for o in status["officers"]] == ["张建国"]

    for _ in range(3):  # wrong tries: lock-status shows the wait
        wrong = _file(tmp_path, "wrong.txt", "not-the-password")
        code, _, err = run(capsys, "--data-dir", data, "--password-file", wrong, "officers", "list")
        assert code == 1 and "密码不对" in err
    code, out, _ = run(capsys, "--data-dir", data, "lock-status", "--json")
    assert 0 < json.loads(out)["officers"][0]["wait_seconds"] <= 5
    code, out, _ = run(capsys, "--data-dir", data, "lock-status")
    assert "张建国（密码错误次数过多，须等" in out

    fresh = str(tmp_path / "fresh")
    code, out, _ = run(capsys, "--data-dir", fresh, "lock-status")
    assert code == 0 and "数据库：尚未建立" in out


def test_demo_and_setup_run_on_a_protected_store_with_a_login(
    capsys: pytest.CaptureFixture[str], protected: tuple[str, str]
) -> None:
    data, pw = protected
    code, _, err = run(capsys, "--data-dir", data, "demo")
    assert code == 2 and "--password-file" in err  # no password given, not a terminal
    code, out, err = run(
        capsys, "--data-dir", data, "--login", "张建国", "--password-file", pw, "demo", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["subjects"] > 0
    code, out, err = run(capsys, "--data-dir", data, "--password-file", pw, *SETUP[:-1], "A1", "--yes")
    assert code == 0, err
    assert "设置没有变化" in out


def test_officers_passwd_and_role_need_an_admin_or_oneself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, protected: tuple[str, str]
) -> None:
    data, pw = protected
    admin = ["--data-dir", data, "--login", "张建国", "--password-file", pw]
    code, out, _ = run(capsys, *admin, "officers", "list")
    assert code == 0
    assert "张建国  管理员  已设置密码（当前登录）" in out and "李晓梅  执法人员  未设置密码" in out

    code, _, err = run(capsys, *admin, "officers", "passwd", "李晓梅")
    assert code == 2 and "--new-password-file" in err  # never a password on the command line
    short = _file(tmp_path, "short.txt", "12345")
    code, _, err = run(capsys, *admin, "officers", "passwd", "李晓梅", "--new-password-file", short)
    assert code == 1 and "至少 6 位" in err
    li_pw = _file(tmp_path, "li.txt", "li-xiaomei-1")
    code, out, err = run(
        capsys, *admin, "officers", "passwd", "李晓梅", "--role", "办公室", "--new-password-file", li_pw
    )
    assert code == 0, err
    assert "已设置李晓梅的登录密码（办公室）" in out

    li = ["--data-dir", data, "--login", "李晓梅", "--password-file", li_pw]
    code, out, _ = run(capsys, *li, "officers", "list", "--json")
    rows = {o["name"]: o for o in json.loads(out)}
    assert rows["李晓梅"]["role"] == "office" and rows["李晓梅"]["logged_in"]
    code, _, err = run(capsys, *li, "officers", "role", "张建国", "执法人员")
    assert code == 1 and "办公室李晓梅无权管理执法人员和密码" in err
    code, _, err = run(capsys, *li, "officers", "passwd", "张建国", "--new-password-file", li_pw)
    assert code == 1 and "无权" in err
    own = _file(tmp_path, "li2.txt", "li-changed-2")
    code, out, err = run(capsys, *li, "officers", "passwd", "--new-password-file", own)  # herself
    assert code == 0, err
    code, _, err = run(capsys, *li, "officers", "list")
    assert code == 1 and "密码不对" in err  # the old one no longer opens
    code, _, err = run(capsys, *admin, "officers", "role", "张建国", "执法人员")
    assert code == 1 and "唯一的管理员" in err
    with pytest.raises(SystemExit) as refused:  # argparse's own usage error
        run(capsys, *admin, "officers", "role", "李晓梅", "局长")
    assert refused.value.code == 2
    assert "参数 角色：应为 执法人员、管理员、办公室，收到「局长」" in capsys.readouterr().err
    code, out, _ = run(capsys, *admin, "officers", "role", "李晓梅", "管理员")
    assert code == 0 and "李晓梅的角色已改为管理员" in out


def test_the_office_key_recovers_a_laptop_whose_officer_forgot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, protected: tuple[str, str]
) -> None:
    data, pw = protected
    office = str(tmp_path / "office")
    public = tmp_path / "office.pem"
    private = tmp_path / "office-private.pem"  # the offline copy: the office PC's own is encrypted
    code, _, err = run(
        capsys, "--data-dir", office, "office", "keygen", "-o", str(public), "--private-out", str(private)
    )
    assert code == 0, err
    new = _file(tmp_path, "new.txt", "remembered-now-1")
    in_office_dir = ["--data-dir", data, "recover", "--office-key", str(Path(office) / "keys" / "office.key")]
    code, _, err = run(capsys, *in_office_dir, "--officer", "张建国", "--new-password-file", new)
    assert code == 1 and "离线副本" in err
    recover = ["--data-dir", data, "recover", "--office-key", str(private), "--officer", "张建国"]
    code, _, err = run(capsys, *recover, "--new-password-file", new)
    assert code == 1 and "没有用单位恢复公钥保存数据密钥" in err  # not registered yet

    code, out, err = run(
        capsys, "--data-dir", data, "--password-file", pw, "keys", "recovery", "set", str(public), "--json"
    )
    assert code == 0, err
    fingerprint = json.loads(out)["fingerprint"]
    code, out, _ = run(capsys, "--data-dir", data, "lock-status", "--json")
    assert json.loads(out)["recovery_fingerprint"] == fingerprint

    code, out, err = run(capsys, *recover, "--new-password-file", new)
    assert code == 0, err
    assert "为张建国设置了新的登录密码" in out
    code, _, err = run(capsys, "--data-dir", data, "--password-file", pw, "audit", "verify")
    assert code == 1 and "密码不对" in err
    code, out, err = run(capsys, "--data-dir", data, "--password-file", new, "audit", "verify")
    assert code == 0, err

    from sqlalchemy import select

    from fieldkit.services.access import PasswordLogin
    from fieldkit.services.context import open_context
    from fieldkit.store.schema import AuditRow

    ctx = open_context(Path(data), credentials=PasswordLogin("张建国", "remembered-now-1"))
    with ctx.sessions() as session:
        rows = [
            (r.action, r.actor, r.detail) for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))
        ]
    ctx.sessions.kw["bind"].dispose()
    recovered = [i for i, r in enumerate(rows) if r[0] == "login" and r[2].get("how") == "office_key"]
    assert recovered and rows[recovered[-1]][1] == "单位恢复密钥"
    assert rows[recovered[-1] + 1][0] == "set_password" and rows[recovered[-1] + 1][2]["officer"] == "张建国"

    wrong = tmp_path / "not-a-key.pem"
    wrong.write_text("garbage")
    code, _, err = run(
        capsys, "--data-dir", data, "recover", "--office-key", str(wrong), "--officer", "张建国"
    )
    assert code == 1 and "不是有效的私钥" in err
