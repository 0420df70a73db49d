"""First-run setup (QWizard): 执法机关, 执法人员 (two or more), the 管理员 and their login password, 本机编号;
saved by services.setup (and services.access for the password, issue 13.1)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from fieldkit.domain.agency import OfficerDraft, validate_agency, validate_device_code, validate_team
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import access
from fieldkit.services.context import Context
from fieldkit.services.setup import plan_setup, run_setup
from fieldkit.ui import strings
from fieldkit.ui.dialogs.password_dialog import NewPasswordFields, set_first_password
from fieldkit.ui.dialogs.setup_confirm_dialog import SetupConfirmDialog
from fieldkit.ui.errors import problems_text, show_error
from fieldkit.ui.models.officer_drafts import OfficerDraftsModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.agency_form import AgencyForm
from fieldkit.ui.widgets.delegates import LiveTextDelegate
from fieldkit.ui.widgets.field_errors import FieldErrors

WIZARD_BUTTONS = {
    QWizard.WizardButton.BackButton: strings.WIZARD_BACK,
    QWizard.WizardButton.NextButton: strings.WIZARD_NEXT,
    QWizard.WizardButton.FinishButton: strings.WIZARD_FINISH,
    QWizard.WizardButton.CancelButton: strings.CANCEL,
}


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    set_role(label, "error")
    label.hide()
    return label


class AgencyPage(QWizardPage):
    def __init__(self, year: int) -> None:
        super().__init__()
        self.setTitle(strings.WIZARD_AGENCY_TITLE)
        self.setSubTitle(strings.WIZARD_AGENCY_SUB)
        self.form = AgencyForm(year)
        self.form.edited.connect(self._on_form_edited)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def validatePage(self) -> bool:
        problems = validate_agency(self.form.draft().completed())
        self.form.show_problems(problems)
        return not problems

    def _on_form_edited(self) -> None:
        # Problems already shown follow the typing: each goes as soon as it is fixed.
        if self.form.errors.any_shown():
            self.form.errors.show(validate_agency(self.form.draft()), focus=False)


class OfficersPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(strings.WIZARD_OFFICERS_TITLE)
        self.setSubTitle(strings.WIZARD_OFFICERS_SUB)
        self.model = OfficerDraftsModel(self)
        self.model.add_row()
        self.model.add_row()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(LiveTextDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 200)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(strings.OFFICER_ADD_ROW)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(strings.OFFICER_REMOVE_ROW)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.errors = _error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.errors)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._on_model_changed)

    def drafts(self) -> list[OfficerDraft]:
        return self.model.drafts()

    def _on_add_clicked(self) -> None:
        previous = self.model.drafts()
        row = self.model.add_row(previous[-1].unit if previous else "")
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.edit(self.model.index(row, 0))

    def _on_remove_clicked(self) -> None:
        self.model.remove_rows([i.row() for i in self.table.selectionModel().selectedRows()])

    def validatePage(self) -> bool:
        return self._show_problems()

    def _show_problems(self) -> bool:
        problems = validate_team(self.drafts())
        self.errors.setText(problems_text(problems))
        self.errors.setVisible(bool(problems))
        return not problems

    def _on_model_changed(self, *_args: object) -> None:
        if not self.errors.isHidden():  # a message already shown goes once the rows are right
            self._show_problems()


class AdminPage(QWizardPage):
    """Which of the officers just entered is the 管理员, and their password (twice)."""

    def __init__(self, officers: Callable[[], list[OfficerDraft]]) -> None:
        super().__init__()
        self._officers = officers
        self.setTitle(strings.WIZARD_ADMIN_TITLE)
        self.setSubTitle(strings.WIZARD_ADMIN_SUB)
        self.admin_combo = QComboBox()
        self.admin_combo.setMinimumWidth(240)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow(strings.FIRST_PASSWORD_ADMIN, self.admin_combo)
        self.fields = NewPasswordFields(form)
        hint = QLabel(strings.PASSWORD_RULE_HINT)
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.errors = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def initializePage(self) -> None:
        chosen = self.admin_combo.currentData()
        self.admin_combo.clear()
        for officer in self._officers():
            self.admin_combo.addItem(officer.name.strip(), officer.cert_no.strip())
        index = self.admin_combo.findData(chosen)
        self.admin_combo.setCurrentIndex(max(index, 0))

    def admin_cert(self) -> str:
        return str(self.admin_combo.currentData() or "")

    def password(self) -> str:
        return self.fields.password()

    def validatePage(self) -> bool:
        problem = self.fields.problem()
        self.errors.setText(problem or "")
        self.errors.setVisible(problem is not None)
        return problem is None


class DevicePage(QWizardPage):
    def __init__(self, finish: Callable[[], bool]) -> None:
        super().__init__()
        self._finish = finish
        self.setTitle(strings.WIZARD_DEVICE_TITLE)
        self.setSubTitle(strings.WIZARD_DEVICE_SUB)
        self.field_errors = FieldErrors()
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(strings.DEVICE_CODE_PH)
        self.code_edit.setMaxLength(6)
        self.code_edit.setMaximumWidth(220)
        hint = QLabel(strings.DEVICE_CODE_HINT)
        set_role(hint, "hint")
        self.example = QLabel()
        set_role(self.example, "example")
        self.errors = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(strings.DEVICE_CODE))
        layout.addWidget(self.field_errors.wrap("device_code", self.code_edit))
        layout.addWidget(hint)
        layout.addWidget(self.example, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.errors)
        layout.addStretch(1)
        self.code_edit.textChanged.connect(self._on_code_edit_text_changed)

    def validatePage(self) -> bool:
        return self._finish()

    def _on_code_edit_text_changed(self, text: str) -> None:
        if self.field_errors.any_shown():
            self.field_errors.show(validate_device_code(text), focus=False)


class SetupWizard(QWizard):
    """Finishing runs the setup; if the service still refuses, the problems stay on the last page."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(strings.WIZARD_TITLE)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in WIZARD_BUTTONS.items():
            self.setButtonText(button, text)
        self.resize(760, 560)
        self.agency_page = AgencyPage(ctx.today().year)
        self.officers_page = OfficersPage()
        # A store that already has a password (set up from the command line, then left half-done)
        # keeps it: the page is only for the first one.
        self.admin_page: AdminPage | None = (
            None if access.is_protected(ctx.data_dir) else AdminPage(self.officers_page.drafts)
        )
        self.device_page = DevicePage(self._finish)
        self.addPage(self.agency_page)
        self.addPage(self.officers_page)
        if self.admin_page is not None:
            self.addPage(self.admin_page)
        self.addPage(self.device_page)
        self.device_page.code_edit.textChanged.connect(self._on_device_code_changed)
        self._on_device_code_changed("")

    def _on_device_code_changed(self, code: str) -> None:
        form = self.agency_page.form
        form.set_device_code(code)
        self.device_page.example.setText(form.number_example())

    def initializePage(self, page_id: int) -> None:
        super().initializePage(page_id)
        self._on_device_code_changed(self.device_page.code_edit.text())

    def _finish(self) -> bool:
        page = self.device_page
        code = page.code_edit.text()
        page.errors.hide()
        problems = validate_device_code(code)
        page.field_errors.show(problems)
        if problems:
            return False
        agency, officers = self.agency_page.form.draft(), self.officers_page.drafts()
        try:
            plan = plan_setup(self._ctx, agency, officers, code)
            if not plan.first_time and plan.changes:
                # A data dir set up before (partly): say what changes and ask, as the settings page does.
                confirm = SetupConfirmDialog(plan, self)
                if confirm.exec() != SetupConfirmDialog.DialogCode.Accepted:
                    return False
            run_setup(self._ctx, agency, officers, code, new_series=plan.needs_new_series)
            if self.admin_page is not None and not access.is_protected(self._ctx.data_dir):
                admin = access.officer_id_by_cert(self._ctx, self.admin_page.admin_cert())
                set_first_password(self._ctx, admin, self.admin_page.password())
        except ValidationFailed as exc:
            page.errors.setText(problems_text(exc.problems))
            page.errors.show()
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        return True
