"""QR code modules from reportlab's encoder, with its mask choice scored quickly (the same mask, same code).

reportlab tries all eight mask patterns and scores each with pure-Python list comparisons, which took
about half the time of a short document. `lost_point` gives exactly QRUtil.getLostPoint's score from
rows packed into bytes and integers, and the eight candidates are made from one matrix
(`_QRCode.getBestMaskPattern`); tests compare the scores, the chosen mask and the code with reportlab's.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from collections.abc import Sequence
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
    return _lost_point(b"".join(bytes(row) for row in modules), len(modules))


_pair_masks: dict[int, int] = {}  # n → bits of the modules that are the top left of a 2×2 block


def _lost_point(flat: bytes, n: int) -> int:
    """lost_point of the n×n modules `flat`, row after row, one byte (0 or 1) per module."""
    size = n * n
    rows = [flat[i : i + n] for i in range(0, size, n)]
    score = _runs_score(rows) + _runs_score([flat[c::n] for c in range(n)])
    # rule 2: each 2×2 block of one colour costs 3. As one integer, module i is bit size-1-i, so shifting
    # left by 1, n and n+1 puts its right, lower and lower right neighbours on it
    whole = int(flat.translate(_BITS), 2)
    differ = (whole ^ (whole << 1)) | (whole ^ (whole << n)) | (whole ^ (whole << (n + 1)))
    pair_mask = _pair_masks.get(n)
    if pair_mask is None:
        top_left = bytes(int(r < n - 1 and c < n - 1) for r in range(n) for c in range(n))
        pair_mask = _pair_masks[n] = int(top_left.translate(_BITS), 2)
    score += 3 * (pair_mask & ~differ).bit_count()
    # rule 3
    for row in rows:
        j = 0
        while (k := row.find(_RULE3, j, n - 1)) >= 0:
            score += 40
            j = k + len(_RULE3)
    # rule 4: the share of dark modules away from one half
    return score + 10 * (abs(100 * flat.count(1) // size - 50) // 5)


_mask_values: dict[tuple[int, int], list[bool]] = {}  # (version, mask pattern) → mask at each data position


_positions: dict[int, list[tuple[int, int]]] = {}  # version → the data positions, in reportlab's order


class _QRCode(qrencoder.QRCode):  # type: ignore[misc]
    def dataPosIterator(self) -> list[tuple[int, int]]:  # reportlab's name
        """reportlab's list of data positions, made once per version instead of once per code."""
        found = _positions.get(self.version)
        if found is None:
            found = _positions[self.version] = list(self._dataPosIterator())
        return found

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
        """reportlab's choice of mask, from one matrix instead of eight.

        reportlab builds the whole test matrix for each of the eight masks. In test mode the format and
        version areas are light whatever the mask, so the eight differ only in the data modules: the
        matrix is made once, and each candidate is that matrix with the masked data put in, as whole-matrix
        integer operations (one byte per module: OR and XOR never carry between modules).
        """
        if self.dataCache is None:
            self.dataCache = create_data(self.version, self.errorCorrectLevel, self.dataList)
        self.makeImpl(True, 0)
        n = self.moduleCount
        size = n * n
        positions = self.dataPosIterator()
        index = [row * n + col for col, row in positions]
        flat = bytearray(b"".join(bytes(row) for row in self.modules))
        data = bytearray(size)
        for i, dark in zip(index, self.dataBitIterator(self.dataCache), strict=False):
            data[i] = dark
        for i in index:
            flat[i] = 0
        base, bits = int.from_bytes(flat, "big"), int.from_bytes(data, "big")
        best = pattern = 0
        for i in range(8):
            candidate = (base | (bits ^ _mask_int(self.version, i, n, positions))).to_bytes(size, "big")
            lost = _lost_point(candidate, n)
            if i == 0 or best > lost:
                best, pattern = lost, i
        return pattern


def create_data(version: int, level: int, data_list: Sequence[Any]) -> list[int]:
    """QRCode.createData: the same codewords, the error correction computed with GF(256) tables.

    reportlab divides polynomials recursively, a new list per step (about a third of a QR code's time).
    This is the usual shift-register division by the same generator polynomial: the remainder is unique,
    so the codewords are reportlab's (tests compare them over versions and levels).
    """
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for data in data_list:
        data.write(buffer, version)
    capacity = 8 * sum(block.dataCount for block in blocks)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"code length overflow. ({buffer.getLengthInBits()} > {capacity})")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)  # the terminator
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while buffer.getLengthInBits() < capacity:
        buffer.put(next(pads), 8)
    offset = 0
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    for block in blocks:
        words = buffer.buffer[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(words)
        ec_blocks.append(_remainder(words, block.totalCount - block.dataCount))
    return [
        word
        for group in itertools.chain(itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks))
        for word in group
        if word is not None
    ]


_EXP, _LOG = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
_generators: dict[int, list[int]] = {}  # error correction words → log of the generator's coefficients


def _remainder(words: Sequence[int], count: int) -> list[int]:
    """The `count` error correction words of `words`: their polynomial times x^count modulo the generator."""
    generator = _generators.get(count)
    if generator is None:
        poly = qrencoder.QRUtil.getErrorCorrectPolynomial(count).num  # reportlab's own; leading 1
        generator = _generators[count] = [_LOG[c] for c in poly[1:]]
    rem = [0] * count
    for word in words:
        factor = word ^ rem.pop(0)
        rem.append(0)
        if factor:
            lf = _LOG[factor]
            for j, g in enumerate(generator):
                rem[j] ^= _EXP[(g + lf) % 255]
    return rem


_mask_ints: dict[tuple[int, int], int] = {}  # (version, mask pattern) → the mask over the data modules


def _mask_int(version: int, pattern: int, n: int, positions: Sequence[tuple[int, int]]) -> int:
    """The mask at the data positions of a matrix of that version, one byte per module, as an integer."""
    key = (version, pattern)
    if key not in _mask_ints:
        mask = qrencoder.QRUtil.getMask(pattern)
        flat = bytearray(n * n)
        for col, row in positions:
            flat[row * n + col] = bool(mask(row, col))
        _mask_ints[key] = int.from_bytes(flat, "big")
    return _mask_ints[key]


def qr_modules(payload: str, level: int = LEVEL_L) -> list[list[bool]]:
    """The modules (True = dark) of the QR code reportlab's encoder makes for `payload`."""
    qr = _QRCode(None, level)
    qr.addData(payload)
    qr.make()
    return [[bool(m) for m in row] for row in qr.modules]
