"""The office side of the command line: registering laptops with their 本机编号, importing bundles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import SETUP, run


def _laptop(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, code: str) -> tuple[str, Path]:
    data = str(tmp_path / name)
    run(capsys, "--data-dir", data, *SETUP[:-1], code)
    _, pem, _ = run(capsys, "--data-dir", data, "device", "pubkey")
    (tmp_path / f"{name}.pem").write_text(pem)
    return data, tmp_path / f"{name}.pem"


def test_a_second_laptop_with_a_code_in_use_is_not_trusted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    office = str(tmp_path / "office")
    run(capsys, "--data-dir", office, *SETUP[:-1], "OF")
    _, first = _laptop(capsys, tmp_path, "a", "A1")
    _, twin = _laptop(capsys, tmp_path, "b", "A1")
    code, out, _ = run(
        capsys,
        "--data-dir",
        office,
        "office",
        "trust-device",
        str(first),
        "--name",
        "一号",
        "--code",
        "A1",
        "--json",
    )
    assert code == 0 and json.loads(out)["fingerprint"]
    code, _, err = run(
        capsys, "--data-dir", office, "office", "trust-device", str(twin), "--name", "二号", "--code", "A1"
    )
    assert code == 1 and "本机编号：A1 已登记给受信任的电脑「一号」" in err
