"""Corrections by script (issue 9 item 1): `docs correct` refuses substantive content and changes nothing;
a 笔误 prints under the same number with its 更正说明; `docs reissue` gives a new number and voids the old."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_docs_cli import _docs, data, demo_store, run  # noqa: F401


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(done.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_correct_and_reissue_by_script(capsys: pytest.CaptureFixture[str], data: str) -> None:  # noqa: F811
    # the demo prints two 清单 (its 先行登记保存 and its 扣押): take either
    listed = next(d for d in _docs(capsys, data) if d["form"] == "caiwu_qingdan" and d["status"] == "final")
    doc, number = listed["id"], listed["number"]
    folder = Path(data).parent
    (folder / "party.json").write_text(json.dumps({"party_name": "另一家公司"}, ensure_ascii=False), "utf-8")
    (folder / "place.json").write_text(json.dumps({"place": "山东省临沂市兰山区中山路2号后院仓库"}), "utf-8")

    code, _, err = run(
        capsys, "--data-dir", data, "docs", "correct", doc[:8], "--data", str(folder / "party.json")
    )
    assert code == 3 and "当事人：属于实质内容" in err and "重新作出" in err
    assert {d["id"]: d["status"] for d in _docs(capsys, data)}[doc] == "final"  # nothing changed

    code, _, _ = run(
        capsys, "--data-dir", data, "docs", "correct", doc[:8], "--data", str(folder / "place.json")
    )
    assert code == 0
    out_pdf = folder / "v2.pdf"
    code, out, _ = run(
        capsys, "--data-dir", data, "print", doc[:8], "-o", str(out_pdf), "--reason", "仓库位置漏写"
    )
    assert code == 0 and "已打印更正版本" in out and number in out
    text = pdf_text(out_pdf)
    assert "更正说明" in text and "中山路2号后院仓库" in text and "仓库位置漏写" in text

    code, out, _ = run(
        capsys, "--data-dir", data, "docs", "reissue", doc[:8], "--data", str(folder / "party.json")
    )
    new = out.strip()
    assert code == 0 and new != doc
    new_pdf = folder / "new.pdf"
    code, out, _ = run(
        capsys, "--data-dir", data, "print", new[:8], "-o", str(new_pdf), "--reason", "当事人认定错误"
    )
    assert code == 0 and "已重新作出" in out
    after = {d["id"]: d for d in _docs(capsys, data)}
    assert after[doc]["status"] == "void" and after[new]["status"] == "final"
    assert after[new]["number"] not in (None, number) and number in pdf_text(new_pdf)
