"""A lost laptop leaks nothing (issue 13, "Done when"): a copy of a used data dir — demo data with
parties, ID numbers, photos, printed and signed documents, backups and logs — holds no personal data
in the clear and no plaintext PDF, photo or database, and opens with nothing but a password."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldkit.domain.subjects import SubjectType
from fieldkit.services import access, backup
from fieldkit.services.context import open_context
from fieldkit.services.demo import load_demo
from fieldkit.store.schema import SubjectRow
from fieldkit.vault.errors import Locked, WrongPassword
from tests.conftest import Clock
from tests.rawdb import TEST_PASSWORD

# What any plaintext copy of these files would start with (or hold, for a file inside a container):
# each 5 bytes or more, so that random ciphertext does not hold one by chance.
MAGIC = {
    b"%PDF-": "a PDF",
    # A JPEG's marker segments, not its 3-byte start: 3 bytes turn up by chance in a megabyte of
    # ciphertext about one run in ten; these 5 and 6 bytes never do.
    b"JFIF\x00": "a JPEG photo (JFIF)",
    b"Exif\x00\x00": "a JPEG photo (Exif)",
    b"\x89PNG\r\n": "a PNG image",
    b"SQLite format 3\x00": "a plaintext SQLite database",
    b"-----BEGIN PRIVATE KEY-----": "a private key",
}


MIN_NEEDLE = 6


def _needles(name: str, id_number: str, phone: str, rep: str) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for text in (name, id_number, phone, rep):
        for encoding in ("utf-8", "utf-16-le", "gb18030"):
            needle = text.encode(encoding)
            # A two-character name is 4 bytes in UTF-16 or GB18030: megabytes of ciphertext hold any
            # given 4 bytes by chance about once a thousand runs. 6 bytes and more never do (2^-48 an offset).
            if len(needle) >= MIN_NEEDLE:
                out[needle] = f"{text!r} ({encoding})"
    return out


def test_a_copied_data_dir_reveals_no_personal_data(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "laptop"
    ctx = open_context(data, clock=clock)
    load_demo(ctx)
    admin = access.officer_id_by_cert(ctx, "37130219001")
    access.set_password(ctx, admin, TEST_PASSWORD)
    with ctx.sessions() as session:
        person = session.scalars(
            select(SubjectRow).where(
                SubjectRow.subject_type == str(SubjectType.INDIVIDUAL_BUSINESS), SubjectRow.id_number != ""
            )
        ).first()
        assert person is not None
        known = _needles(person.name, person.id_number, person.phone, person.legal_rep)
    backup.create_backup(ctx)  # a snapshot and its keyring copy travel with the data dir
    ctx.sessions.kw["bind"].dispose()

    copy = tmp_path / "found-in-a-car"
    shutil.copytree(data, copy)
    files = [p for p in copy.rglob("*") if p.is_file()]
    assert any(
        p.parent.name == "evidence" or "evidence" in p.parts for p in files
    )  # the photos and PDFs are there
    leaks = []
    for path in files:
        body = path.read_bytes()
        leaks += [f"{path.relative_to(copy)}: {what}" for needle, what in known.items() if needle in body]
        leaks += [f"{path.relative_to(copy)}: {what}" for magic, what in MAGIC.items() if magic in body]
    assert leaks == [], "\n".join(leaks)

    with pytest.raises(Locked):
        open_context(copy, clock=clock)
    with pytest.raises(WrongPassword):
        open_context(copy, clock=clock, credentials=access.PasswordLogin("张建国", "guess-123456"))
    opened = open_context(copy, clock=clock, credentials=access.PasswordLogin("张建国", TEST_PASSWORD))
    with opened.sessions() as session:
        assert session.get(SubjectRow, person.id).id_number == person.id_number
