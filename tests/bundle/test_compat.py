"""Format-1 records read as today's (bundle/compat.py): children name their matter, nothing else moves."""

from __future__ import annotations

from fieldkit.bundle.compat import upgrade_record
from fieldkit.bundle.manifest import FORMAT_VERSION, SUPPORTED_VERSIONS

PARENT = "0b7c4c2e-8d1a-4f5e-9b6a-3c2d1e0f9a8b"


def test_format_1_children_name_their_matter_with_the_inspection_id() -> None:
    for record_type in ("document", "evidence_item", "measure", "follow_up"):
        old = {"inspection_id": PARENT, "note": "x"}
        assert upgrade_record(1, record_type, old) == {"matter_id": PARENT, "note": "x"}
        assert old == {"inspection_id": PARENT, "note": "x"}  # the caller's data is left as it was


def test_a_follow_up_keeps_the_inspection_that_did_the_recheck() -> None:
    old = {"inspection_id": PARENT, "done_inspection_id": "11111111-2222-3333-4444-555555555555"}
    assert upgrade_record(1, "follow_up", old) == {
        "matter_id": PARENT,
        "done_inspection_id": "11111111-2222-3333-4444-555555555555",
    }


def test_other_records_and_current_records_pass_unchanged() -> None:
    inspection = {"subject_id": PARENT, "place": "兰山区"}
    assert upgrade_record(1, "inspection", inspection) == inspection
    current = {"matter_id": PARENT}
    assert upgrade_record(FORMAT_VERSION, "evidence_item", current) == current
    assert FORMAT_VERSION == 2 and {1, 2} == SUPPORTED_VERSIONS
