"""`fieldkit blank FORM`: a blank copy names the agency and its 复议机关 once the laptop is set up."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fieldkit.cli import main
from tests.cli.test_cli import SETUP


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return "".join(done.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_blank_copy_carries_the_agency_and_the_review_body(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "d")
    out = tmp_path / "blank.pdf"
    # not set up yet: an all-blank copy, and no store is created for it
    assert main(["--data-dir", data, "blank", "zeling_gaizheng", "-o", str(out)]) == 0
    assert not (tmp_path / "d" / "fieldkit.db").exists()
    assert "临沂市兰山区人民政府" not in pdf_text(out)
    assert main(["--data-dir", data, *SETUP]) == 0
    assert main(["--data-dir", data, "blank", "zeling_gaizheng", "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "临沂市兰山区市场监督管理局" in text and "六十日内向临沂市兰山区人民政府申请行政复议" in text
    assert "已生成空白" in capsys.readouterr().out
    # an explicit --agency still wins for the name on top
    assert (
        main(["--data-dir", data, "blank", "fengtiao", "-o", str(out), "--agency", "某某市市场监督管理局"])
        == 0
    )
    assert pdf_text(out).count("某某市市场监督管理局") == 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_numbered_blanks_are_issued_listed_used_and_voided(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """编有号码的空白当场处罚决定书 (行政处罚法第五十二条): numbers from this device's series, on record."""
    data = str(tmp_path / "d")
    out = tmp_path / "blanks.pdf"
    assert main(["--data-dir", data, *SETUP]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "blank", "dangchang_chufa", "-o", str(out), "--numbered", "3"]) == 0
    said = capsys.readouterr().out
    assert "已发放编号空白 当场行政处罚决定书 3 份" in said
    text = pdf_text(out)
    first, last = "〔2026〕A1-1号", "〔2026〕A1-3号"
    assert first in said and last in said and first in text and last in text
    assert main(["--data-dir", data, "blanks", "use", "A1-1"]) == 0
    assert main(["--data-dir", data, "blanks", "void", "A1-2", "--reason", "填写错误，已撕毁"]) == 0
    assert main(["--data-dir", data, "blanks", "void", "A1-9", "--reason", "无"]) != 0
    capsys.readouterr()
    assert main(["--data-dir", data, "blanks", "list"]) == 0
    listed = capsys.readouterr().out
    assert "共 3 份：已发放未使用 1 份，已使用 1 份，已作废 1 份" in listed
    assert "填写错误，已撕毁" in listed


def test_no_unnumbered_blank_of_a_decision_that_must_be_numbered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """行政处罚法第五十二条: the 当场行政处罚决定书 is 编有号码. A blank with "＿市监当罚〔＿〕＿号" to fill in by
    hand would carry a number on no ledger, free to collide with the device's series: refused (exit 3),
    nothing written, the way to numbered blanks named."""
    data = str(tmp_path / "d")
    out = tmp_path / "blank.pdf"
    assert main(["--data-dir", data, *SETUP]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "blank", "当场行政处罚决定书", "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "编有号码" in err and "第五十二条" in err and "--numbered" in err
    assert not out.exists()
    assert main(["--data-dir", data, "blank", "dangchang_chufa", "-o", str(out), "--numbered", "1"]) == 0
    assert out.exists()
