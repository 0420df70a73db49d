"""Evidence items of an inspection, and the files of one item with their thumbnails (loaded when shown)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QIcon, QPixmap

from fieldkit.domain.evidence import FIELD_LABELS
from fieldkit.services.context import SHANGHAI
from fieldkit.services.evidence import EvidenceFile, EvidenceItem
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole
from fieldkit.ui.models.rows_table import RecordTableModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
HashRole = Qt.ItemDataRole.UserRole + 2  # the full SHA-256 of a file row
THUMB_SIZE = QSize(96, 72)
THUMB_CACHE = 1000  # ~27 KB each
_FINAL_FG = QColor("#1f5fa8")
_FAIL_FG = QColor("#b3261e")
_HINT_FG = QColor("#5f6b7a")


class EvidenceItemTableModel(RecordTableModel[EvidenceItem]):
    COLUMNS = (
        strings.COL_NO,
        FIELD_LABELS["name"],
        FIELD_LABELS["kind"],
        FIELD_LABELS["source"],
        FIELD_LABELS["proves"],
        strings.COL_FILE_COUNT,
        strings.COL_STATUS,
    )
    STATUS_COLUMN = 6

    # The names the panels and tests use.
    set_items = RecordTableModel.set_records
    item_at = RecordTableModel.record_at

    def display(self, item: EvidenceItem, column: int) -> str:
        d = item.draft
        match column:
            case 0:
                return str(item.seq)
            case 1:
                return d.name
            case 2:
                return d.kind.label
            case 3:
                return d.source
            case 4:
                return d.proves
            case 5:
                return strings.file_count(len(item.files), item.total_size) if item.files else "—"
            case 6:
                return strings.EVIDENCE_STATUS.get(item.status, item.status)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._records[index.row()]
        if role == IdRole:
            return item.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.STATUS_COLUMN:
            return _FINAL_FG if item.status == "final" else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 5):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class EvidenceFileTableModel(RecordTableModel[EvidenceFile]):
    """One row per file; the thumbnail is read from the store the first time its row is painted."""

    COLUMNS = (
        strings.COL_FILE,
        strings.COL_SIZE,
        strings.COL_TAKEN_AT,
        strings.COL_GPS,
        strings.COL_CAMERA,
        strings.COL_SHA256,
        strings.COL_EXIF,
    )
    HASH_COLUMN = 5
    EXIF_COLUMN = 6

    def __init__(
        self,
        load_thumbnail: Callable[[str], bytes | None],
        parent: Any = None,
        *,
        placeholder: QIcon | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load_thumbnail
        self._placeholder = placeholder  # for videos, documents and pictures without a thumbnail
        # By thumbnail hash, kept across reloads; least recently shown dropped past THUMB_CACHE.
        self._thumbs: OrderedDict[str, QPixmap | None] = OrderedDict()
        self.thumbnails_loaded = 0

    # The names the evidence panel and tests use.
    set_files = RecordTableModel.set_records
    file_at = RecordTableModel.record_at

    def thumbnail(self, f: EvidenceFile) -> QPixmap | None:
        sha = f.thumbnail_sha256
        if not sha:
            return None
        if sha in self._thumbs:
            self._thumbs.move_to_end(sha)
        else:
            data = self._load(sha)
            pixmap = QPixmap()
            if data is not None and pixmap.loadFromData(data):
                pixmap = pixmap.scaled(
                    THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
                self.thumbnails_loaded += 1
                self._thumbs[sha] = pixmap
            else:
                self._thumbs[sha] = None
            while len(self._thumbs) > THUMB_CACHE:  # a card of 10,000 photos: memory stays bounded
                self._thumbs.popitem(last=False)
        return self._thumbs[sha]

    def display(self, f: EvidenceFile, column: int) -> str:
        match column:
            case 0:
                return f.original_name
            case 1:
                return strings.format_size(f.size)
            case 2:
                return (
                    ""
                    if f.taken_at is None
                    else f.taken_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
                )
            case 3:
                return "" if f.gps is None else strings.gps_text(*f.gps)
            case 4:
                return f.camera
            case 5:
                return f.sha256[:16]
            case 6:
                return strings.EXIF_STATUS.get(f.exif_status, f.exif_status)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(f, column)
        if role == HashRole:
            return f.sha256
        if role == IdRole:
            return f.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.HASH_COLUMN:
                return strings.sha256_tooltip(f.sha256)
            if column == self.EXIF_COLUMN and f.exif_status == "unreadable":
                return strings.EXIF_UNREADABLE_TIP
            if column == 0:
                return strings.file_tooltip(f.original_name, f.mime, f.size)
            return self.display(f, column) or None
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.thumbnail(f) or self._placeholder
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.EXIF_COLUMN:
                return _FAIL_FG if f.exif_status == "unreadable" else _HINT_FG
            if column == self.HASH_COLUMN:
                return _HINT_FG
        if role == Qt.ItemDataRole.FontRole and column == self.HASH_COLUMN:
            return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        return None
