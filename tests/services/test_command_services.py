"""Services the command line goes through instead of reaching the store itself (issue 12 §7), on real
stores: adding files as a new evidence item, finding a numbered blank by what an officer types, what
is shown of the form definitions, and the key fingerprints of the exchange."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from fieldkit.bundle import keys
from fieldkit.domain.evidence import EvidenceKind
from fieldkit.errors import FieldkitError
from fieldkit.printing.options import PrintOptions
from fieldkit.services import (
    documents,
    evidence,
    exchange,
    exchange_views,
    form_views,
    housekeeping,
    issuing,
)
from fieldkit.services.context import Context
from fieldkit.services.inspections import new_inspection
from fieldkit.services.lookup import IdNotResolved, resolve_numbered_blank
from tests.examples import EXAMPLES


def test_files_become_one_item_named_and_classed_after_them(set_up_ctx: Context, tmp_path: Path) -> None:
    inspection_id = new_inspection(set_up_ctx)
    card = tmp_path / "DCIM"
    card.mkdir()
    for n, colour in enumerate(("red", "blue")):
        Image.new("RGB", (64, 48), colour).save(card / f"IMG_{n}.JPG", "JPEG")
    seen: list[tuple[int, int]] = []
    markers = set_up_ctx.data_dir / housekeeping.INFLIGHT_DIR
    marked: list[str] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        # killed now, the next start finds the marker (item made for these files) and cleans up
        marked.extend(p.read_text(encoding="utf-8") for p in markers.glob("*.json"))

    new = evidence.add_evidence_from_files(set_up_ctx, inspection_id, [card], progress=progress)
    assert (new.name, new.kind) == ("DCIM", EvidenceKind.AUDIOVISUAL)  # photos: 视听资料
    assert (new.report.added, new.report.failed) == (2, [])
    assert seen and seen[-1][0] == seen[-1][1]
    [item] = evidence.list_evidence(set_up_ctx, inspection_id)
    assert item.id == new.item_id and item.draft.name == "DCIM" and len(item.files) == 2
    assert any('"item_name": "DCIM"' in m for m in marked) and any(
        '"item_was_empty": true' in m for m in marked
    )
    assert not any(markers.glob("*.json"))  # the run's markers are gone

    loose = []
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
        loose.append(tmp_path / name)
    named = evidence.add_evidence_from_files(set_up_ctx, inspection_id, loose)
    assert (named.name, named.kind) == ("a.txt、b.txt、c.txt等", EvidenceKind.ELECTRONIC)
    chosen = evidence.add_evidence_from_files(
        set_up_ctx, inspection_id, loose[:1], kind=EvidenceKind.DOCUMENTARY, name="进货单"
    )
    assert (chosen.name, chosen.kind, chosen.report.added) == ("进货单", EvidenceKind.DOCUMENTARY, 1)
    assert [i.draft.name for i in evidence.list_evidence(set_up_ctx, inspection_id)] == [
        "DCIM",
        "a.txt、b.txt、c.txt等",
        "进货单",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pipe_among_the_files_is_refused_before_any_item_is_made(
    set_up_ctx: Context, tmp_path: Path
) -> None:
    inspection_id = new_inspection(set_up_ctx)
    (tmp_path / "ok.txt").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(FieldkitError, match="不是普通文件"):
        evidence.add_evidence_from_files(set_up_ctx, inspection_id, [tmp_path / "ok.txt", tmp_path / "pipe"])
    assert evidence.list_evidence(set_up_ctx, inspection_id) == []


def test_a_numbered_blank_is_found_by_its_number_the_end_of_it_or_its_id(set_up_ctx: Context) -> None:
    first, second = documents.issue_numbered_blanks(set_up_ctx, "dangchang_chufa", 2)
    assert resolve_numbered_blank(set_up_ctx, "兰市监当罚〔2026〕A1-1号") == first
    assert resolve_numbered_blank(set_up_ctx, " A1-2 ") == second
    assert resolve_numbered_blank(set_up_ctx, "A1-2号") == second
    assert resolve_numbered_blank(set_up_ctx, str(second)[:8]) == second
    with pytest.raises(FieldkitError, match="A1-9」：没有这个编号"):
        resolve_numbered_blank(set_up_ctx, "A1-9")
    draft = issuing.new_document(set_up_ctx, "xianchang_bilu", new_inspection(set_up_ctx))
    with pytest.raises(FieldkitError, match="不是编号空白文书"):
        resolve_numbered_blank(set_up_ctx, str(draft))
    # not a lookup failure of the command line (exit 2) but a refusal (exit 1), as before
    with pytest.raises(FieldkitError) as refused:
        resolve_numbered_blank(set_up_ctx, "A1-9")
    assert not isinstance(refused.value, IdNotResolved)


def test_what_is_shown_of_the_form_definitions() -> None:
    forms = documents.available_forms()
    assert form_views.check_forms() == (len(forms), [])
    assert form_views.form_title("xianchang_bilu") == "现场笔录"
    assert form_views.form_title("from_a_newer_release") == "from_a_newer_release"
    numbered = form_views.numbered_forms()
    assert "dangchang_chufa" in numbered and "xianchang_bilu" not in numbered
    assert numbered == {f.id for f in forms if f.numbered}


def test_a_sample_print_says_so_on_every_page() -> None:
    formdef = next(f for f in documents.available_forms() if f.id == "dangchang_chufa")
    pdf, pages = form_views.sample_pdf(
        formdef,
        EXAMPLES["dangchang_chufa"],
        agency="某某市市场监督管理局",
        number="某市监当罚〔2026〕9号",
        options=PrintOptions(),
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages >= 1
    assert all("样张" in p.extract_text() for p in reader.pages)
    draft, _ = form_views.sample_pdf(
        formdef, EXAMPLES["dangchang_chufa"], agency="某", draft=True, options=PrintOptions()
    )
    assert "样张" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(draft)).pages)


def test_fingerprints_as_people_read_them_and_as_scripts_take_them(set_up_ctx: Context) -> None:
    key = exchange_views.device_public_key(set_up_ctx)
    raw = keys.fingerprint(keys.load_device_public_key(key.pem))
    assert key.hex_fingerprint == raw and len(raw) == 64 and key.device_code == "A1"
    offer = exchange.TrustOffer(key.pem, raw, set_up_ctx.device_id, "A1", "兰山 A1 号电脑", "张建国")
    assert offer.grouped_fingerprint == key.fingerprint == keys.format_fingerprint(raw)
    assert offer.matches(offer.grouped_fingerprint.upper().replace(" ", ":"))
    assert not offer.matches(raw[:-1] + ("0" if raw[-1] != "0" else "1"))
