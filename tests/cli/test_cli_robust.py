"""Issue 11.4: no traceback reaches the officer from the command line; each problem is one Chinese line."""

from __future__ import annotations

import os
import signal
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.errors import environment_problem
from fieldkit.services import evidence
from fieldkit.services.context import open_context
from tests import rawdb
from tests.cli.test_cli import SETUP, run
from tests.services.test_documents import make_inspection


@pytest.fixture
def data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, str]:
    data = str(tmp_path / "d")
    assert run(capsys, "--data-dir", data, *SETUP)[0] == 0
    inspection = make_inspection(open_context(Path(data)))
    return data, str(inspection)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the command waits for more than 20 s."""

    def expired(*_: object) -> None:
        raise TimeoutError("the command hung")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_to_evidence_add_is_refused_not_waited_on(
    capsys: pytest.CaptureFixture[str], data: tuple[str, str], tmp_path: Path, deadline: None
) -> None:
    data_dir, inspection = data
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    code, _out, err = run(capsys, "--data-dir", data_dir, "evidence", "add", inspection, str(fifo))
    assert code == 1 and "不是普通文件" in err and "Traceback" not in err
    assert evidence.list_evidence(open_context(Path(data_dir)), uuid.UUID(inspection)) == []  # no empty item


def test_a_device_file_given_to_evidence_add_is_refused(
    capsys: pytest.CaptureFixture[str], data: tuple[str, str], deadline: None
) -> None:
    data_dir, inspection = data
    code, _out, err = run(capsys, "--data-dir", data_dir, "evidence", "add", inspection, "/dev/zero")
    assert code == 1 and "不是普通文件" in err


def test_a_locked_database_is_a_sentence_not_a_traceback(
    capsys: pytest.CaptureFixture[str], data: tuple[str, str], tmp_path: Path, deadline: None
) -> None:
    data_dir, inspection = data
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    other = rawdb.connect(Path(data_dir) / "fieldkit.db", timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another FieldKit in the middle of a long import
    try:
        code, _out, err = run(capsys, "--data-dir", data_dir, "evidence", "add", inspection, str(photo))
    finally:
        other.rollback()
        other.close()
    assert code == 1 and "占用" in err and "Traceback" not in err and "locked" not in err


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (OSError(28, "No space left on device", "/data/x"), "磁盘空间已满"),
        (OSError(30, "Read-only file system"), "只读"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "只读"),
        (sqlite3.OperationalError("database or disk is full"), "磁盘空间已满"),
        (sqlite3.OperationalError("database is locked"), "占用"),
    ],
)
def test_machine_failures_are_named_in_chinese(exc: BaseException, words: str) -> None:
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = exc
    assert words in (environment_problem(exc) or "") and words in (environment_problem(wrapped) or "")
    assert environment_problem(ValueError("a bug")) is None


def test_the_next_command_removes_and_names_what_a_killed_one_left(
    capsys: pytest.CaptureFixture[str], data: tuple[str, str]
) -> None:
    data_dir, _inspection = data
    tmp = Path(data_dir) / "evidence" / ".tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    half = tmp / "add-killed.part"
    half.write_bytes(b"\0" * 4096)  # half of a video a killed `evidence add` was copying
    os.utime(half, (0, 0))
    code, _out, err = run(capsys, "--data-dir", data_dir, "inspections", "list")
    assert code == 0 and "已清理上次中断留下的" in err and "临时文件" in err
    assert not half.exists()
