"""The quick mask scoring gives reportlab's own scores, so the QR codes printed are exactly reportlab's."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder

from fieldkit.printing.qrmatrix import lost_point, qr_modules


class _Modules:
    def __init__(self, modules: list[list[bool]]):
        self.modules = modules


def _reference(modules: list[list[bool]]) -> int:
    return qrencoder.QRUtil.getLostPoint(_Modules(modules))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=12, max_value=45), st.floats(0, 1), st.integers(0, 2**32))
def test_lost_point_matches_reportlab_on_random_modules(n, density, seed):
    rnd = random.Random(seed)
    modules = [[rnd.random() < density for _ in range(n)] for _ in range(n)]
    assert lost_point(modules) == _reference(modules)


def test_lost_point_matches_reportlab_on_patterns_with_long_runs_and_finder_like_rows():
    rnd = random.Random(3)
    pattern = [True, False, True, True, True, False, True, False, False, False, False]
    for n in (21, 25, 37):
        for _ in range(20):
            modules = [[rnd.random() < 0.5 for _ in range(n)] for _ in range(n)]
            for row in rnd.sample(range(n), 5):
                at = rnd.randrange(0, n - len(pattern) + 1)  # also at the very end, which is never scored
                modules[row][at : at + len(pattern)] = pattern
            for col in rnd.sample(range(n), 3):
                colour = rnd.random() < 0.5
                for r in range(rnd.randrange(n // 2), n):
                    modules[r][col] = colour
            assert lost_point(modules) == _reference(modules)


def test_every_mask_of_real_codes_scores_the_same_and_the_codes_are_reportlabs():
    rnd = random.Random(5)
    for length in (5, 40, 90, 120, 200):
        payload = "FK1|X市监当罚〔2026〕12号|" + "".join(
            rnd.choice("0123456789abcdef") for _ in range(length)
        )
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
        qr.addData(payload)
        qr.make()
        for mask in range(8):
            probe = qrencoder.QRCode(qr.version, qrencoder.QRErrorCorrectLevel.L)
            probe.addData(payload)
            probe.makeImpl(True, mask)
            assert lost_point(probe.modules) == qrencoder.QRUtil.getLostPoint(probe)
        assert qr_modules(payload) == [[bool(m) for m in row] for row in qr.modules]


def test_the_encoder_is_loaded_without_the_barcode_widgets_or_else_imported_as_usual(monkeypatch):
    import importlib.util
    import sys

    from fieldkit.printing import qrmatrix

    monkeypatch.delitem(sys.modules, "reportlab.graphics.barcode.qrencoder", raising=False)
    alone = qrmatrix._load_qrencoder()
    assert alone.__name__ == "fieldkit.printing._rl_qrencoder"
    assert alone.QRErrorCorrectLevel.L == qrencoder.QRErrorCorrectLevel.L

    def broken(*args, **kwargs):
        raise OSError("not a file")

    monkeypatch.setattr(importlib.util, "spec_from_file_location", broken)
    assert qrmatrix._load_qrencoder().__name__ == "reportlab.graphics.barcode.qrencoder"


def test_the_mask_made_from_one_matrix_is_the_mask_reportlab_chooses_at_every_version():
    from fieldkit.printing.qrmatrix import _QRCode

    rnd = random.Random(11)
    versions = set()
    for length in (1, 20, 60, 100, 150, 230, 330, 450, 700, 1000):
        for level in (qrencoder.QRErrorCorrectLevel.L, qrencoder.QRErrorCorrectLevel.M):
            payload = "".join(rnd.choice("0123456789abcdef|FK") for _ in range(length))
            ours, theirs = _QRCode(None, level), qrencoder.QRCode(None, level)
            for qr in (ours, theirs):
                qr.addData(payload)
                qr.version = qr.calculate_version()
            versions.add(theirs.version)
            assert ours.getBestMaskPattern() == theirs.getBestMaskPattern(), (length, level)
    assert min(versions) == 1 and max(versions) >= 20  # the version-number area (7+) is exercised too


def test_the_codewords_are_reportlabs_at_every_version_and_level():
    from fieldkit.printing.qrmatrix import create_data

    rnd = random.Random(13)
    levels = (
        qrencoder.QRErrorCorrectLevel.L,
        qrencoder.QRErrorCorrectLevel.M,
        qrencoder.QRErrorCorrectLevel.Q,
        qrencoder.QRErrorCorrectLevel.H,
    )
    for length in (0, 1, 7, 30, 77, 150, 300, 500):
        for level in levels:
            payload = "".join(rnd.choice("0123456789abcdefFK|〔〕号") for _ in range(length))
            qr = qrencoder.QRCode(None, level)
            qr.addData(payload)
            version = qr.calculate_version()
            expected = qrencoder.QRCode.createData(version, level, qr.dataList)
            assert create_data(version, level, qr.dataList) == expected, (length, level, version)
