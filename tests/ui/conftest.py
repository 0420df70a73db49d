"""UI fixtures: the real QApplication set-up, a set-up store with subjects, and data helpers."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.domain.validators import org_code_check_char, uscc_check_char
from fieldkit.services.context import Context
from fieldkit.services.subjects import add_subject
from fieldkit.ui.app import create_application


def valid_uscc(n: int, prefix: str = "91") -> str:
    """A code that passes both check characters (GB 32100 and the embedded GB 11714 one)."""
    org8 = f"MA{n:06d}"
    body = prefix + "371302" + org8 + org_code_check_char(org8)
    return body + uscc_check_char(body)


def add_subjects(ctx: Context, names: list[str]) -> list[object]:
    return [
        add_subject(
            ctx,
            SubjectDraft(
                name=name,
                subject_type=SubjectType.ENTERPRISE,
                uscc=valid_uscc(i),
                legal_rep="王喆",
                address=f"山东省临沂市兰山区人民路{i + 1}号",
            ),
        )
        for i, name in enumerate(names)
    ]


@pytest.fixture
def fk_app(qapp: QApplication) -> QApplication:
    """pytest-qt's QApplication with FieldKit's translator, font and style."""
    return create_application()


def fill_admin(wizard: object, password: str = "") -> None:
    """The wizard's 管理员 page (issue 13.1): the first officer, the tests' password twice; then 下一步."""
    from fieldkit.ui.dialogs.setup_wizard import SetupWizard
    from tests.rawdb import TEST_PASSWORD

    assert isinstance(wizard, SetupWizard) and wizard.admin_page is not None
    assert wizard.currentPage() is wizard.admin_page
    wizard.admin_page.fields.new_edit.setText(password or TEST_PASSWORD)
    wizard.admin_page.fields.again_edit.setText(password or TEST_PASSWORD)
    wizard.next()
