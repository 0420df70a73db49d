"""A document made anew, the one it voided and numbered blanks travel to the office as they are."""

from __future__ import annotations

from pathlib import Path

from fieldkit.services import documents, exchange
from fieldkit.services.context import Context
from tests.services.test_exchange import laptop, office  # noqa: F401


def test_reissue_and_numbered_blanks_reach_the_office(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
) -> None:
    [served] = documents.list_documents(laptop)
    new_id = documents.reissue_document(laptop, served.id)
    documents.print_document(laptop, new_id, accept_warnings=True, reason="依据引用错误")
    blanks = documents.issue_numbered_blanks(laptop, "dangchang_chufa", 2)
    documents.void_document(laptop, blanks[1], "遗失")

    result = exchange.export_bundle(laptop, tmp_path / "usb", officer="张建国")
    exchange.import_bundle(office, result.path)

    old = documents.load_document(office, served.id)
    new = documents.load_document(office, new_id)
    assert old.status == "void" and old.replaced_by_id == new_id and new.replaces_id == served.id
    assert new.number != old.number and old.number in new.replaces
    ledger = {b.number: b.state for b in documents.list_numbered_blanks(office)}
    assert sorted(ledger.values()) == ["issued", "voided"]
    assert ledger == {b.number: b.state for b in documents.list_numbered_blanks(laptop)}
