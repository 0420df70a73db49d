"""Scripted checks (issue 9 item 12): `docs new`, `docs check --json`, `print` exit codes, id prefixes."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest

from fieldkit.cli import main
from fieldkit.services.context import open_context
from fieldkit.services.documents import load_document
from tests import rawdb


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo") / "d"
    assert main(["--data-dir", str(data), "demo"]) == 0
    return data


@pytest.fixture
def data(demo_store: Path, tmp_path: Path) -> str:
    """A private copy of the demo store, so one test's drafts never reach another."""
    copy = tmp_path / "d"
    shutil.copytree(demo_store, copy, ignore=shutil.ignore_patterns("*.lock"))
    return str(copy)


def _docs(capsys: pytest.CaptureFixture[str], data: str) -> list[dict[str, str]]:
    code, out, _ = run(capsys, "--data-dir", data, "docs", "list", "--json")
    assert code == 0
    return json.loads(out)


def _clean_values(data: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, object]]:
    """The values of the demo's 现场笔录 (complete: it passes every pre-print check) and its inspection."""
    [record] = [d for d in _docs(capsys, data) if d["form"] == "xianchang_bilu"]
    return record["inspection"], load_document(open_context(Path(data)), uuid.UUID(record["id"])).values


def test_new_check_and_print_a_document_by_script(capsys: pytest.CaptureFixture[str], data: str) -> None:
    inspection, values = _clean_values(data, capsys)
    values_file = Path(data).parent / "values.json"
    values_file.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")

    # By title, the inspection by a prefix of its id: prints the new draft's id and nothing else.
    code, out, err = run(
        capsys,
        "--data-dir",
        data,
        "docs",
        "new",
        "现场笔录",
        "--inspection",
        inspection[:8],
        "--data",
        str(values_file),
    )
    assert code == 0 and err == ""
    doc = str(uuid.UUID(out.strip()))
    listed = {d["id"]: d for d in _docs(capsys, data)}
    assert listed[doc]["status"] == "draft" and listed[doc]["inspection"] == inspection

    code, out, _ = run(capsys, "--data-dir", data, "docs", "check", doc[:6], "--json")
    assert (code, json.loads(out)) == (0, [])

    # A draft with nothing filled in: every problem, each with its field, message, rule and severity.
    code, out, _ = run(capsys, "--data-dir", data, "docs", "new", "zeling_gaizheng", "--json")
    empty = json.loads(out)
    assert code == 0 and empty["form"] == "zeling_gaizheng" and empty["title"] == "责令改正通知书"
    code, out, _ = run(capsys, "--data-dir", data, "docs", "check", empty["id"], "--json")
    problems = json.loads(out)
    assert code == 3 and problems
    assert all(set(p) == {"field", "message", "rule", "severity"} for p in problems)
    assert {p["severity"] for p in problems} <= {"error", "warning"}
    assert {
        "field": "facts",
        "message": "违法行为：必须填写",
        "rule": "form.required",
        "severity": "error",
    } in problems
    assert any(p["rule"] == "preprint.correction.mode" and "第二十八条" in p["message"] for p in problems)

    # print: 3 when the checks refuse (nothing written, still a draft), 0 when printed.
    refused = Path(data).parent / "refused.pdf"
    code, out, err = run(capsys, "--data-dir", data, "print", empty["id"][:8], "-o", str(refused))
    assert code == 3 and "违法行为：必须填写" in err and not refused.exists()
    assert {d["id"]: d["status"] for d in _docs(capsys, data)}[empty["id"]] == "draft"
    printed = Path(data).parent / "printed.pdf"
    code, out, _ = run(capsys, "--data-dir", data, "print", doc[:8], "-o", str(printed))
    assert code == 0 and printed.read_bytes().startswith(b"%PDF") and "已定稿并打印" in out
    assert {d["id"]: d["status"] for d in _docs(capsys, data)}[doc] == "final"


def test_a_seal_strip_for_a_preservation_is_refused_by_check_and_print(
    capsys: pytest.CaptureFixture[str], data: str
) -> None:
    """The demo's 封条 (on its 扣押) passes; the same strip typed for the 先行登记保存 does not: no 封条
    for a hold (程序规定第三十一条、第四十一条), whose 先保 number a 封条 cannot cite either."""
    listed = _docs(capsys, data)
    [seal] = [d for d in listed if d["form"] == "fengtiao"]
    [hold] = [d for d in listed if d["form"] == "xianxing_baocun" and d["status"] == "final"]
    values = load_document(open_context(Path(data)), uuid.UUID(seal["id"])).values
    assert values["measure"] in ("查封", "扣押", "抽样")
    code, out, _ = run(capsys, "--data-dir", data, "docs", "check", seal["id"][:8], "--json")
    assert (code, json.loads(out)) == (0, [])

    values_file = Path(data).parent / "seal.json"
    values_file.write_text(
        json.dumps({**values, "measure": "先行登记保存", "doc_number": hold["number"]}, ensure_ascii=False),
        encoding="utf-8",
    )
    new = ["docs", "new", "封条", "--inspection", seal["inspection"][:8], "--data", str(values_file)]
    code, out, _ = run(capsys, "--data-dir", data, *new)
    assert code == 0
    doc = str(uuid.UUID(out.strip()))
    code, out, _ = run(capsys, "--data-dir", data, "docs", "check", doc[:8], "--json")
    problems = {p["rule"]: p for p in json.loads(out)}
    assert code == 3
    assert problems["preprint.seal.measure"]["severity"] == "error"
    assert "先行登记保存不加贴封条" in problems["preprint.seal.measure"]["message"]
    assert "reference.unknown" in problems  # a 先保 number is not the decision a 封条 cites
    pdf = Path(data).parent / "seal.pdf"
    code, _, err = run(capsys, "--data-dir", data, "print", doc[:8], "-o", str(pdf))
    assert code == 3 and "第四十一条" in err and not pdf.exists()


def test_print_exit_codes_for_bad_input(capsys: pytest.CaptureFixture[str], data: str) -> None:
    out_pdf = str(Path(data).parent / "x.pdf")
    code, _, err = run(capsys, "--data-dir", data, "print", "ffffffff", "-o", out_pdf)
    assert code == 2 and "没有以「ffffffff」开头的文书" in err
    code, _, err = run(capsys, "--data-dir", data, "print", "现场笔录", "-o", out_pdf)
    assert code == 2 and "不是 ID" in err
    doc = _docs(capsys, data)[0]["id"]
    code, _, err = run(capsys, "--data-dir", data, "print", doc, "-o", out_pdf, "--copies", "0")
    assert code == 2 and "份数" in err
    assert "Traceback" not in err


def test_an_ambiguous_prefix_is_refused_not_guessed(capsys: pytest.CaptureFixture[str], data: str) -> None:
    ids = [
        str(uuid.UUID(run(capsys, "--data-dir", data, "docs", "new", "询问通知书")[1].strip()))
        for _ in range(2)
    ]
    twins = ["abcd1234" + "0" * 23 + "1", "abcd1234" + "0" * 23 + "2"]
    with rawdb.connect(Path(data) / "fieldkit.db") as conn:
        for old, new in zip(ids, twins, strict=True):
            conn.execute("UPDATE document SET id = ? WHERE id = ?", (new, old.replace("-", "")))
    code, _, err = run(capsys, "--data-dir", data, "docs", "check", "abcd", "--json")
    assert code == 2 and "同时对应多条文书" in err and "请多输入几位" in err
    code, _, err = run(
        capsys, "--data-dir", data, "print", "abcd-1234", "-o", str(Path(data).parent / "y.pdf")
    )
    assert code == 2 and "多条" in err
    code, out, _ = run(
        capsys, "--data-dir", data, "docs", "check", "ABCD1234-0000-0000-0000-000000000002", "--json"
    )
    assert code == 3 and json.loads(out)  # the whole id (any case, with dashes) names exactly one


def test_new_refuses_bad_data_and_keeps_nothing(capsys: pytest.CaptureFixture[str], data: str) -> None:
    before = len(_docs(capsys, data))
    folder = Path(data).parent
    (folder / "unknown.json").write_text('{"party_name": "甲", "nope": 1}', encoding="utf-8")
    (folder / "list.json").write_text("[1, 2]", encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    for name, expected in [
        ("unknown.json", "责令改正通知书没有字段 nope"),
        ("list.json", "应为一个 JSON 对象"),
        ("broken.json", "不是 UTF-8 的 JSON"),
        ("missing.json", "文件不存在"),
    ]:
        code, out, err = run(capsys, "--data-dir", data, "docs", "new", "责改", "--data", str(folder / name))
        assert (code, out) == (2, "") and expected in err, name
    code, _, err = run(capsys, "--data-dir", data, "docs", "new", "询", "--data", str(folder / "list.json"))
    assert code == 2 and "询问笔录（xunwen_bilu）、询问通知书（xunwen_tongzhi）" in err
    assert len(_docs(capsys, data)) == before


def test_print_of_a_correction_refused_or_short_of_its_reason(
    capsys: pytest.CaptureFixture[str], data: str
) -> None:
    """A 笔误 correction without --reason is bad input (2); one that changes nothing is refused (3)."""
    from fieldkit.catalog import load_formdef
    from fieldkit.services import documents

    ctx = open_context(Path(data))
    final = next(d for d in _docs(capsys, data) if d["status"] == "final" and d["number"])
    doc_id = uuid.UUID(final["id"])
    documents.start_correction(ctx, doc_id)
    out_pdf = str(Path(data).parent / "c.pdf")
    code, _, err = run(
        capsys, "--data-dir", data, "print", final["id"][:8], "-o", out_pdf, "--reason", "笔误"
    )
    assert code == 3 and "没有需要更正的笔误" in err
    formdef = load_formdef(final["form"])
    values = load_document(ctx, doc_id).values
    field = next(
        f
        for f in formdef.fields
        if not f.substantive and f.type == "text" and isinstance(values.get(f.key), str)
    )
    documents.save_values(ctx, doc_id, {**values, field.key: str(values[field.key]) + "（更正）"})
    code, _, err = run(capsys, "--data-dir", data, "print", final["id"][:8], "-o", out_pdf)
    assert code == 2 and "更正理由" in err
    code, out, _ = run(
        capsys, "--data-dir", data, "print", final["id"][:8], "-o", out_pdf, "--reason", "笔误"
    )
    assert code == 0 and "已打印更正版本" in out
