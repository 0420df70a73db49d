"""措施 of one matter (an inspection's): the list with deadlines, the selected one's goods, 延长,
解除/转处理, printing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.domain.formrules import (
    MadeFrom,
    extension_form,
    forms_made_from,
    goods_list_form,
    release_form,
    rules_for,
)
from fieldkit.domain.measures import MeasureStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import issuing, measures
from fieldkit.services.context import Context
from fieldkit.services.measures import Measure
from fieldkit.ui import strings
from fieldkit.ui.dialogs.measure_dialog import MeasureDialog
from fieldkit.ui.errors import show_error
from fieldkit.ui.models.goods_table import GoodsTableModel
from fieldkit.ui.models.measure_table import MeasureTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.matter_panel import MatterPanel
from fieldkit.ui.widgets.record_list import record_table

MEASURE_WIDTHS = (110, 100, 170, 170, 240, 160)
GOODS_WIDTHS = (190, 110, 120, 240, 56, 64, 140)


class MeasuresPanel(MatterPanel[Measure]):
    measures_changed = Signal()  # a measure was added, extended or ended: 工作台 should re-read

    TITLE = strings.MEASURES_TITLE
    HINT = strings.MEASURES_HINT
    EMPTY = strings.MEASURES_EMPTY
    SORT_NAME = "measures"
    WIDTHS = MEASURE_WIDTHS
    STRETCH_COLUMN = len(MEASURE_WIDTHS)
    SPLIT_SIZES = (320, 300)

    def __init__(
        self, ctx: Context, matter_id: uuid.UUID, parent: QWidget | None = None, *, place: str = ""
    ) -> None:
        self._place = place
        super().__init__(ctx, matter_id, parent)

    # ---- MatterPanel --------------------------------------------------------------------------
    def make_model(self) -> MeasureTableModel:
        return MeasureTableModel(self)

    def list_records(self) -> Sequence[Measure]:
        return measures.list_measures(self._ctx, self.matter_id)

    def top_buttons(self) -> Sequence[QWidget]:
        self.add_button = QPushButton(strings.MEASURE_ADD)
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self._on_add_clicked)
        return (self.add_button,)

    def action_buttons(self) -> Sequence[QWidget]:
        self.extend_button = QPushButton(strings.MEASURE_EXTEND)
        self.extend_button.clicked.connect(self._on_extend_clicked)
        self.release_button = QPushButton(strings.MEASURE_RELEASE)
        self.release_button.clicked.connect(self._on_release_clicked)
        self.convert_button = QPushButton(strings.MEASURE_CONVERT)
        self.convert_button.clicked.connect(self._on_convert_clicked)
        self.print_list_button = QPushButton(strings.MEASURE_PRINT_LIST)
        # the measure's 清单 and its 封条: the forms made from one measure (domain/formrules.py)
        self._list_form = goods_list_form()
        self._seal_form = next(f for f in forms_made_from(MadeFrom.MEASURE) if f != self._list_form)
        self.print_list_button.clicked.connect(lambda: self.create_document(self._list_form))
        self.print_seal_button = QPushButton(strings.MEASURE_PRINT_SEAL)
        self.print_seal_button.clicked.connect(lambda: self.create_document(self._seal_form))
        self.extend_doc_button = QPushButton(strings.MEASURE_DOC_EXTEND)
        self.extend_doc_button.setToolTip(strings.MEASURE_DOC_EXTEND_TIP)
        self.extend_doc_button.clicked.connect(lambda: self.create_measure_document(release=False))
        self.release_doc_button = QPushButton(strings.MEASURE_DOC_RELEASE)
        self.release_doc_button.setToolTip(strings.MEASURE_DOC_RELEASE_TIP)
        self.release_doc_button.clicked.connect(lambda: self.create_measure_document(release=True))
        return (
            self.extend_button,
            self.release_button,
            self.convert_button,
            self.print_list_button,
            self.print_seal_button,
            self.extend_doc_button,
            self.release_doc_button,
        )

    def build_details(self) -> QWidget:
        self.goods_title = QLabel(strings.MEASURE_GOODS)
        set_role(self.goods_title, "sectionTitle")
        self.goods_model = GoodsTableModel(self, editable=False)
        self.goods_table = record_table(self.goods_model, framed=False)
        self.goods_table.verticalHeader().show()
        for column, width in enumerate(GOODS_WIDTHS):
            self.goods_table.setColumnWidth(column, width)
        self.goods_table.horizontalHeader().setSectionResizeMode(
            len(GOODS_WIDTHS), QHeaderView.ResizeMode.Stretch
        )
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        lower_layout.addWidget(self.goods_title)
        lower_layout.addWidget(self.goods_table, 1)
        return lower

    def dialog_accepted(self, saved_id: uuid.UUID | None) -> None:
        self.measures_changed.emit()

    def show_selected(self) -> None:
        m = self.selected()
        self.goods_model.set_lines(m.items if m is not None else ())
        self.goods_title.setText(
            strings.MEASURE_GOODS if m is None else strings.goods_of(m.kind.label, len(m.items))
        )
        for button in (
            self.extend_button,
            self.release_button,
            self.convert_button,
            self.print_list_button,
        ):
            button.setEnabled(m is not None)
        # 先行登记保存 keeps goods without the bureau's 封条 (the measure dialog says so): no 打印封条.
        sealed = m is not None and m.kind in rules_for(self._seal_form).measure_kinds
        self.print_seal_button.setEnabled(sealed)
        self.print_seal_button.setToolTip(strings.MEASURE_NO_SEAL if m is not None and not sealed else "")
        active = m is not None and m.status == MeasureStatus.ACTIVE
        self.release_doc_button.setEnabled(active and m is not None and release_form(m.kind) is not None)
        self.extend_doc_button.setEnabled(
            active and m is not None and extension_form(m.kind) is not None and not m.extended
        )

    # ---- actions --------------------------------------------------------------------------------
    def new_measure(self) -> MeasureDialog:
        dialog = MeasureDialog(self._ctx, self.matter_id, self, place=self._place)
        self.open_dialog(dialog)
        return dialog

    def _on_add_clicked(self) -> None:
        self.new_measure()

    def extend(self, measure_id: uuid.UUID, reason: str) -> bool:
        try:
            due = measures.extend_seizure(self._ctx, measure_id, reason)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self.banner.set_kind("info")
        self.banner.show_text(strings.measure_extended(due))
        self.measures_changed.emit()
        return True

    def end(self, measure_id: uuid.UUID, status: MeasureStatus, note: str) -> bool:
        try:
            measures.end_measure(self._ctx, measure_id, status, note)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self.banner.set_kind("info")
        self.banner.show_text(
            strings.MEASURE_RELEASED if status is MeasureStatus.RELEASED else strings.MEASURE_CONVERTED
        )
        self.measures_changed.emit()
        return True

    def _ask(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, title, prompt)
        return text if ok else None

    def _on_extend_clicked(self) -> None:
        if (measure_id := self.selected_id()) is not None and (
            reason := self._ask(strings.MEASURE_EXTEND, strings.MEASURE_EXTEND_PROMPT)
        ) is not None:
            self.extend(measure_id, reason)

    def _on_release_clicked(self) -> None:
        if (measure_id := self.selected_id()) is not None and (
            note := self._ask(strings.MEASURE_RELEASE, strings.MEASURE_RELEASE_PROMPT)
        ) is not None:
            self.end(measure_id, MeasureStatus.RELEASED, note)

    def _on_convert_clicked(self) -> None:
        if (measure_id := self.selected_id()) is not None and (
            note := self._ask(strings.MEASURE_CONVERT, strings.MEASURE_CONVERT_PROMPT)
        ) is not None:
            self.end(measure_id, MeasureStatus.CONVERTED, note)

    def create_measure_document(self, *, release: bool) -> uuid.UUID | None:
        """A draft 延长 or 解除 document of the selected measure (applied to it once printed)."""
        m = self.selected()
        if m is None:
            return None
        form_id = release_form(m.kind) if release else extension_form(m.kind)
        if form_id is None:
            show_error(self, FieldkitError(strings.MEASURE_DOC_NONE))
            return None
        return self.draft(lambda: issuing.from_record(self._ctx, form_id, self.matter_id, measure_id=m.id))

    def create_document(self, form_id: str) -> uuid.UUID | None:
        """A draft 财物清单 or 封条 of the selected measure, handed on by document_created."""
        if (measure_id := self.selected_id()) is None:
            return None
        return self.draft(
            lambda: issuing.from_record(self._ctx, form_id, self.matter_id, measure_id=measure_id)
        )
