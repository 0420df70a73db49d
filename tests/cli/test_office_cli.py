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
    data, first = _laptop(capsys, tmp_path, "a", "A1")
    _, twin = _laptop(capsys, tmp_path, "b", "A1")
    code, out, _ = run(capsys, "--data-dir", data, "device", "pubkey", "--json")
    assert code == 0 and json.loads(out)["device_code"] == "A1"  # what the office registers with --code
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


def _export(capsys: pytest.CaptureFixture[str], data: str, usb: Path, *extra: str) -> Path:
    run(capsys, "--data-dir", data, "demo")
    code, out, err = run(capsys, "--data-dir", data, "export", "-o", str(usb), "--json", *extra)
    assert code == 0, err
    return Path(json.loads(out)["path"])


def test_an_untrusted_laptop_is_registered_on_the_spot_only_with_its_fingerprint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from fieldkit.bundle import keys

    office = str(tmp_path / "office")
    run(capsys, "--data-dir", office, *SETUP[:-1], "OF")
    laptop, pem = _laptop(capsys, tmp_path, "a", "A1")
    bundle = _export(capsys, laptop, tmp_path / "usb")
    fp = keys.fingerprint(keys.load_device_public_key(pem.read_text()))
    code, _, err = run(capsys, "--data-dir", office, "bundle", "import", str(bundle))
    assert code == 1 and "本机编号：A1" in err and keys.format_fingerprint(fp) in err
    assert "--trust-fingerprint" in err  # not at a terminal: says how to confirm, imports nothing
    code, _, err = run(
        capsys, "--data-dir", office, "bundle", "import", str(bundle), "--trust-fingerprint", "00" * 32
    )
    assert code == 1 and "指纹不一致" in err
    code, out, err = run(
        capsys,
        "--data-dir",
        office,
        "bundle",
        "import",
        str(bundle),
        "--trust-fingerprint",
        keys.format_fingerprint(fp),
    )
    assert code == 0 and "已登记受信任设备" in err and "已导入：新增" in out
    code, out, _ = run(capsys, "--data-dir", office, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["ok"]


def test_verify_counts_what_import_then_does_in_local_time_and_decrypts_with_the_office_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    office = str(tmp_path / "office")
    run(capsys, "--data-dir", office, *SETUP[:-1], "OF")
    run(capsys, "--data-dir", office, "office", "keygen", "-o", str(tmp_path / "office.pub"))
    laptop, pem = _laptop(capsys, tmp_path, "a", "A1")
    run(capsys, "--data-dir", office, "office", "trust-device", str(pem), "--name", "一号", "--code", "A1")
    sealed = _export(capsys, laptop, tmp_path / "usb", "--encrypt-to", str(tmp_path / "office.pub"))
    assert sealed.name.endswith(".enc")
    code, out, err = run(capsys, "--data-dir", office, "bundle", "verify", str(sealed))
    assert code == 0, err
    assert "（北京时间）导出" in out and "+00:00" not in out
    promised = out.splitlines()[-1].removeprefix("导入将：")
    code, out, err = run(capsys, "--data-dir", office, "bundle", "import", str(sealed))
    assert code == 0, err
    assert out.splitlines()[0] == "已导入：" + promised
