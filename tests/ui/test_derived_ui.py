"""Derived values are shown, not typed: 复议机关 and party type in the editor, the subject's type."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.catalog import load_formdef
from fieldkit.domain.agency import AgencyLevel
from fieldkit.domain.subjects import SubjectType
from fieldkit.services.context import Context
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog
from fieldkit.ui.widgets.agency_form import AgencyForm
from fieldkit.ui.widgets.document_form import DocumentForm
from fieldkit.ui.widgets.form_fields import FormEnv


def test_review_body_and_party_type_are_read_only_in_the_editor(qtbot: QtBot, fk_app: QApplication) -> None:
    form = DocumentForm(load_formdef("dangchang_chufa"), FormEnv())
    qtbot.addWidget(form)
    form.set_values({"government": "临沂市兰山区人民政府", "party_type": "个体工商户"})
    government = form.field("government")
    assert government.edit.isReadOnly()  # type: ignore[attr-defined]
    form.set_read_only(False)  # a draft opened for editing: still not editable
    assert government.edit.isReadOnly()  # type: ignore[attr-defined]
    assert not form.field("party_name").edit.isReadOnly()  # type: ignore[attr-defined]
    assert form.field("party_type")._read_only


def test_the_subject_type_follows_the_code_typed(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    dialog = SubjectDialog(set_up_ctx)
    qtbot.addWidget(dialog)
    assert dialog.type_combo.isEnabled() and dialog.type_hint.isHidden()
    dialog.edits["uscc"].setText("92141182MA0KXXXX5A")
    assert dialog.type_combo.currentData() == SubjectType.INDIVIDUAL_BUSINESS
    assert not dialog.type_combo.isEnabled()
    assert "第 1、2 位为「92」" in dialog.type_hint.text()
    dialog.edits["uscc"].setText("")
    dialog.edits["id_number"].setText("11010519491231002X")
    assert dialog.type_combo.currentData() == SubjectType.NATURAL_PERSON


def test_the_agency_form_derives_level_and_government_from_the_name(
    qtbot: QtBot, fk_app: QApplication
) -> None:
    form = AgencyForm(2026)
    qtbot.addWidget(form)
    form.full_name.setText("临沂市兰山区市场监督管理局")
    assert form.level.currentText() == "县级"
    assert form.government.placeholderText() == "临沂市兰山区人民政府"
    assert "临沂市兰山区人民政府" in form.remedy.text()
    draft = form.draft().completed()
    assert (draft.level, draft.government_name, draft.individual_cap) == (
        "county",  # codes in the data, labels on the screen (issue 12 §4)
        "临沂市兰山区人民政府",
        "citizen",
    )
    assert form.individual_cap.currentText() == "按公民：不超过二百元（默认）"
    form.level.setCurrentIndex(form.level.findData(AgencyLevel.CITY))
    form._on_level_activated(0)
    form.full_name.setText("临沂市兰山区市场监督管理局 ")
    assert form.level.currentText() == "设区的市级"  # a level the officer chose stays
