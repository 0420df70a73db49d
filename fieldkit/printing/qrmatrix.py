"""QR code modules from reportlab's encoder, with its mask choice scored quickly (the same mask, same code).

reportlab tries all eight mask patterns and scores each with pure-Python list comparisons, which took
about half the time of a short document. `lost_point` gives exactly QRUtil.getLostPoint's score from
rows packed into bytes and integers; tests compare the two on random matrices and real codes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import reportlab


def _load_qrencoder() -> ModuleType:
    """reportlab's QR encoder module, without the barcode package around it.

    `import reportlab.graphics.barcode.qrencoder` first runs the package's __init__, which imports every
    barcode widget and reportlab's graphics shapes: 15-50 ms of a program's start for nothing the encoder
    uses (it imports only re and itertools). So the module file is loaded on its own, unless reportlab's
    package was imported anyway or its layout is not what is expected.
    """
    name = "reportlab.graphics.barcode.qrencoder"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    try:
        spec = importlib.util.spec_from_file_location("fieldkit.printing._rl_qrencoder", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.QRCode  # noqa: B018 (what this module needs of it)
        return module
    except Exception:  # any surprise: the ordinary import
        import reportlab.graphics.barcode.qrencoder as qrencoder

        return qrencoder


qrencoder = _load_qrencoder()
LEVEL_L = qrencoder.QRErrorCorrectLevel.L

# rule 3 as reportlab scores it: this one finder-like pattern, along rows only (its column pass compares a
# tuple with a list, which never matches), leftmost matches first, the last possible start never tried
_RULE3 = bytes((1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0))
_BITS = bytes.maketrans(b"\x00\x01", b"01")
_LONG_RUN = re.compile(rb"\x00{5,}|\x01{5,}")


def _runs_score(lines: Sequence[bytes]) -> int:
    """Rule 1: a run of five or more modules of one colour costs its length minus two."""
    runs = _LONG_RUN.findall(b"\x02".join(lines))  # the separator ends every run at its line's end
    return sum(len(run) for run in runs) - 2 * len(runs)


def lost_point(modules: Sequence[Sequence[bool]]) -> int:
    """The penalty reportlab's QRUtil.getLostPoint gives these modules (lower is better)."""
    rows = [bytes(row) for row in modules]
    n = len(rows)
    score = _runs_score(rows) + _runs_score([bytes(col) for col in zip(*rows, strict=True)])
    # rule 2: each 2×2 block of one colour costs 3 (bit c of a row's integer is module c)
    ints = [int(row.translate(_BITS)[::-1], 2) for row in rows]
    pair_mask = (1 << (n - 1)) - 1
    for upper, lower in pairwise(ints):
        same = ~(upper ^ lower)  # columns where the two rows agree
        score += 3 * ((same & (same >> 1) & ~(lower ^ (lower >> 1))) & pair_mask).bit_count()
    # rule 3
    for row in rows:
        j = 0
        while (k := row.find(_RULE3, j, n - 1)) >= 0:
            score += 40
            j = k + len(_RULE3)
    # rule 4: the share of dark modules away from one half
    dark = sum(row.count(1) for row in rows)
    return score + 10 * (abs(100 * dark // (n * n) - 50) // 5)


_mask_values: dict[tuple[int, int], list[bool]] = {}  # (version, mask pattern) → mask at each data position


class _QRCode(qrencoder.QRCode):  # type: ignore[misc]
    def mapData(self, data: Any, maskPattern: int) -> None:
        """reportlab's mapData with the mask looked up instead of computed per module."""
        positions = self.dataPosIterator()
        key = (self.version, maskPattern)
        masks = _mask_values.get(key)
        if masks is None:
            mask = qrencoder.QRUtil.getMask(maskPattern)
            masks = _mask_values[key] = [mask(row, col) for col, row in positions]
        bits = list(self.dataBitIterator(data))
        bits += [False] * (len(positions) - len(bits))
        modules = self.modules
        for (col, row), dark, masked in zip(positions, bits, masks, strict=True):
            modules[row][col] = dark ^ masked

    def getBestMaskPattern(self) -> int:  # reportlab's name
        best = pattern = 0
        for i in range(8):
            self.makeImpl(True, i)
            lost = lost_point(self.modules)
            if i == 0 or best > lost:
                best, pattern = lost, i
        return pattern


def qr_modules(payload: str, level: int = LEVEL_L) -> list[list[bool]]:
    """The modules (True = dark) of the QR code reportlab's encoder makes for `payload`."""
    qr = _QRCode(None, level)
    qr.addData(payload)
    qr.make()
    return [[bool(m) for m in row] for row in qr.modules]
