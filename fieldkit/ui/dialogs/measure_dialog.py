"""New 措施: 先行登记保存, 查封, 扣押 or 抽样, with its goods list, deadline and 封条 text shown before saving."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
from fieldkit.services import measure_views, measures
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import Saving, ok_cancel
from fieldkit.ui.dialogs.subject_dialog import required_label
from fieldkit.ui.models.goods_table import GoodsTableModel
from fieldkit.ui.screen_fit import resize_to_screen
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.delegates import LiveTextDelegate
from fieldkit.ui.widgets.field_errors import FieldErrors

GOODS_WIDTHS = (190, 110, 120, 240, 56, 64, 140)


class MeasureDialog(QDialog):
    """Saves through measures.add_measure; stays open with the problems shown until it is accepted."""

    def __init__(
        self,
        ctx: Context,
        matter_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        place: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._matter_id = matter_id
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(strings.MEASURE_DIALOG_TITLE)
        resize_to_screen(self, 1120, 720)  # 保存 stays on a 768-high laptop screen
        self.errors = FieldErrors()

        self.kind_combo = QComboBox()
        for kind in MeasureKind:
            self.kind_combo.addItem(kind.label, kind)
        self.kind_combo.currentIndexChanged.connect(self._on_inputs_changed)
        self.date_edit = DateInput(
            with_time=False,
            label=strings.MEASURE_DECIDED_ON,
            now=lambda: ctx.now().astimezone(SHANGHAI).replace(tzinfo=None),
        )
        self.date_edit.set_value(ctx.today())
        self.date_edit.setMaximumWidth(260)
        self.date_edit.value_changed.connect(self._on_inputs_changed)
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        set_role(self.due_label, "example")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(strings.MEASURE_REASON_PH)
        self.reason_edit.setFixedHeight(72)
        self.storage_edit = QLineEdit(place)
        self.storage_edit.setPlaceholderText(strings.MEASURE_STORAGE_PH)
        self.seal_view = QLabel()
        self.seal_view.setObjectName("sealPreview")
        self.seal_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seal_view.setWordWrap(True)
        self.seal_view.setMinimumHeight(150)
        self.seal_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seal_view.setStyleSheet(
            "QLabel#sealPreview { border: 2px solid #b3261e; color: #b3261e; background: white;"
            " font-size: 11pt; padding: 8px; }"
            "QLabel#sealPreview:disabled { border: 1px dashed #c7ced6; }"
        )

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        form.addRow(strings.MEASURE_KIND, self.kind_combo)
        form.addRow(strings.MEASURE_DECIDED_ON, self.date_edit)
        form.addRow(strings.MEASURE_DUE, self.due_label)
        form.addRow(strings.MEASURE_REASON, self.reason_edit)
        self.storage_label = QLabel(required_label(strings.MEASURE_STORAGE))
        form.addRow(self.storage_label, self.errors.wrap("storage_place", self.storage_edit))
        seal_box = QVBoxLayout()
        seal_title = QLabel(strings.MEASURE_SEAL_PREVIEW)
        set_role(seal_title, "sectionTitle")
        self.seal_hint = QLabel()
        set_role(self.seal_hint, "hint")
        self.seal_hint.setWordWrap(True)
        seal_box.addWidget(seal_title)
        seal_box.addWidget(self.seal_view)
        seal_box.addWidget(self.seal_hint)
        seal_box.addStretch(1)
        upper = QGridLayout()
        upper.addLayout(form, 0, 0)
        upper.addLayout(seal_box, 0, 1)
        upper.setColumnStretch(0, 3)
        upper.setColumnStretch(1, 2)
        upper.setHorizontalSpacing(24)

        goods_title = QLabel(required_label(strings.MEASURE_GOODS))
        set_role(goods_title, "sectionTitle")
        goods_hint = QLabel(strings.MEASURE_GOODS_HINT)
        set_role(goods_hint, "hint")
        self.add_row_button = QPushButton(strings.OFFICER_ADD_ROW)
        self.add_row_button.clicked.connect(self._on_add_row_clicked)
        self.remove_row_button = QPushButton(strings.OFFICER_REMOVE_ROW)
        self.remove_row_button.clicked.connect(self._on_remove_row_clicked)
        goods_bar = QHBoxLayout()
        goods_bar.addWidget(goods_title)
        goods_bar.addSpacing(8)
        goods_bar.addWidget(goods_hint, 1)
        goods_bar.addWidget(self.remove_row_button)
        goods_bar.addWidget(self.add_row_button)
        self.goods_model = GoodsTableModel(self)
        self.goods_table = QTableView()
        self.goods_table.setModel(self.goods_model)
        self.goods_table.setItemDelegate(LiveTextDelegate(self.goods_table))
        self.goods_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.goods_table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.goods_table.verticalHeader().setDefaultSectionSize(30)
        for column, width in enumerate(GOODS_WIDTHS):
            self.goods_table.setColumnWidth(column, width)
        self.goods_table.horizontalHeader().setSectionResizeMode(
            len(GOODS_WIDTHS), QHeaderView.ResizeMode.Stretch
        )
        goods_error = QLabel()
        goods_error.setWordWrap(True)
        set_role(goods_error, "error")
        goods_error.hide()
        self.errors.register("items", self.goods_table, goods_error)
        self.problems_label = QLabel()
        set_role(self.problems_label, "error")
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()

        self.buttons = ok_cancel(self, strings.SAVE, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addLayout(upper)
        layout.addSpacing(6)
        layout.addLayout(goods_bar)
        layout.addWidget(self.goods_table, 1)
        layout.addWidget(goods_error)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self.goods_model.add_row()
        self._on_inputs_changed()

    # ---- values ---------------------------------------------------------------------------------
    def kind(self) -> MeasureKind:
        return MeasureKind(self.kind_combo.currentData())

    def set_kind(self, kind: MeasureKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def set_lines(self, lines: list[GoodsLine]) -> None:
        self.goods_model.set_lines(lines)

    def decided_on(self) -> dt.date:
        """The typed 决定日期; today while the field is empty (it is never saved empty: see save())."""
        value = self.date_edit.value()
        return value if isinstance(value, dt.date) else self._ctx.today()

    def build_draft(self) -> MeasureDraft:
        return MeasureDraft(
            kind=self.kind(),
            decided_on=self.decided_on(),
            reason=self.reason_edit.toPlainText(),
            storage_place=self.storage_edit.text(),
            items=self.goods_model.lines(),
        )

    def _on_inputs_changed(self, *_args: object) -> None:
        kind = self.kind()
        decided_on = self.decided_on()
        preview = measure_views.due_preview(self._ctx, kind, decided_on)
        if preview is None:
            self.due_label.setText(strings.MEASURE_NO_DUE)
            self.due_label.setToolTip("")
        else:
            self.due_label.setText(strings.measure_due_preview(preview.title, preview.due, preview.warnings))
            self.due_label.setToolTip(strings.basis_tooltip(preview.basis, preview.warnings))
        seal = measure_views.seal_preview(self._ctx, kind, decided_on)
        self.seal_view.setText(seal)
        self.seal_view.setEnabled(bool(seal))
        self.seal_hint.setText(strings.MEASURE_SEAL_HINT if seal else strings.MEASURE_NO_SEAL)
        required = measure_views.storage_required(kind)
        self.storage_label.setText(
            required_label(strings.MEASURE_STORAGE) if required else strings.MEASURE_STORAGE
        )

    # ---- goods rows -----------------------------------------------------------------------------
    def _on_add_row_clicked(self) -> None:
        row = self.goods_model.add_row()
        index = self.goods_model.index(row, 0)
        self.goods_table.setCurrentIndex(index)
        self.goods_table.edit(index)

    def _on_remove_row_clicked(self) -> None:
        rows = {i.row() for i in self.goods_table.selectionModel().selectedIndexes()}
        if not rows and self.goods_table.currentIndex().isValid():
            rows = {self.goods_table.currentIndex().row()}
        self.goods_model.remove_rows(sorted(rows))

    # ---- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        self.goods_table.setFocus()  # closes an open cell editor (its text is in the model already)
        if not self.date_edit.commit():
            self.date_edit.setFocus()
            return False
        if self.date_edit.value() is None:
            self.date_edit.show_problem(strings.MEASURE_DECIDED_ON_MISSING)
            self.date_edit.setFocus()
            return False
        with Saving(self, self.errors, self.problems_label) as attempt:
            self.saved_id = measures.add_measure(self._ctx, self._matter_id, self.build_draft())
        return attempt.ok

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
