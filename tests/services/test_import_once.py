"""Issue 14: an import reads, hashes and parses each record once, and writes no record out again to
check it; what it stores is what the two-pass import stored."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fieldkit.bundle import canonical, reader
from fieldkit.services import exchange
from fieldkit.services.context import Context
from fieldkit.store.schema import EvidenceFileRow
from tests import rawdb
from tests.services.test_exchange import laptop, office  # noqa: F401 — fixtures


def test_each_record_is_read_and_parsed_once(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = exchange.export_bundle(laptop, tmp_path / "usb").path
    reads: collections.Counter[str] = collections.Counter()
    parses = [0]
    writes = [0]
    real_chunks, real_parse, real_write = (
        reader._member_chunks,
        reader.parse_canonical,
        canonical.canonical_json,
    )

    def chunks(fp: Any, info: Any, offset: int, limit: int) -> Iterator[bytes]:
        reads[info.filename] += 1
        return real_chunks(fp, info, offset, limit)

    def parse(data: bytes) -> dict[str, Any]:
        parses[0] += 1
        return real_parse(data)

    def write(record: Any) -> bytes:
        writes[0] += 1
        return real_write(record)

    monkeypatch.setattr(reader, "_member_chunks", chunks)
    monkeypatch.setattr(reader, "parse_canonical", parse)
    monkeypatch.setattr(canonical, "canonical_json", write)
    monkeypatch.setattr(exchange, "canonical_json", write)
    report = exchange.import_bundle(office, path)
    records = [name for name in reads if name.startswith("records/")]
    assert report.inserted > 5 and len(records) > 5
    assert all(reads[name] == 1 for name in records), reads
    assert parses[0] == len(records)
    assert writes[0] == 0  # canonical form checked on the bytes, nothing written out again per record


def test_a_verify_that_keeps_no_records_still_imports_by_reading_again(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
    make_ctx: Any,
) -> None:
    """The GUI verifies first (keeping nothing) and previews; records_of then reads the file again."""
    path = exchange.export_bundle(laptop, tmp_path / "usb").path
    kept = exchange.verify(office, path, keep_records=True)
    plain = exchange.verify(office, path)
    assert plain.records is None and kept.records is not None
    assert list(reader.records_of(path, plain)) == list(reader.records_of(path, kept))
    preview = exchange.preview_import(office, path, plain)
    report = exchange.import_bundle(office, path)
    assert (preview.inserted, preview.conflicts) == (report.inserted, report.conflicts)
    db = rawdb.connect(office.data_dir / "fieldkit.db")
    assert db.execute("SELECT count(*) FROM subject").fetchone()[0] > 0
    db.close()


def test_the_bundle_is_opened_once_for_all_its_files(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each opening reads the whole ZIP directory again (~70 ms at 10k records): once for the files."""
    path = exchange.export_bundle(laptop, tmp_path / "usb").path
    opened = [0]
    real = reader._Opened

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any) -> None:
            opened[0] += 1
            super().__init__(*args)

    monkeypatch.setattr(reader, "_Opened", Counted)
    report = exchange.import_bundle(office, path)
    assert report.files_added >= 3
    assert opened[0] == 1
    with laptop.sessions() as session:
        hashes = set(session.scalars(select(EvidenceFileRow.sha256)))
    assert hashes and all(exchange.at_rest.files_of(office).has(h) for h in hashes)
