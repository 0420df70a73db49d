"""Files at rest (issue 13.4): a copied data dir shows no personal data in any file, and what an older
release left in the clear (evidence files, private key PEMs) is encrypted on open."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from fieldkit.bundle import keys
from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.services import at_rest, documents, evidence, exchange, housekeeping
from fieldkit.services.context import Context, open_context
from fieldkit.services.subjects import add_subject
from fieldkit.store.evidence_files import EvidenceStore
from fieldkit.vault import stream
from tests.conftest import Clock
from tests.printing.test_signature_images import signature_png
from tests.services.test_documents import make_inspection, rectification
from tests.services.test_signatures import signed
from tests.store.test_exif import jpeg_bytes

PERSON = "赵昇艳"
ID_NUMBER = "11010519491231002X"
PHONE = "13905391234"
COMPANY = "临沂市金源家超市有限公司"


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def needles(texts: list[str], blobs: list[bytes]) -> list[bytes]:
    """What must not be found: each text in the encodings a file could hold it in, and byte slices."""
    found: list[bytes] = []
    for text in texts:
        found += [
            text.encode("utf-8"),
            text.encode("utf-16-be"),
            text.encode("utf-16-le"),
            text.encode("gb18030"),
        ]
    return found + blobs


def test_a_copied_data_dir_shows_no_party_data_photo_pdf_signature_or_key(
    set_up_ctx: Context, tmp_path: Path
) -> None:
    ctx = set_up_ctx
    add_subject(
        ctx,
        SubjectDraft(
            name=PERSON, subject_type=SubjectType.NATURAL_PERSON, id_number=ID_NUMBER, phone="13805390000"
        ),
    )
    inspection_id = make_inspection(ctx)
    photo = jpeg_bytes((800, 600))
    card = tmp_path / "card"
    card.mkdir()
    (card / "IMG_0001.JPG").write_bytes(photo)
    added = evidence.add_evidence_from_files(ctx, inspection_id, [card / "IMG_0001.JPG"])  # type: ignore[arg-type]
    [item] = evidence.list_evidence(ctx, inspection_id)  # type: ignore[arg-type]
    [stored] = item.files
    assert added.report.added == 1 and stored.thumbnail_sha256
    with evidence.files_of(ctx).open(stored.thumbnail_sha256) as f:
        thumbnail = f.read()
    document_id = rectification(ctx, inspection_id)
    pdf = documents.print_document(ctx, document_id, accept_warnings=True).pdf  # type: ignore[arg-type]
    png = signature_png()
    signed(ctx, document_id, png)
    device_pem = exchange.ensure_device_key(ctx)
    exchange.office_keygen(ctx)
    device_raw = at_rest.device_signing_key(ctx).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    exchange.export_bundle(ctx, tmp_path / "usb")  # leaves the laptop: its format does not change

    secrets = needles(
        [PERSON, ID_NUMBER, PHONE, COMPANY, "PRIVATE KEY"],
        [
            photo[len(photo) // 2 : len(photo) // 2 + 64],
            thumbnail[200:264],
            png[40:104],
            pdf[:64],
            pdf[-200:-136],
            device_raw,
        ],
    )
    files = every_file(ctx.data_dir)
    assert any(p.parent.name[:2] and p.stat().st_size > len(photo) for p in files)  # the photo is in there
    leaks = [
        (str(p.relative_to(ctx.data_dir)), s[:24]) for p in files for s in secrets if s in p.read_bytes()
    ]
    assert leaks == []
    assert "BEGIN PUBLIC KEY" in device_pem  # public keys may stay plain


def test_nothing_plain_is_left_by_making_a_thumbnail(
    set_up_ctx: Context, tmp_path: Path, monkeypatch
) -> None:
    made: list[str] = []
    real = os.open

    def watch(path, flags, *args):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT:
            made.append(str(path))
        return real(path, flags, *args)

    inspection_id = make_inspection(set_up_ctx)
    src = tmp_path / "IMG_0002.JPG"
    src.write_bytes(jpeg_bytes())
    monkeypatch.setattr(os, "open", watch)
    evidence.add_evidence_from_files(set_up_ctx, inspection_id, [src])  # type: ignore[arg-type]
    monkeypatch.undo()
    outside = [p for p in made if not p.startswith(str(set_up_ctx.data_dir))]
    assert outside == []  # no temp copy of the picture or its thumbnail anywhere else


def test_plain_files_and_key_pems_of_an_older_release_are_encrypted_on_open(
    tmp_path: Path, clock: Clock
) -> None:
    data_dir = tmp_path / "old"
    ctx = open_context(data_dir, clock)
    # As a release before encryption left them: plain files in the store, plain PEM key files.
    plain = EvidenceStore(data_dir / "evidence", None)
    photo = jpeg_bytes()
    sha = plain.add_bytes(photo, name="IMG_0001.JPG").sha256
    device_public = keys.public_key_pem(keys.generate_device_key(at_rest.device_key_path(data_dir)))
    office_public = keys.public_key_pem(keys.generate_office_key(at_rest.office_key_path(data_dir)))
    assert b"PRIVATE KEY" in at_rest.device_key_path(data_dir).read_bytes()
    assert evidence.plain_files_left(ctx)

    again = open_context(data_dir, clock)
    for path in (at_rest.device_key_path(data_dir), at_rest.office_key_path(data_dir)):
        blob = path.read_bytes()
        assert stream.is_encrypted(blob) and b"PRIVATE KEY" not in blob
        assert path.stat().st_mode & 0o777 == 0o600
    assert exchange.ensure_device_key(again) == device_public
    assert keys.public_key_pem(at_rest.office_private_key(again)) == office_public
    with pytest.raises(keys.KeyFileError, match="登录"):
        keys.load_private_key(at_rest.device_key_path(data_dir))  # not without the data key

    progress: list[tuple[int, int]] = []
    done = evidence.encrypt_plain_files(again, progress=lambda n, t: progress.append((n, t)))
    assert (done.files, done.bytes) == (1, len(photo)) and progress[-1] == (len(photo), len(photo))
    assert photo[100:200] not in plain.path_of(sha).read_bytes()
    with evidence.files_of(again).open(sha) as f:
        assert f.read() == photo
    assert evidence.verify_files(again) == [] or all(
        p.kind != "changed" for p in evidence.verify_files(again)
    )
    assert not evidence.plain_files_left(again)
    assert not list((data_dir / "evidence" / ".tmp").iterdir())
    assert housekeeping.dead_runs(again) == []


def test_a_stored_pdf_reads_back_seekable_for_viewers(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    document_id = rectification(ctx, make_inspection(ctx))
    pdf = documents.print_document(ctx, document_id, accept_warnings=True).pdf  # type: ignore[arg-type]
    import pypdf

    with evidence.files_of(ctx).open(documents.load_document(ctx, document_id).revisions[-1].pdf_sha256) as f:  # type: ignore[arg-type]
        reader = pypdf.PdfReader(f)  # seeks to the end for the xref table, then back
        assert len(reader.pages) >= 1
        f.seek(0)
        assert f.read() == pdf
    assert io.BytesIO(pdf).read(5) == b"%PDF-"


def test_the_office_key_is_exported_plain_once_asked_and_audited(set_up_ctx: Context, tmp_path: Path) -> None:
    ctx = set_up_ctx
    public = exchange.office_keygen(ctx)
    copy = at_rest.export_office_key(ctx, tmp_path / "office.pem")
    assert copy.stat().st_mode & 0o777 == 0o600
    assert keys.public_key_pem(keys.load_office_private_key(copy)) == public  # opens without any store
    with pytest.raises(keys.KeyFileError, match="不会覆盖"):
        at_rest.export_office_key(ctx, copy)
    with pytest.raises(keys.KeyFileError, match="另一台电脑"):  # the store's own copy opens only here
        keys.load_office_private_key(at_rest.office_key_path(ctx.data_dir), wrap_key=bytes(32))
    from sqlalchemy import select

    from fieldkit.store.schema import AuditRow

    with ctx.sessions() as session:
        actions = list(session.scalars(select(AuditRow.action)))
    assert actions[-1] == "export_office_key"
