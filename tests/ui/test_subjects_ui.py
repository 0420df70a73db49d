"""Subjects through the UI: add with a failing USCC kept for a reason, then find it by 2 characters."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.domain.subjects import SubjectType
from fieldkit.services.context import Context
from fieldkit.services.subjects import get_subject, search_subject_ids
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog
from fieldkit.ui.widgets.subject_search import DEBOUNCE_MS
from fieldkit.ui.widgets.subjects_page import SubjectsPage
from tests.ui.conftest import add_subjects, valid_uscc
from tests.ui.keys import type_text


def bad_check_char(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_add_subject_keeping_a_failing_uscc_with_a_reason(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    dialog = SubjectDialog(set_up_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.edits["name"], "临沂市喆堃鲜果超市有限公司")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(SubjectType.INDIVIDUAL_BUSINESS))
    uscc = bad_check_char(valid_uscc(42, "92"))
    type_text(dialog.edits["uscc"], uscc.lower())
    type_text(dialog.edits["legal_rep"], "赵堃")
    type_text(dialog.edits["address"], "山东省临沂市兰山区解放路6号")

    dialog.buttons.accepted.emit()  # 保存: refused with the warning under the code and the keep row
    assert dialog.saved_id is None
    uscc_error = dialog.errors.label("uscc")
    assert uscc_error.isVisible() and uscc_error.text().startswith("统一社会信用代码：校验位应为")
    assert dialog.keep_box.isVisible()

    dialog.keep_button.click()  # no reason yet: asks for it
    assert dialog.note_error.isVisible() and dialog.saved_id is None
    type_text(dialog.note_edit, "营业执照原件如此，已核对")
    dialog.keep_button.click()
    assert dialog.saved_id is not None
    saved = get_subject(set_up_ctx, dialog.saved_id).draft
    assert saved.uscc == uscc and saved.uscc_note == "营业执照原件如此，已核对"
    assert saved.subject_type is SubjectType.INDIVIDUAL_BUSINESS


def test_required_name_is_shown_under_the_field(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    dialog = SubjectDialog(set_up_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.accepted.emit()
    label = dialog.errors.label("name")
    assert label.isVisible() and label.text().startswith("名称（姓名）")
    assert dialog.focusWidget() is dialog.edits["name"]


def test_new_subject_is_found_by_a_two_character_query(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    add_subjects(set_up_ctx, ["临沂市金源超市有限公司", "兰山区张记小吃店"])
    page = SubjectsPage(set_up_ctx)
    qtbot.addWidget(page)
    page.show()
    page.page_shown()
    assert page.search.model.rowCount() == 2

    dialog = page.open_subject_dialog(None)
    type_text(dialog.edits["name"], "临沂市喆堃鲜果超市")
    type_text(dialog.edits["uscc"], valid_uscc(7))
    dialog.buttons.accepted.emit()
    assert dialog.saved_id is not None
    assert page.search.selected_id() == dialog.saved_id  # the list refreshed and selected it

    for query, expected in (("喆堃", 1), ("超", 2), ("鲜果超市", 1), ("小吃", 1)):
        page.search.search_edit.clear()
        type_text(page.search.search_edit, query)
        qtbot.wait(DEBOUNCE_MS + 150)
        assert page.search.model.rowCount() == expected, query
    assert page.search.model.index(0, 0).data() == "兰山区张记小吃店"
    assert len(search_subject_ids(set_up_ctx, "喆堃")) == 1
