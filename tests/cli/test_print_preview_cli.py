"""`fieldkit print --preview` says what it wrote: a draft's preview, or the stored PDF of a finalised
or voided document (never a "草稿" re-render of a served decision), and no "： →" with an empty number."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.services.context import open_context
from fieldkit.store import audit
from tests.cli.test_docs_cli import _docs, data, demo_store, run  # noqa: F401


def _reprints(folder: str) -> int:
    with open_context(Path(folder)).sessions() as session:
        return session.query(audit.AuditRow).filter(audit.AuditRow.action == "reprint").count()


def test_preview_of_a_finalised_document_is_its_stored_pdf(
    capsys: pytest.CaptureFixture[str],
    data: str,  # noqa: F811
) -> None:
    final = next(d for d in _docs(capsys, data) if d["form"] == "dangchang_chufa" and d["status"] == "final")
    folder = Path(data).parent
    before = _reprints(data)
    code, out, _ = run(
        capsys, "--data-dir", data, "print", final["id"][:8], "--preview", "-o", str(folder / "p.pdf")
    )
    assert code == 0 and "已定稿" in out and final["number"] in out
    assert "草稿" not in out and "未定稿" not in out
    assert _reprints(data) == before  # looking is not a reprint
    code, out, _ = run(capsys, "--data-dir", data, "print", final["id"][:8], "-o", str(folder / "r.pdf"))
    assert code == 0 and "已重印" in out
    assert (folder / "p.pdf").read_bytes() == (folder / "r.pdf").read_bytes()  # the served paper itself


def test_unnumbered_documents_print_no_empty_number(
    capsys: pytest.CaptureFixture[str],
    data: str,  # noqa: F811
) -> None:
    listed = _docs(capsys, data)
    draft = next(d for d in listed if d["status"] == "draft" and not d["number"])
    record = next(d for d in listed if d["status"] == "final" and not d["number"])
    out_pdf = str(Path(data).parent / "x.pdf")
    code, out, _ = run(capsys, "--data-dir", data, "print", draft["id"][:8], "--preview", "-o", out_pdf)
    assert code == 0 and "已生成预览（草稿" in out and "： →" not in out and "：→" not in out
    code, out, _ = run(capsys, "--data-dir", data, "print", record["id"][:8], "-o", out_pdf)
    assert code == 0 and out.startswith("已重印 → ") and "：" not in out.split("→")[0]


def test_a_trial_print_of_a_form_is_stamped_specimen_on_every_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`fieldkit render` prints any values under any 文号 with no check and no record: every page says 样张,
    so a trial print can never be handed to a party as a decision."""
    import io
    import json

    from pypdf import PdfReader

    from tests.examples import EXAMPLES

    values = tmp_path / "v.json"
    values.write_text(json.dumps(EXAMPLES["dangchang_chufa"], ensure_ascii=False), "utf-8")
    out = tmp_path / "r.pdf"
    args = [
        "render",
        "dangchang_chufa",
        "--data",
        str(values),
        "-o",
        str(out),
        "--number",
        "某市监当罚〔2026〕9号",
    ]
    code, _, _ = run(capsys, *args)
    assert code == 0
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) >= 2 and all("样张" in p.extract_text() for p in pages)
    assert run(capsys, *args, "--draft")[0] == 0
    assert "样张" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)

    # without --data: the form's own [example], the same values as the file above
    stamped = out.read_bytes()
    assert run(capsys, *[a for a in args if a not in ("--data", str(values))], "--draft")[0] == 0
    assert out.read_bytes() == stamped


def test_docs_list_says_no_number_for_forms_that_have_none(
    capsys: pytest.CaptureFixture[str],
    data: str,  # noqa: F811
) -> None:
    """A finalised 现场笔录 or 清单 is not "未编号" (not yet numbered): its form has no 文号 at all."""
    code, out, _ = run(capsys, "--data-dir", data, "docs", "list")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines() if line.count("\t") == 4]
    by_title: dict[str, list[tuple[str, str]]] = {}
    for _id, title, number, status, _party in rows:
        by_title.setdefault(title, []).append((number, status))
    assert all(n == "（无文号）" for n, _ in by_title["证据清单"])  # finalised, never numbered
    drafts = [n for title, got in by_title.items() for n, s in got if s == "草稿" and title == "询问通知书"]
    assert drafts == ["（未编号）"]  # numbered when first printed
