"""The `fieldkit` command: setup, demo, import exit codes, search and listing, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit import __version__
from fieldkit.cli import main
from tests import rawdb

SETUP = [
    "setup",
    "--agency",
    "临沂市兰山区市场监督管理局",
    "--short",
    "兰",
    "--government",
    "临沂市兰山区人民政府",
    "--officer",
    "张建国:37130219001",
    "--officer",
    "李晓梅：37130219002",
    "--device-code",
    "a1",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_in_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"FieldKit {__version__}"


def test_setup_then_demo_then_listing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    code, out, _ = run(capsys, "--data-dir", data, *SETUP)
    assert code == 0 and "本机编号 A1" in out
    code, out, _ = run(capsys, "--data-dir", data, "demo", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["subjects"] >= 50 and summary["inspections"] >= 20 and summary["drafts"] >= 1
    code, out, _ = run(capsys, "--data-dir", data, "docs", "list", "--json")
    docs = json.loads(out)
    assert {d["form"] for d in docs} >= {
        f["id"] for f in json.loads(run(capsys, "forms", "list", "--json")[1])
    }
    assert any(d["status"] == "final" for d in docs) and any(d["status"] == "draft" for d in docs)
    code, out, _ = run(capsys, "--data-dir", data, "inspections", "list", "--json")
    listed = json.loads(out)
    assert len(listed) == summary["inspections"]
    assert {i["status"] for i in listed} == {"draft", "completed"}
    assert len({i["outcome"] for i in listed if i["outcome"]}) == 5
    code, out, _ = run(capsys, "--data-dir", data, "subjects", "search", "超市", "--json")
    found = json.loads(out)
    assert code == 0 and found and all("超市" in s["name"] for s in found)


def test_setup_refuses_a_single_officer_naming_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *SETUP[:9], "--device-code", "A1")
    assert code == 1 and "至少登记两名" in err


def test_setup_usage_error_for_a_malformed_officer(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *SETUP[:8], "张建国", "--officer", "李:2", "--device-code", "A1")
    assert code == 2 and "姓名:执法证号" in err


def test_rerunning_setup_lists_the_changes_and_needs_yes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "d")
    assert run(capsys, "--data-dir", data, *SETUP)[0] == 0
    code, out, _ = run(capsys, "--data-dir", data, *SETUP)
    assert code == 0 and "设置没有变化" in out
    changed = [*SETUP[:-1], "A2"]
    code, out, err = run(capsys, "--data-dir", data, *changed)  # stdin is no terminal under pytest
    assert code == 1 and "本机编号：「A1」→「A2」" in out and "--yes" in err
    code, out, err = run(capsys, "--data-dir", data, *changed, "--yes")
    assert code == 0 and "本机编号：「A1」→「A2」" in out and "本机编号 A2" in out


def test_setup_refuses_a_new_device_code_once_numbers_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "d")
    assert run(capsys, "--data-dir", data, *SETUP)[0] == 0
    assert run(capsys, "--data-dir", data, "demo")[0] == 0  # prints numbered documents
    changed = [*SETUP[:-1], "A2"]
    code, out, err = run(capsys, "--data-dir", data, *changed, "--yes")
    assert code == 1 and "本机已开具" in err and "--new-series" in err and out == ""
    code, out, err = run(capsys, "--data-dir", data, *changed, "--yes", "--new-series")
    assert code == 0 and "开始新的文号序列" in out and "本机编号 A2" in out


def test_import_exit_codes_and_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "主体名称,统一社会信用代码,法定代表人\n甲公司,91110000101623741K,王喆\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "subjects", "import", str(good), "--json")
    assert code == 0
    assert json.loads(out) == {
        "accepted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
        "warnings": [],
        "held": [],
    }
    partial = tmp_path / "partial.csv"
    partial.write_text("名称,统一社会信用代码\n乙公司,911101066976941872\n丙公司,123\n", encoding="utf-8")
    code, out, _ = run(capsys, "subjects", "import", str(partial), "--json", "--dry-run")
    report = json.loads(out)
    assert code == 3 and report["accepted"] == 1
    assert report["rejected"][0]["row"] == 3 and report["rejected"][0]["field"] == "统一社会信用代码"
    code, out, _ = run(capsys, "subjects", "search", "", "--json")
    assert [s["name"] for s in json.loads(out)] == ["甲公司"]  # dry run kept nothing
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    code, out, err = run(capsys, "subjects", "import", str(bad))
    assert code == 2 and err.count("\n") == 1 and "Excel" in err and "Traceback" not in err


def test_import_keeps_a_failing_check_character_only_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 10.4: the CLI decides like the GUI — held back (exit 3) until --accept-warnings."""
    path = tmp_path / "名录.csv"
    path.write_text(
        "名称,统一社会信用代码,地址\n甲公司,91110000101623741K,甲路1号\n乙公司,91350211M0000XUF46,乙路2号\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "subjects", "import", str(path))
    assert code == 3 and "新增 1 户" in out and "待确认未导入 1 行" in out and "--accept-warnings" in out
    assert "  待确认 第 3 行 统一社会信用代码：校验位应为“R”" in out
    assert "统一社会信用代码：统一社会信用代码" not in out
    assert [s["name"] for s in json.loads(run(capsys, "subjects", "search", "--json")[1])] == ["甲公司"]
    code, out, _ = run(capsys, "subjects", "import", str(path), "--accept-warnings", "--json")
    report = json.loads(out)
    assert code == 0 and (report["accepted"], report["unchanged"], report["held"]) == (1, 1, [])
    assert report["warnings"][0]["field"] == "统一社会信用代码"
    # The corrected list updates 乙公司 (same name and address) instead of adding a second one.
    path.write_text("名称,统一社会信用代码,地址\n乙公司,91350211M0000XUF4R,乙路2号\n", encoding="utf-8")
    code, out, _ = run(capsys, "subjects", "import", str(path), "--json")
    assert code == 0 and (json.loads(out)["accepted"], json.loads(out)["updated"]) == (0, 1)
    names = [s["name"] for s in json.loads(run(capsys, "subjects", "search", "--json")[1])]
    assert sorted(names) == ["乙公司", "甲公司"]


def test_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "subjects")
    assert code == 2 and "子命令" in err


def test_evidence_audit_and_due_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:

    from PIL import Image

    data = str(tmp_path / "d")
    run(capsys, "--data-dir", data, "demo")
    code, out, _ = run(capsys, "--data-dir", data, "inspections", "list", "--json")
    # One without evidence yet (the newest demo visits already have some).
    inspection = next(
        i["id"]
        for i in json.loads(out)
        if json.loads(run(capsys, "--data-dir", data, "evidence", "list", i["id"], "--json")[1]) == []
    )
    card = tmp_path / "DCIM"
    card.mkdir()
    for i, colour in enumerate(("red", "green", "blue")):
        Image.new("RGB", (320, 240), colour).save(card / f"IMG_{i}.JPG")
    code, out, err = run(capsys, "--data-dir", data, "evidence", "add", inspection, str(card), "--json")
    assert code == 0 and json.loads(out)["added"] == 3 and "100%" in err
    code, out, _ = run(capsys, "--data-dir", data, "evidence", "list", inspection, "--json")
    [item] = json.loads(out)
    assert item["draft"]["kind"] == "audiovisual" and len(item["files"]) == 3  # --json says the code
    assert run(capsys, "--data-dir", data, "evidence", "verify", "--json")[0] == 0
    code, out, _ = run(capsys, "--data-dir", data, "due", "--json")
    due = json.loads(out)
    assert (
        code == 0 and due == sorted(due, key=lambda d: (d["due"], d["kind"])) and all(d["basis"] for d in due)
    )
    assert run(capsys, "--data-dir", data, "audit", "verify")[0] == 0
    with rawdb.connect(Path(data) / "fieldkit.db") as conn:
        conn.execute("UPDATE audit_log SET actor = '某人' WHERE seq = 7")
    code, out, _ = run(capsys, "--data-dir", data, "audit", "verify", "--json")
    assert code == 1 and json.loads(out)["broken"]["seq"] == 7
    stored = next((Path(data) / "evidence").rglob(item["files"][0]["sha256"]))
    stored.chmod(0o644)
    stored.write_bytes(b"changed")
    code, out, _ = run(capsys, "--data-dir", data, "evidence", "verify", "--json")
    assert code == 1 and json.loads(out)["problems"][0]["sha256"] == item["files"][0]["sha256"]


def test_laptop_to_office_through_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import shutil
    import zipfile

    laptop, office, usb = str(tmp_path / "laptop"), str(tmp_path / "office"), tmp_path / "usb"
    run(capsys, "--data-dir", laptop, "demo")
    code, pem, _ = run(capsys, "--data-dir", laptop, "device", "pubkey")
    assert code == 0 and pem.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "a1.pem").write_text(pem)
    code, out, _ = run(capsys, "--data-dir", laptop, "export", "-o", str(usb), "--json")
    bundle = Path(json.loads(out)["path"])
    assert code == 0 and bundle.is_file()
    code, out, _ = run(capsys, "--data-dir", laptop, "export", "-o", str(usb))
    assert code == 0 and "没有新的" in out and len(list(usb.iterdir())) == 1

    run(capsys, "--data-dir", office, *SETUP[:-1], "OF")
    code, out, err = run(capsys, "--data-dir", office, "bundle", "verify", str(bundle), "--json")
    assert code == 1 and not json.loads(out)["ok"]  # unknown device
    assert (
        run(capsys, "--data-dir", office, "office", "trust-device", str(tmp_path / "a1.pem"), "--name", "A1")[
            0
        ]
        == 0
    )
    code, out, _ = run(capsys, "--data-dir", office, "bundle", "verify", str(bundle), "--json")
    assert code == 0 and json.loads(out)["device_trusted"]
    code, out, _ = run(capsys, "--data-dir", office, "bundle", "import", str(bundle), "--json")
    assert code == 0 and json.loads(out)["inserted"] > 80
    code, out, _ = run(capsys, "--data-dir", office, "bundle", "import", str(bundle), "--json")
    assert json.loads(out)["already_imported"]
    code, out, _ = run(capsys, "--data-dir", office, "inspections", "list", "--json")
    assert len(json.loads(out)) == 26

    bad = tmp_path / "bad.fkb"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run(capsys, "--data-dir", office, "bundle", "import", str(bad))
    assert code == 1 and "拒收" in err
    assert run(capsys, "--data-dir", office, "bundle", "import", str(tmp_path / "nope.fkb"))[0] == 2

    # Anyone can check it with standard tools.
    if shutil.which("openssl") and shutil.which("sha256sum"):
        unpacked = tmp_path / "x"
        with zipfile.ZipFile(bundle) as z:
            z.extractall(unpacked)
        subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=unpacked, check=True)
        subprocess.run(
            [
                "openssl",
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                str(tmp_path / "a1.pem"),
                "-rawin",
                "-in",
                "manifest.json",
                "-sigfile",
                "manifest.sig",
            ],
            cwd=unpacked,
            check=True,
            capture_output=True,
        )


def test_setup_takes_level_and_cap_by_label_and_stores_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:

    data = tmp_path / "d"
    extra = ["--level", "设区的市级", "--individual-cap", "法人或者其他组织"]
    code, out, _ = run(capsys, "--data-dir", str(data), *SETUP, *extra)
    assert code == 0 and "机关层级：设区的市级；" in out and "city" not in out
    with rawdb.connect(data / "fieldkit.db") as conn:
        stored = conn.execute("SELECT level, individual_cap FROM agency").fetchall()
    assert stored == [("city", "organisation")]
    with pytest.raises(SystemExit):
        main(["--data-dir", str(data), *SETUP, "--level", "市级"])
    assert "--level" in capsys.readouterr().err
