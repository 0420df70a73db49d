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
