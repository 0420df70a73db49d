"""The big list models pass Qt's model tester and fetch their rows lazily, a page at a time."""

from __future__ import annotations

import uuid
from functools import partial
from pathlib import Path

from pytestqt.modeltest import ModelTester

from fieldkit.catalog import load_checklists
from fieldkit.domain.inspections import checks_for_domains
from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.services.subject_import import import_subjects
from fieldkit.services.subjects import SubjectListItem, search_subject_ids, subject_items
from fieldkit.ui.models.check_table import CheckTableModel
from fieldkit.ui.models.inspection_table import InspectionTableModel
from fieldkit.ui.models.lazy_table import IdRole
from fieldkit.ui.models.subject_table import SubjectTableModel


def add_many_subjects(ctx: Context, n: int, tmp_path: Path) -> None:
    csv = tmp_path / "名录.csv"
    rows = "\n".join(f"兰山区商户{i:03d},山东省临沂市兰山区人民路{i}号" for i in range(n))
    csv.write_text("企业名称,经营场所\n" + rows + "\n", encoding="utf-8")
    assert import_subjects(ctx, csv).accepted == n


def test_subject_table_pages_rows_in(qtmodeltester: ModelTester, set_up_ctx: Context, tmp_path: Path) -> None:
    add_many_subjects(set_up_ctx, 460, tmp_path)
    fetched: list[int] = []

    def fetch(ids: list[uuid.UUID]) -> list[SubjectListItem]:
        fetched.append(len(ids))
        return subject_items(set_up_ctx, ids)

    model = SubjectTableModel(fetch)
    model.set_ids(search_subject_ids(set_up_ctx))
    assert fetched == []  # nothing read before a row is shown
    assert model.index(449, 0).data() == "兰山区商户449"
    assert fetched == [60]  # one page: rows 400–459
    assert model.index(401, 4).data() == "山东省临沂市兰山区人民路401号"
    assert fetched == [60]  # same page, no new query
    assert model.index(199, 0).data() == "兰山区商户199"
    assert fetched == [60, 200]
    qtmodeltester.check(model)
    assert model.index(3, 0).data(IdRole) == search_subject_ids(set_up_ctx)[3]


def test_inspection_table_passes_the_model_tester(qtmodeltester: ModelTester, set_up_ctx: Context) -> None:
    subject = search_subject_ids(set_up_ctx)
    ids = [inspections.new_inspection(set_up_ctx, subject[0] if subject else None) for _ in range(455)]
    model = InspectionTableModel(partial(inspections.inspection_items, set_up_ctx))
    model.set_ids(inspections.inspection_ids(set_up_ctx))
    assert model.rowCount() == 455 and model.fetch_count == 0
    assert model.index(454, 6).data() == "草稿"
    assert model.fetch_count == 1
    assert set(model.ids()) == set(ids)
    qtmodeltester.check(model)


def test_check_table_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CheckTableModel()
    model.set_entries(checks_for_domains(load_checklists()[:2]))
    qtmodeltester.check(model)
