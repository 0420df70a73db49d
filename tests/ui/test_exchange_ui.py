"""数据交换 through the page: export on a laptop, register it at the office, import, refusals, conflicts."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.bundle.errors import BundleRefused
from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.services import evidence, exchange_views, inspections, subjects
from fieldkit.services.context import Context
from fieldkit.services.exchange import ImportReport
from fieldkit.services.setup import run_setup
from fieldkit.ui import strings
from fieldkit.ui.widgets.exchange_page import ExchangePage
from fieldkit.ui.widgets.inspections_page import InspectionsPage
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS
from tests.ui.conftest import add_subjects
from tests.ui.photos import camera_card

TIMEOUT = 30_000


def page_for(qtbot: QtBot, ctx: Context) -> ExchangePage:
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    return page


def export(qtbot: QtBot, page: ExchangePage, folder: Path, **kw: object) -> object:
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as blocker:
        page.start_export(folder, **kw)  # type: ignore[arg-type]
    return blocker.args[0]


def import_(qtbot: QtBot, page: ExchangePage, path: Path, key: Path | None = None) -> object:
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as blocker:
        page.start_import(path, key)
    return blocker.args[0]


@pytest.fixture
def laptop(set_up_ctx: Context, tmp_path: Path) -> tuple[Context, uuid.UUID]:
    """A laptop with an inspection and two photos."""
    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    inspection_id = inspections.new_inspection(set_up_ctx, subject)  # type: ignore[arg-type]
    item = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="现场照片"))
    evidence.add_files(set_up_ctx, item, [camera_card(tmp_path / "card", 2)])
    return set_up_ctx, inspection_id


@pytest.fixture
def office(make_ctx: Callable[[str], Context]) -> Context:
    ctx = make_ctx("office")
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "OF")
    return ctx


def register(qtbot: QtBot, laptop_page: ExchangePage, office_page: ExchangePage, tmp_path: Path) -> None:
    """The officer saves the laptop's key to the stick; the office registers it after comparing fingerprints."""
    pem = tmp_path / "A1.pub.pem"
    assert laptop_page.device_key.save_to(pem)
    dialog = office_page.open_trust_dialog()
    dialog.load_file(pem)
    assert dialog.fingerprint_label.text() == laptop_page.device_key.fingerprint_label.text()
    dialog.name_edit.setText("兰山所 A1 号电脑")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert office_page.device_model.rowCount() == 1
    assert office_page.device_model.index(0, 0).data() == "兰山所 A1 号电脑"


def test_export_then_nothing_new_then_import_at_the_office(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    tmp_path: Path,
) -> None:
    ctx, inspection_id = laptop
    laptop_page = page_for(qtbot, ctx)
    assert laptop_page.officer_combo.currentText() == "张建国"
    assert laptop_page.device_code_label.text() == "A1"
    assert "BEGIN PUBLIC KEY" in laptop_page.device_key.pem()

    result = export(qtbot, laptop_page, tmp_path / "usb")
    bundle = result.path  # type: ignore[attr-defined]
    assert bundle.suffix == ".fkb" and bundle.exists()
    assert str(bundle) in laptop_page.export_banner.text() and "记录" in laptop_page.export_banner.text()
    assert laptop_page.open_folder_button.isVisibleTo(laptop_page)

    again = export(qtbot, laptop_page, tmp_path / "usb")
    assert type(again).__name__ == "NothingNew"
    assert laptop_page.export_banner.text() == strings.EXPORT_NOTHING_NEW
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == [bundle.name]  # no empty bundle

    office_page = page_for(qtbot, office)
    office_page.show_tab(1)
    register(qtbot, laptop_page, office_page, tmp_path)
    report = import_(qtbot, office_page, bundle)
    assert isinstance(report, ImportReport) and report.inserted > 0 and not report.conflicts
    dialog = office_page.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary().startswith(f"新增 {report.inserted} 条，更新 0 条")
    assert dialog.origin.text().startswith("来自 A1 号设备，导出人 张建国")
    assert office_page.bundle_model.rowCount() == 1
    assert [office_page.bundle_model.index(0, c).data() for c in (0, 1)] == ["A1", "张建国"]
    # The imported inspection is in the office store, with its origin.
    assert inspection_id in inspections.inspection_ids(office)
    assert exchange_views.inspection_origins(office, [inspection_id]) == {inspection_id: "A1"}
    listed = InspectionsPage(office)  # the office's inspection list names the laptop it came from
    qtbot.addWidget(listed)
    listed.refresh()
    assert listed.model.headerData(8, Qt.Orientation.Horizontal) == "来源设备"
    assert not listed.table.isColumnHidden(8)
    assert listed.model.index(listed.model.row_of(inspection_id), 8).data() == "A1"

    import_(qtbot, office_page, bundle)
    assert office_page.report_dialog is not None
    assert office_page.report_dialog.summary() == strings.BUNDLE_ALREADY_IMPORTED


def test_a_tampered_bundle_shows_every_refusal_problem(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    tmp_path: Path,
) -> None:
    ctx, _ = laptop
    laptop_page = page_for(qtbot, ctx)
    bundle = export(qtbot, laptop_page, tmp_path / "usb").path  # type: ignore[attr-defined]
    office_page = page_for(qtbot, office)  # the device is not registered: refused for that too
    tampered = tmp_path / "tampered.fkb"
    shutil.copy(bundle, tampered)
    with zipfile.ZipFile(bundle) as z:
        member = next(i for i in z.infolist() if i.filename.startswith("files/"))
    data = bytearray(tampered.read_bytes())
    at = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra) + 500
    data[at] ^= 0xFF  # one flipped byte inside a stored photo
    tampered.write_bytes(bytes(data))

    refused = import_(qtbot, office_page, tampered)
    assert isinstance(refused, BundleRefused) and len(refused.problems) >= 2
    dialog = office_page.problems_dialog
    assert dialog is not None and dialog.isVisible()
    assert [line[1] for line in dialog.lines()] == refused.problems  # every problem, in order
    assert any(member.filename.removeprefix("files/")[:12] in p for p in refused.problems)
    assert "拒收" in office_page.import_banner.text()
    assert exchange_views.imported_bundles(office) == [] and inspections.inspection_ids(office) == []


def test_encrypted_export_and_a_conflict_shown_side_by_side(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    tmp_path: Path,
) -> None:
    ctx, _ = laptop
    laptop_page = page_for(qtbot, ctx)
    office_page = page_for(qtbot, office)
    register(qtbot, laptop_page, office_page, tmp_path)
    assert office_page.generate_office_key()
    assert not office_page.office_key_card.isHidden()
    office_pub = tmp_path / "office.pub.pem"
    assert office_page.office_key.save_to(office_pub)

    sealed = export(qtbot, laptop_page, tmp_path / "usb", encrypt_to=office_pub).path  # type: ignore[attr-defined]
    assert sealed.name.endswith(".fkb.enc") and exchange_views.is_encrypted(sealed)
    first = import_(qtbot, office_page, sealed, exchange_views.office_key_path(office))
    assert isinstance(first, ImportReport) and first.inserted > 0

    # The same subject edited to version 2 on both sides, differently.
    [subject_id] = subjects.search_subject_ids(office, "金源")
    draft = subjects.get_subject(office, subject_id).draft
    subjects.update_subject(office, subject_id, replace(draft, phone="0539-1111111"))
    subjects.update_subject(ctx, subject_id, replace(draft, phone="0539-2222222"))
    second = export(qtbot, laptop_page, tmp_path / "usb2").path  # type: ignore[attr-defined]
    report = import_(qtbot, office_page, second)
    assert isinstance(report, ImportReport) and len(report.conflicts) == 1
    assert office_page.office_tabs.currentIndex() == 1
    assert office_page.office_tabs.tabText(1) == "冲突（1）"
    assert office_page.conflict_model.index(0, 1).data() == "临沂市金源家超市有限公司"
    dialog = office_page.show_conflict(0)
    assert dialog is not None
    rows = [[dialog.model.index(r, c).data() for c in range(3)] for r in range(dialog.model.rowCount())]
    assert rows == [["联系电话", "0539-1111111", "0539-2222222"]]  # only the differing field
    assert subjects.get_subject(office, subject_id).draft.phone == "0539-1111111"  # not overwritten
    dialog.take_button.click()  # no reason yet: refused, nothing changes
    assert dialog.problems.isVisible() and "处理理由" in dialog.problems.text()
    assert subjects.get_subject(office, subject_id).draft.phone == "0539-1111111"
    dialog.reason.setText("已电话向当事人核实，以新号码为准")
    dialog.take_button.click()
    assert subjects.get_subject(office, subject_id).draft.phone == "0539-2222222"
    assert office_page.office_tabs.tabText(1) == "冲突（0）"


def test_an_unregistered_laptop_is_trusted_on_the_spot_and_its_encrypted_bundle_imported(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    tmp_path: Path,
) -> None:
    """Issue 10 item 8: no advice to re-export — the fingerprint and 本机编号 are shown, the officer
    confirms, the trust is audited, the bundle is decrypted with the office's own key and imported."""
    from fieldkit.bundle import keys
    from fieldkit.services import exchange, integrity
    from fieldkit.ui.dialogs.trust_offer_dialog import TrustOfferDialog

    ctx, inspection_id = laptop
    (tmp_path / "office.pub").write_text(exchange.office_keygen(office))
    sealed = export(qtbot, page_for(qtbot, ctx), tmp_path / "usb", encrypt_to=tmp_path / "office.pub").path  # type: ignore[attr-defined]
    office_page = page_for(qtbot, office)
    office_page.show_tab(1)

    with qtbot.waitSignal(office_page.verify_finished, timeout=TIMEOUT):
        office_page.start_verify(sealed)
    dialog = office_page.trust_dialog
    assert isinstance(dialog, TrustOfferDialog) and dialog.isVisible()
    fp = keys.fingerprint(keys.load_device_public_key(exchange.ensure_device_key(ctx)))
    shown = dialog.fingerprint_label.text().split()
    assert shown == keys.format_fingerprint(fp).split() and dialog.offer.device_code == "A1"
    assert not dialog.ok_button.isEnabled()  # not before the officer says the fingerprints match
    dialog.grab().save(str(tmp_path / "offer.png"))
    dialog.reject()
    assert exchange_views.trusted_device_list(office) == []

    with qtbot.waitSignal(office_page.import_finished, timeout=TIMEOUT):
        office_page.start_import(sealed)
    dialog = office_page.trust_dialog
    assert isinstance(dialog, TrustOfferDialog)
    dialog.confirm_check.setChecked(True)
    with qtbot.waitSignal(office_page.import_finished, timeout=TIMEOUT) as blocker:
        dialog.ok_button.click()
    report = blocker.args[0]
    assert isinstance(report, ImportReport) and report.inserted > 0
    [device] = exchange_views.trusted_device_list(office)
    assert device.device_code == "A1" and device.fingerprint == fp
    assert inspection_id in inspections.inspection_ids(office)
    assert integrity.verify_audit(office).ok
    with office.sessions() as session:
        from sqlalchemy import select

        from fieldkit.store.schema import AuditRow

        assert "trust" in session.scalars(select(AuditRow.action)).all()


def test_verify_says_in_beijing_time_what_the_import_will_count(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    tmp_path: Path,
) -> None:
    from fieldkit.services import exchange

    ctx, _inspection_id = laptop
    exchange.trust_device(office, exchange.ensure_device_key(ctx), "A1")
    bundle = export(qtbot, page_for(qtbot, ctx), tmp_path / "usb").path  # type: ignore[attr-defined]
    office_page = page_for(qtbot, office)
    office_page.show_tab(1)
    with qtbot.waitSignal(office_page.verify_finished, timeout=TIMEOUT):
        office_page.start_verify(bundle)
    text = office_page.import_banner.text()
    assert "2026-03-02 10:00 导出" in text  # the test clock: 02:00 UTC
    promised = text.split("导入将：")[1].removesuffix("尚未导入。")
    office_page.grab().save(str(tmp_path / "verified.png"))
    report = import_(qtbot, office_page, bundle)
    assert isinstance(report, ImportReport)
    assert office_page.report_dialog is not None and office_page.report_dialog.summary() == promised


def test_the_trust_dialog_refuses_a_code_another_laptop_holds(
    qtbot: QtBot,
    fk_app: QApplication,
    laptop: tuple[Context, uuid.UUID],
    office: Context,
    make_ctx: Callable[[str], Context],
    tmp_path: Path,
) -> None:
    """Issue 9 item 2: the registry holds each laptop's 本机编号; a second laptop with it is refused."""
    from fieldkit.services import exchange

    ctx, _inspection_id = laptop
    exchange.trust_device(office, exchange.ensure_device_key(ctx), "兰山所 A1 号电脑", device_code="A1")
    twin = make_ctx("twin")
    run_setup(twin, TEST_AGENCY, TEST_OFFICERS, "A1")
    office_page = page_for(qtbot, office)
    office_page.show_tab(1)
    office_page.office_tabs.setCurrentIndex(2)
    assert office_page.device_model.index(0, 1).data() == "A1"
    dialog = office_page.open_trust_dialog()
    dialog.pem_edit.setPlainText(exchange.ensure_device_key(twin))
    dialog.name_edit.setText("另一台电脑")
    dialog.code_edit.setText("A1")
    dialog.buttons.accepted.emit()
    assert (
        dialog.isVisible()
        and "本机编号：A1 已登记给受信任的电脑「兰山所 A1 号电脑」" in dialog.error_label.text()
    )
    dialog.grab().save(str(tmp_path / "trust-refused.png"))
    assert len(exchange_views.trusted_device_list(office)) == 1


def test_a_changed_finalised_revision_is_shown_as_such_and_cannot_be_taken_over(
    qtbot: QtBot,
    fk_app: QApplication,
    set_up_ctx: Context,
    office: Context,
    tmp_path: Path,
) -> None:
    """Issue 11 item 1: the import report and the conflict say why a record was not written."""

    from fieldkit.services import documents, exchange
    from tests.services.test_documents import make_inspection, rectification

    laptop = set_up_ctx
    documents.print_document(laptop, rectification(laptop, make_inspection(laptop)), accept_warnings=True)  # type: ignore[arg-type]
    exchange.trust_device(office, exchange.ensure_device_key(laptop), "A1")
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a").path)
    forged = documents.file_store(laptop).add_bytes(b"%PDF-1.4 forged", name="x.pdf").sha256
    with rawdb.connect(laptop.data_dir / "fieldkit.db") as conn:
        conn.execute("UPDATE document_revision SET pdf_sha256 = ?, version = version + 1", (forged,))
    office_page = page_for(qtbot, office)
    office_page.show_tab(1)
    report = import_(qtbot, office_page, exchange.export_bundle(laptop, tmp_path / "b").path)
    assert isinstance(report, ImportReport) and len(report.conflicts) == 1
    dialog = office_page.report_dialog
    assert dialog is not None
    assert dialog.model.index(0, 4).data() == "改动已定稿的文书"
    dialog.grab().save(str(tmp_path / "report.png"))
    dialog.close()
    conflict = office_page.show_conflict(0)
    assert conflict is not None and not conflict.take_button.isEnabled() and conflict.keep_button.isEnabled()
    conflict.grab().save(str(tmp_path / "conflict.png"))


def test_conflict_values_show_times_in_beijing_time() -> None:
    """Issue 10 item 8: records keep UTC; the office reads 北京时间 (a 01:30 UTC start is 09:30)."""
    from fieldkit.ui.dialogs.conflict_dialog import value_text

    assert value_text("2026-03-02T01:30:00+00:00") == "2026-03-02 09:30"
    assert value_text("2026-03-02") == "2026-03-02" and value_text("兰山区人民路18号") == "兰山区人民路18号"
