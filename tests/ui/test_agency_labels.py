"""One label per agency field (issue 12 §4): the form's row labels, the problems under them and the
change list all say the domain's AGENCY_LABELS; the coded settings read back as labels on the page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from fieldkit.domain.agency import AGENCY_LABELS, AgencyDraft, validate_agency
from fieldkit.services.context import open_context
from fieldkit.ui.widgets.agency_form import AgencyForm
from fieldkit.ui.widgets.settings_page import SettingsPage
from tests.conftest import Clock
from tests.fixtures.previous_release import unpack_store


def _row_labels(form: AgencyForm) -> dict[str, str]:
    """field key → the text of its row's label, found through the widget each row wraps."""
    layout = form.form_layout
    out = {}
    for row in range(layout.rowCount()):
        label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None or not isinstance(label.widget(), QLabel):
            continue
        for key in AGENCY_LABELS:
            edit = getattr(form, {"government_name": "government"}.get(key, key))
            if field.widget() is edit or field.widget().isAncestorOf(edit):
                out[key] = label.widget().text()
    return out


def test_the_form_the_problems_and_the_domain_say_one_label(qtbot: QtBot, fk_app: QApplication) -> None:
    form = AgencyForm(2026)
    qtbot.addWidget(form)
    assert _row_labels(form) == AGENCY_LABELS
    # Every problem starts with the label of the row it is shown under.
    bad = AgencyDraft(full_name="", short_name="", level="县", individual_cap="个体")
    problems = validate_agency(bad)
    fields = {p.field.removeprefix("agency.") for p in problems}
    assert fields == {"full_name", "short_name", "level", "individual_cap", "government_name"}
    for problem in problems:
        assert problem.message.startswith(AGENCY_LABELS[problem.field.removeprefix("agency.")] + "："), (
            problem
        )
    assert form.show_problems(problems) == []  # each has its row


def test_the_settings_page_shows_the_previous_release_settings_by_label(
    qtbot: QtBot, fk_app: QApplication, tmp_path: Path, clock: Clock
) -> None:
    ctx = open_context(unpack_store(tmp_path / "laptop"), clock=clock)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.load()
    form = page.agency_form
    assert (form.level.currentText(), form.level.currentData()) == ("县级", "county")
    assert form.individual_cap.currentText() == "按公民：不超过二百元（默认）"
    assert form.individual_cap.currentData() == "citizen"
    page.save_button.click()  # the codes the form gives back are the stored ones: nothing to change
    assert page.confirm_dialog is None and page.message.text() == "设置没有变化。"
