"""The command line takes a kind by its label or its code, says the label, and --json gives the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit.cli import main
from fieldkit.services.context import Context
from fieldkit.services.inspections import new_inspection


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_evidence_kind_by_label_or_code(
    capsys: pytest.CaptureFixture[str], set_up_ctx: Context, tmp_path: Path
) -> None:
    inspection = str(new_inspection(set_up_ctx))
    data = str(set_up_ctx.data_dir)
    for i, kind in enumerate(("书证", "physical")):
        scan = tmp_path / f"scan{i}.pdf"
        scan.write_bytes(f"%PDF-1.4 scan {i}".encode())
        code, out, _ = run(
            capsys, "--data-dir", data, "evidence", "add", inspection, str(scan), "--kind", kind
        )
        assert code == 0 and ("（书证）" if i == 0 else "（物证）") in out
    code, out, _ = run(capsys, "--data-dir", data, "evidence", "list", inspection)
    assert "（书证，1 个文件" in out and "（物证，1 个文件" in out
    code, out, _ = run(capsys, "--data-dir", data, "evidence", "list", inspection, "--json")
    assert [item["draft"]["kind"] for item in json.loads(out)] == ["documentary", "physical"]
