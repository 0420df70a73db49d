"""Issue 11: exports and imports that cannot leave plaintext, partial state or a traceback behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit.bundle.envelope import MAGIC
from fieldkit.errors import FieldkitError
from fieldkit.services import exchange, exchange_views
from fieldkit.services.context import Context
from tests.services.test_exchange import counts, laptop, office

__all__ = ["laptop", "office"]


def _office_key(ctx: Context) -> Path:
    pub = ctx.data_dir / "office.pub.pem"
    pub.write_text(exchange.office_keygen(ctx), encoding="utf-8")
    return pub


def test_encrypted_export_never_puts_plaintext_on_the_stick(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    seen: list[bytes] = []

    def look(done: int, total: int) -> None:  # what a kill -9 right now would leave on the stick
        seen.extend(p.read_bytes() for p in usb.iterdir())

    result = exchange.export_bundle(laptop, usb, encrypt_to=_office_key(office), progress=look)
    assert seen, "the export was looked at while it ran"
    for data in seen:
        assert data == b"" or data.startswith(MAGIC)
        assert b"PK\x03\x04" not in data and "兰山区".encode() not in data
    assert [p.name for p in usb.iterdir()] == [result.path.name]
    assert result.path.name.endswith(".fkb.enc") and result.bytes == result.path.stat().st_size
    report = exchange_views.import_file(office, result.path)
    assert report.inserted > 0
    assert counts(office) == counts(laptop)


def test_a_bad_office_key_fails_before_anything_is_written(
    laptop: Context, tmp_path: Path, make_ctx: Callable[[str], Context]
) -> None:
    bad = tmp_path / "not-a-key.pem"
    bad.write_text("不是公钥", encoding="utf-8")
    usb = tmp_path / "usb"
    with pytest.raises(FieldkitError, match=r"公钥|PEM"):
        exchange.export_bundle(laptop, usb, encrypt_to=bad)
    assert not usb.exists() or list(usb.iterdir()) == []
