"""Login and keys (issue 13.1, 13.3): a protected store opens only with a password or the office key."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from fieldkit.bundle.keys import public_key_pem
from fieldkit.domain.access import Duty, Role
from fieldkit.services import access
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store.schema import AuditRow
from fieldkit.vault.errors import BadPassword, Locked, TooSoon, WrongPassword
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.rawdb import TEST_PASSWORD


def _protected(tmp_path: Path, clock: Clock) -> tuple[Context, str]:
    ctx = open_context(tmp_path / "data", clock=clock)
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    admin = access.officer_id_by_cert(ctx, TEST_OFFICERS[0].cert_no)
    access.set_password(ctx, admin, TEST_PASSWORD)
    return ctx, admin


def test_a_new_store_is_encrypted_from_the_first_byte(ctx: Context) -> None:
    head = (ctx.data_dir / "fieldkit.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(ctx.data_dir / "fieldkit.db").execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_the_first_password_protects_the_store_and_makes_an_admin(tmp_path: Path, clock: Clock) -> None:
    ctx, admin = _protected(tmp_path, clock)
    assert access.is_protected(ctx.data_dir)
    assert b"provisional" not in (ctx.data_dir / "keys" / "keyring.json").read_bytes()
    assert access.role_of(ctx, admin) is Role.ADMIN
    ctx.sessions.kw["bind"].dispose()

    with pytest.raises(Locked):
        open_context(ctx.data_dir, clock=clock)
    with pytest.raises(WrongPassword):
        open_context(ctx.data_dir, clock=clock, credentials=access.PasswordLogin("张建国", "not-the-one"))
    again = open_context(ctx.data_dir, clock=clock, credentials=access.PasswordLogin("张建国", TEST_PASSWORD))
    assert again.actor == "张建国" and again.login.role is Role.ADMIN
    with again.sessions() as session:
        actions = [(r.action, r.actor) for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))]
    # the failure is audited at the next login (before it the database could not be opened)
    assert actions[-2:] == [("login_failed", "（未登录）"), ("login", "张建国")]


def test_wrong_passwords_slow_down(tmp_path: Path, clock: Clock) -> None:
    ctx, _ = _protected(tmp_path, clock)
    wrong = access.PasswordLogin("张建国", "wrong-password")
    for _ in range(3):
        with pytest.raises(WrongPassword):
            open_context(ctx.data_dir, clock=clock, credentials=wrong)
    with pytest.raises(TooSoon) as refused:  # even the right password waits now
        open_context(ctx.data_dir, clock=clock, credentials=access.PasswordLogin("张建国", TEST_PASSWORD))
    assert 0 < refused.value.wait_seconds <= 5


def test_an_officer_sets_their_own_password_only_an_admin_sets_others(tmp_path: Path, clock: Clock) -> None:
    ctx, _ = _protected(tmp_path, clock)
    li = access.officer_id_by_cert(ctx, TEST_OFFICERS[1].cert_no)
    wang = access.officer_id_by_cert(ctx, TEST_OFFICERS[2].cert_no)
    access.set_password(ctx, li, "li-xiaomei-1")  # the admin (logged in at set-up) sets it
    with pytest.raises(BadPassword, match="至少 6"):
        access.set_password(ctx, wang, "12345")
    li_ctx = open_context(
        ctx.data_dir, clock=clock, credentials=access.PasswordLogin("李晓梅", "li-xiaomei-1")
    )
    assert li_ctx.login.role is Role.OFFICER
    access.set_password(li_ctx, li, "li-changed-2")
    with pytest.raises(access.NotAllowed, match="无权管理执法人员"):
        access.set_password(li_ctx, wang, "wang-zhe-33")
    with pytest.raises(access.NotAllowed):
        access.require(li_ctx, Duty.SETTINGS)


def test_the_office_key_recovers_a_laptop_whose_officers_forgot(tmp_path: Path, clock: Clock) -> None:
    ctx, admin = _protected(tmp_path, clock)
    office = X25519PrivateKey.generate()
    access.wrap_for_office(ctx, public_key_pem(office))
    with pytest.raises(WrongPassword, match="单位恢复密钥"):
        open_context(
            ctx.data_dir, clock=clock, credentials=access.OfficeKeyLogin(X25519PrivateKey.generate())
        )
    recovered = open_context(ctx.data_dir, clock=clock, credentials=access.OfficeKeyLogin(office))
    access.set_password(recovered, admin, "a-new-one-7")
    open_context(ctx.data_dir, clock=clock, credentials=access.PasswordLogin("张建国", "a-new-one-7"))


def test_a_plaintext_store_is_encrypted_on_upgrade(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "old"
    data.mkdir()
    with sqlite3.connect(data / "fieldkit.db") as conn:  # what a previous release left: plain SQLite
        conn.execute("CREATE TABLE note (text TEXT)")
        conn.execute("INSERT INTO note VALUES ('王五 370102199001011234')")
    ctx = open_context(data, clock=clock)
    assert (data / "fieldkit.db").read_bytes()[:16] != b"SQLite format 3\x00"
    found = subprocess.run(["grep", "-rl", "370102199001011234", str(data)], capture_output=True, text=True)
    assert found.stdout == ""
    backups = list((data / "backups").glob("*before-encryption*"))
    assert len(backups) == 1
    with ctx.sessions() as session:
        assert (
            session.connection().exec_driver_sql("SELECT text FROM note").scalar()
            == "王五 370102199001011234"
        )
