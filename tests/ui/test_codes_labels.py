"""The screens show labels and hand codes on (issue 12 §4): choices, the check table, the conflict view."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import CheckEntry, Outcome
from fieldkit.domain.subjects import FIELD_LABELS, SubjectType
from fieldkit.services.context import Context
from fieldkit.services.exchange_views import ConflictView
from fieldkit.ui import strings
from fieldkit.ui.dialogs.conflict_dialog import comparison_rows
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog
from fieldkit.ui.models.check_table import COL_RESULT, CheckTableModel
from fieldkit.ui.widgets.field_errors import FieldErrors
from fieldkit.ui.widgets.outcome_panel import OutcomePanel


def test_the_subject_type_combo_shows_labels_and_keeps_codes(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    dialog = SubjectDialog(set_up_ctx)
    qtbot.addWidget(dialog)
    combo = dialog.type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [t.label for t in SubjectType]
    assert [combo.itemData(i) for i in range(combo.count())] == list(SubjectType)


def test_outcome_radios_and_check_results_read_as_labels(qtbot: QtBot, fk_app: QApplication) -> None:
    panel = OutcomePanel(FieldErrors())
    qtbot.addWidget(panel)
    assert [panel.radios[o].text() for o in Outcome] == ["无问题", "责令改正", "轻微免罚", "立案调查", "移送"]
    model = CheckTableModel()
    model.set_entries([CheckEntry("food_business", "SP-01", "经营资质", "是否取得许可证")])
    index = model.index(0, COL_RESULT)
    assert model.setData(index, CheckResult.FAIL.value)  # the delegate hands the code on
    assert model.entry(0).result is CheckResult.FAIL
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "不符合"
    assert "1 符合、2 不符合、3 不涉及" in strings.EDITOR_KEY_HINT


def test_a_conflict_names_fields_and_values_as_the_editors_do() -> None:
    view = ConflictView(
        id=uuid.uuid4(),
        record_type="subject",
        record_id=str(uuid.uuid4()),
        version=2,
        bundle_id="b",
        incoming_device_id="d",
        incoming_device_code="A2",
        detected_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        title="某超市",
        incoming={"subject_type": "individual_business", "id_number": "11010519491231002X"},
        stored={"subject_type": "enterprise", "id_number": ""},
    )
    rows = {label: (stored, incoming) for label, stored, incoming, _differs in comparison_rows(view)}
    assert rows[FIELD_LABELS["subject_type"]] == ("企业", "个体工商户")
    assert FIELD_LABELS["id_number"] == "身份证号码" in rows
    assert strings.record_field("inspection", "officers") == "执法人员"
    assert strings.record_field("evidence_item", "kind") == "证据种类"
    assert strings.record_field("measure", "kind") == "种类"  # no domain table: the column's word
    assert strings.record_value("subject", "subject_type", "unknown") == "unknown"
    assert strings.record_value("measure", "kind", "seize") == "扣押"
    assert strings.record_value("follow_up", "kind", "recheck") == "复查"
