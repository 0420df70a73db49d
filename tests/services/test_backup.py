"""Encrypted backups (issue 13.6): what a backup holds, the daily snapshot and its rotation, and a
restore that brings back a working store whose audit log and evidence verify."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.services import access, backup, documents, evidence, housekeeping, integrity, subjects
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store.db import SQLITE_HEADER
from fieldkit.store.schema import AuditRow
from fieldkit.vault.errors import WrongPassword
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.rawdb import TEST_PASSWORD
from tests.services.test_documents import make_inspection, rectification

ZHANG = access.PasswordLogin("张建国", TEST_PASSWORD)


def _protected(data_dir: Path, clock: Clock) -> Context:
    ctx = open_context(data_dir, clock=clock)
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    access.set_password(ctx, access.officer_id_by_cert(ctx, TEST_OFFICERS[0].cert_no), TEST_PASSWORD)
    ctx.sessions.kw["bind"].dispose()
    return open_context(data_dir, clock=clock, credentials=ZHANG)


def _subject(ctx: Context, name: str) -> uuid.UUID:
    return subjects.add_subject(
        ctx, SubjectDraft(name=name, subject_type=SubjectType.ENTERPRISE, legal_rep="赵六")
    )


def _has(ctx: Context, name: str) -> bool:
    return any(
        item.name == name for item in subjects.subject_items(ctx, subjects.search_subject_ids(ctx, name))
    )


def _with_evidence(ctx: Context, tmp_path: Path, colour: str) -> uuid.UUID:
    inspection_id = make_inspection(ctx)
    item = evidence.add_evidence_item(ctx, inspection_id, EvidenceDraft(name=f"现场照片{colour}"))  # type: ignore[arg-type]
    photo = tmp_path / f"IMG_{colour}.jpg"
    Image.new("RGB", (64, 48), colour).save(photo)
    evidence.add_files(ctx, item, [photo])
    return inspection_id


def test_a_backup_is_encrypted_private_and_carries_the_keyring_and_head(tmp_path: Path, clock: Clock) -> None:
    ctx = _protected(tmp_path / "data", clock)
    made = backup.create_backup(ctx)
    assert made.kind == backup.MANUAL and made.has_keyring
    assert made.db_file.read_bytes()[:16] != SQLITE_HEADER
    assert made.name == "fieldkit-20260302-100000-manual"  # Beijing time of the clock
    folder = made.db_file.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in made.files():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert made.keyring_file.read_bytes() == (ctx.data_dir / "keys" / "keyring.json").read_bytes()
    assert json.loads(made.head_file.read_text())["seq"] >= 1
    assert [p.name for p in folder.iterdir() if p.name.startswith(".work-")] == []
    again = backup.create_backup(ctx)  # same second: a second name, not an overwrite
    assert again.name == made.name + "-2"
    assert [b.name for b in backup.list_backups(ctx.data_dir)] == [again.name, made.name]
    assert backup.find_backup(ctx.data_dir, "2") == made
    assert backup.find_backup(ctx.data_dir, made.db_file.name) == made
    with pytest.raises(backup.BackupError, match="序号 3 不存在"):
        backup.find_backup(ctx.data_dir, "3")


def test_a_provisional_keyring_is_never_copied(ctx: Context) -> None:
    # Before the first password the keyring holds the data key in the clear; a copy of it would
    # open this backup and every later one after the password is set.
    made = backup.create_backup(ctx)
    assert not made.has_keyring
    assert not any(b"provisional" in p.read_bytes() for p in made.db_file.parent.iterdir())


def test_the_daily_snapshot_is_made_once_a_day(tmp_path: Path, clock: Clock) -> None:
    ctx = _protected(tmp_path / "data", clock)
    assert backup.daily_due(ctx)
    first = backup.make_daily_if_due(ctx)
    assert first is not None and first.kind == backup.DAILY
    assert not backup.daily_due(ctx) and backup.make_daily_if_due(ctx) is None
    clock.advance(hours=13)  # 23:00 Beijing: still the same day
    assert backup.make_daily_if_due(ctx) is None
    clock.advance(hours=2)  # past midnight in Beijing
    second = backup.make_daily_if_due(ctx)
    assert second is not None and second.taken_at.date() == dt.date(2026, 3, 3)
    thread = None
    clock.advance(days=1)
    thread = backup.start_daily_in_background(ctx)
    assert thread is not None
    thread.join(10)
    assert len([b for b in backup.list_backups(ctx.data_dir) if b.kind == backup.DAILY]) == 3
    assert backup.start_daily_in_background(ctx) is None


def test_rotation_keeps_seven_days_four_weeks_and_the_last_of_each_other_kind(
    tmp_path: Path, clock: Clock
) -> None:
    ctx = _protected(tmp_path / "data", clock)
    start = clock.now
    for day in range(60):
        clock.now = start + dt.timedelta(days=day)
        assert backup.make_daily_if_due(ctx) is not None
    for _ in range(12):
        backup.create_backup(ctx, backup.MANUAL)
    for _ in range(5):
        backup.create_backup(ctx, backup.BEFORE_RESTORE)
    foreign = ctx.data_dir / "backups" / "fieldkit-20200101-000000-somebody-else.db"
    foreign.write_bytes(b"x")
    backup.rotate(ctx.data_dir)
    kept = backup.list_backups(ctx.data_dir)
    daily = sorted(b.taken_at.date() for b in kept if b.kind == backup.DAILY)
    last = (start + dt.timedelta(days=59)).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert daily[-7:] == [last - dt.timedelta(days=n) for n in range(6, -1, -1)]
    weekly = daily[:-7]
    assert len(weekly) == 4
    weeks = [d.isocalendar()[:2] for d in weekly]
    assert len(set(weeks)) == 4 and all(d < last - dt.timedelta(days=6) for d in weekly)
    # the newest of each kept week: the day before it is not in the week or not kept
    assert all(d.isoweekday() == 7 or d + dt.timedelta(days=1) >= last - dt.timedelta(days=6) for d in weekly)
    assert len([b for b in kept if b.kind == backup.MANUAL]) == 10
    assert len([b for b in kept if b.kind == backup.BEFORE_RESTORE]) == 3
    assert foreign.exists()
    names = {p.name for p in (ctx.data_dir / "backups").iterdir()}
    for b in kept:  # sidecars go with their backup, none is left behind
        names -= {p.name for p in b.files()}
    assert names == set()


def _serial(number: str | None) -> int:
    found = re.search(r"(\d+)号$", number or "")
    assert found, number
    return int(found.group(1))


def test_a_restore_brings_back_a_working_verifiable_store(tmp_path: Path, clock: Clock) -> None:
    ctx = _protected(tmp_path / "data", clock)
    _subject(ctx, "临沂市老字号食品有限公司")
    inspection_id = _with_evidence(ctx, tmp_path, "red")
    documents.print_document(ctx, rectification(ctx, inspection_id), accept_warnings=True)  # type: ignore[arg-type]
    kept = backup.create_backup(ctx)

    clock.advance(hours=1)
    _subject(ctx, "临沂市后来商贸有限公司")
    later = _with_evidence(ctx, tmp_path, "blue")
    documents.print_document(ctx, rectification(ctx, later), accept_warnings=True)  # type: ignore[arg-type]
    zhang = access.officer_id_by_cert(ctx, TEST_OFFICERS[0].cert_no)
    access.set_password(ctx, zhang, "changed-after-backup")
    assert _has(ctx, "临沂市后来商贸有限公司")

    result = backup.restore_backup(ctx, kept.name)
    restored = result.ctx
    assert result.restored == kept and result.keyring_restored
    assert len(result.lost_numbers) == 1  # the 责令改正通知书 printed after the backup
    assert _has(restored, "临沂市老字号食品有限公司") and not _has(restored, "临沂市后来商贸有限公司")
    report = integrity.verify_audit(restored)
    assert report.ok, report.problems
    assert evidence.verify_files(restored) == []
    with restored.sessions() as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).one()
    assert (last.action, last.actor, last.detail["backup"]) == ("restore", "张建国", kept.name)
    assert last.detail["saved_as"] == result.saved_as.name
    # the number printed after the backup is on paper: the next 责令改正通知书 gets the one after it
    reprinted = documents.print_document(
        restored, rectification(restored, inspection_id), accept_warnings=True
    )  # type: ignore[arg-type]
    assert reprinted.number not in result.lost_numbers
    assert _serial(reprinted.number) == _serial(result.lost_numbers[0]) + 1
    # work goes on in the restored store, and the keyring is the backup's: the old password opens it
    _subject(restored, "临沂市恢复之后有限公司")
    restored.sessions.kw["bind"].dispose()
    again = open_context(ctx.data_dir, clock=clock, credentials=ZHANG)
    assert _has(again, "临沂市恢复之后有限公司")
    assert integrity.verify_audit(again).ok

    # a crash now does not sweep the evidence stored after the backup: the store saved before the
    # restore still needs it
    housekeeping.clean_at_start(again, crashed=True, orphan_age=0)
    # and the store as it was before the restore is a backup that can be restored in turn
    undo = backup.restore_backup(again, result.saved_as.name)
    assert _has(undo.ctx, "临沂市后来商贸有限公司")
    assert integrity.verify_audit(undo.ctx).ok and evidence.verify_files(undo.ctx) == []
    undo.ctx.sessions.kw["bind"].dispose()
    with pytest.raises(WrongPassword):  # the keyring came back with it
        open_context(ctx.data_dir, clock=clock, credentials=ZHANG)
    open_context(
        ctx.data_dir, clock=clock, credentials=access.PasswordLogin("张建国", "changed-after-backup")
    ).sessions.kw["bind"].dispose()


def test_a_restore_of_a_backup_without_keyring_keeps_the_laptops(tmp_path: Path, clock: Clock) -> None:
    ctx = open_context(tmp_path / "data", clock=clock)
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    early = backup.create_backup(ctx)  # provisional: no keyring copy
    access.set_password(ctx, access.officer_id_by_cert(ctx, TEST_OFFICERS[0].cert_no), TEST_PASSWORD)
    result = backup.restore_backup(ctx, early.name)
    assert not result.keyring_restored
    result.ctx.sessions.kw["bind"].dispose()
    assert access.is_protected(ctx.data_dir)
    again = open_context(ctx.data_dir, clock=clock, credentials=ZHANG)
    assert integrity.verify_audit(again).ok


def test_a_restore_is_refused_while_a_fieldkit_window_has_the_data_dir(tmp_path: Path, clock: Clock) -> None:
    from fieldkit.ui.app import acquire_instance_lock

    ctx = _protected(tmp_path / "data", clock)
    _subject(ctx, "临沂市老字号食品有限公司")
    kept = backup.create_backup(ctx)
    window = acquire_instance_lock(ctx.data_dir)
    assert window is not None
    with pytest.raises(backup.Busy, match="另一个 FieldKit 窗口"):
        backup.restore_backup(ctx, kept.name)
    assert _has(ctx, "临沂市老字号食品有限公司")  # nothing changed
    assert len(backup.list_backups(ctx.data_dir)) == 1
    window.unlock()
    result = backup.restore_backup(ctx, kept.name)
    assert not (ctx.data_dir / backup.INSTANCE_LOCK).exists()
    lock = acquire_instance_lock(ctx.data_dir)  # the window can start again
    assert lock is not None
    lock.unlock()
    result.ctx.sessions.kw["bind"].dispose()


def test_a_restore_refuses_a_foreign_or_damaged_backup_and_an_officer(tmp_path: Path, clock: Clock) -> None:
    ctx = _protected(tmp_path / "data", clock)
    other = _protected(tmp_path / "other", clock)
    theirs = backup.create_backup(other)
    folder = ctx.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    (folder / theirs.db_file.name).write_bytes(theirs.db_file.read_bytes())
    with pytest.raises(backup.BackupError, match="无法用本机数据密钥打开"):
        backup.restore_backup(ctx, theirs.name)
    for path in theirs.files():
        (folder / path.name).write_bytes(path.read_bytes())
    with pytest.raises(backup.BackupError, match="不是本机数据的备份"):
        backup.restore_backup(ctx, theirs.name)
    mine = backup.create_backup(ctx)
    data = bytearray(mine.db_file.read_bytes())
    data[5000:5100] = bytes(100)
    mine.db_file.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError):
        backup.restore_backup(ctx, mine.name)
    li = access.officer_id_by_cert(ctx, TEST_OFFICERS[1].cert_no)
    access.set_password(ctx, li, "li-xiaomei-1")
    li_ctx = open_context(
        ctx.data_dir, clock=clock, credentials=access.PasswordLogin("李晓梅", "li-xiaomei-1")
    )
    with pytest.raises(access.NotAllowed):
        backup.restore_backup(li_ctx, "1")
    assert integrity.verify_audit(ctx).ok  # nothing was touched


def test_what_a_killed_backup_left_is_removed_by_the_next(tmp_path: Path, clock: Clock) -> None:
    ctx = _protected(tmp_path / "data", clock)
    left = ctx.data_dir / "backups" / ".work-deadbeef0000"
    left.mkdir(parents=True)
    (left / ".lock").write_bytes(b"")
    (left / "fieldkit-x-daily.db").write_bytes(b"half")
    backup.create_backup(ctx)
    assert not left.exists()
