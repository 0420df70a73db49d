"""The agency's level and 个体工商户 cap are codes in the data and labels on screen and paper (issue 12
§4): the previous release's store migrated (and back), a new setup, the printed 复议 text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fieldkit.domain.agency import AgencyLevel, IndividualCap
from fieldkit.services import documents
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import load_settings, plan_setup, run_setup, update_agency
from fieldkit.store import db
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.fixtures.previous_release import unpack_store
from tests.services.test_codes_readers import pdftotext

REMEDY = "向临沂市兰山区人民政府申请行政复议"


def _agency(path: Path) -> tuple[str, str]:
    with rawdb.connect(path) as conn:
        ((level, cap),) = conn.execute("SELECT level, individual_cap FROM agency").fetchall()
    return level, cap


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def laptop_dir(tmp_path: Path) -> Path:
    return unpack_store(tmp_path / "laptop")


def test_the_previous_release_store_gets_codes_and_prints_what_it_printed(
    laptop_dir: Path, clock: Clock, tmp_path: Path
) -> None:
    path = laptop_dir / "fieldkit.db"
    assert _agency(path) == ("县级", "公民")  # what migration 0010 wrote there
    ctx = open_context(laptop_dir, clock=clock)
    assert _agency(path) == ("county", "citizen")
    agency = load_settings(ctx).agency
    assert (AgencyLevel(agency.level).label, IndividualCap(agency.individual_cap)) == (
        "县级",
        IndividualCap.CITIZEN,
    )
    # Saving the settings unchanged changes nothing: the stored codes are what the form gives back.
    assert plan_setup(ctx, agency, None, load_settings(ctx).device_code).changes == ()

    # On paper the 复议 text reads as the previous release printed it.
    (old,) = [d for d in documents.list_documents(ctx) if d.form_id == "dangchang_chufa"]
    old_doc = documents.load_document(ctx, old.id)
    new_id = documents.create_document(ctx, "dangchang_chufa", old_doc.matter_id)
    new_text = _flat(pdftotext(documents.preview(ctx, new_id).pdf, tmp_path, "new"))
    old_text = _flat(pdftotext(documents.preview(ctx, old.id).pdf, tmp_path, "old"))
    assert REMEDY in new_text and REMEDY in old_text
    for code in ("county", "citizen", "province", "organisation"):
        assert code not in new_text


def test_the_downgrade_gives_the_labels_back(laptop_dir: Path, clock: Clock) -> None:
    from alembic import command

    path = laptop_dir / "fieldkit.db"
    open_context(laptop_dir, clock=clock).sessions.kw["bind"].dispose()
    engine = db.make_engine(path, rawdb.key_of(path.parent))
    config = db.alembic_config()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # as store.db.migrate has them
        conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0013")
    engine.dispose()
    assert _agency(path) == ("县级", "公民")
    with rawdb.connect(path) as conn:  # the column's default is the label again, as 0010 made it
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'agency'").fetchone()
    assert "'公民'" in sql and "citizen" not in sql


def test_setup_stores_codes_and_a_raw_insert_defaults_to_a_code(ctx: Context) -> None:
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    path = ctx.data_dir / "fieldkit.db"
    assert _agency(path) == ("county", "citizen")  # the level derived from the full name
    update_agency(
        ctx, replace(TEST_AGENCY, level=AgencyLevel.CITY, individual_cap=IndividualCap.ORGANISATION), "A1"
    )
    assert _agency(path) == ("city", "organisation")
    with rawdb.connect(path) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'agency'").fetchone()
    assert "'citizen'" in sql and "公民" not in sql


def test_a_changed_level_is_listed_by_its_labels(set_up_ctx: Context) -> None:
    agency = load_settings(set_up_ctx).agency
    changed = replace(agency, level=AgencyLevel.CITY, individual_cap=IndividualCap.ORGANISATION)
    plan = plan_setup(set_up_ctx, changed, None, "A1")
    assert plan.lines() == [
        "机关层级：「县级」→「设区的市级」",
        "个体工商户当场罚款：「公民」→「法人或者其他组织」",
    ]
