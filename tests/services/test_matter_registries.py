"""The per-kind registries of matters agree with each other and fill what the forms name."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert

from fieldkit.catalog import load_formdefs
from fieldkit.domain import prefill as P
from fieldkit.domain.forms import KNOWN_SOURCES
from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.matters import MatterKind
from fieldkit.errors import NotFound
from fieldkit.services import due, exchange, matters, measures
from fieldkit.services import prefill as providers
from fieldkit.services.context import Context
from fieldkit.store.schema import MATTER_PARENTS, InspectionRow
from tests.services.test_documents import make_inspection


def test_every_kind_of_matter_is_in_every_registry() -> None:
    kinds = set(MatterKind)
    assert set(MATTER_PARENTS) == kinds
    assert set(matters.DESCRIBERS) == kinds
    assert set(exchange.MATTER_SCOPES) == kinds
    assert set(due.DUE_BY_KIND) == kinds
    served = {k for g in P.GROUPS.values() if g.kinds is not None for k in g.kinds}
    assert served == kinds  # each kind has its own pre-fill group


def test_each_source_prefix_has_one_provider_and_every_form_source_is_known() -> None:
    assert set(providers.PROVIDERS) == set(P.GROUPS)
    for formdef in load_formdefs().values():
        for field in formdef.fields:
            assert field.source is None or field.source in KNOWN_SOURCES, (formdef.id, field.source)
    assert set(P.ALIASES.values()) <= KNOWN_SOURCES


def test_an_inspection_fills_every_key_of_the_groups_that_serve_it(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    with set_up_ctx.sessions() as session:
        values = providers.sources(session, set_up_ctx, inspection_id)  # type: ignore[arg-type]
        none = providers.sources(session, set_up_ctx, None)
        with pytest.raises(NotFound):
            providers.sources(session, set_up_ctx, uuid.uuid4())
    served = {k for g in P.GROUPS.values() if g.serves(MatterKind.INSPECTION) for k in g.keys}
    served -= {"subject.other_contact"}  # no column holds it yet: typed per document
    assert served <= set(values)
    assert values["inspection.officers"] == values["officers.all"] and values["officers.all"]
    assert values["agency.contact_person"] == values["officers.all"][0]["name"]
    # A document of no matter gets only what needs none (agency, today).
    assert set(none) == {k for g in P.GROUPS.values() if not g.needs_matter for k in g.keys}


def test_a_matter_is_described_by_its_kind(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    view = matters.describe(set_up_ctx, inspection_id)  # type: ignore[arg-type]
    assert view.kind is MatterKind.INSPECTION and view.kind_label == "检查" and view.live
    assert view.subject_name == "临沂市金源家超市有限公司" and view.subject_name in view.title
    assert view.title.startswith("检查 ") and len(view.officer_names) >= 2
    # the type by its label: the stored value is a code (issue 12 §4)
    assert "日常检查" in view.title and "routine" not in view.title
    with pytest.raises(NotFound):
        matters.describe(set_up_ctx, uuid.uuid4())


def test_due_items_say_their_matter_and_its_kind(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    measures.add_follow_up(set_up_ctx, inspection_id, InspectionType.FOLLOW_UP, set_up_ctx.today())  # type: ignore[arg-type]
    [item] = due.open_deadlines(set_up_ctx)
    assert (item.matter_id, item.matter_kind, item.kind) == (inspection_id, "inspection", "follow_up")
    assert item.subject_name == "临沂市金源家超市有限公司"


def test_the_export_of_one_matter_is_its_parent_and_all_its_children(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    other = make_inspection(set_up_ctx)
    measures.add_follow_up(set_up_ctx, inspection_id, InspectionType.FOLLOW_UP, set_up_ctx.today())  # type: ignore[arg-type]
    measures.add_follow_up(set_up_ctx, other, InspectionType.FOLLOW_UP, set_up_ctx.today())  # type: ignore[arg-type]
    with set_up_ctx.sessions() as session:
        plan = exchange.plan_export(session, matter_id=inspection_id)  # type: ignore[arg-type]
        kinds = sorted(type(r).__tablename__ for r in plan.rows)
        assert kinds == ["follow_up", "inspection", "subject"]
        assert all(getattr(r, "matter_id", inspection_id) == inspection_id for r in plan.rows)
        with pytest.raises(NotFound):
            exchange.plan_export(session, matter_id=uuid.uuid4())


def test_an_inspection_imported_through_core_is_a_matter_the_services_accept(set_up_ctx: Context) -> None:
    """What a bundle import does: no service creates the inspection, yet its matter is there."""
    from fieldkit.services.context import utc_now

    inspection_id = uuid.uuid4()
    now = utc_now()
    with set_up_ctx.sessions.begin() as session:
        session.execute(
            insert(InspectionRow.__table__),
            [
                {
                    "id": inspection_id,
                    "device_id": set_up_ctx.device_id,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "status": "draft",
                    "inspection_type": "routine",
                    "officers": [{"name": "张建国", "cert_no": "1"}, {"name": "李晓梅", "cert_no": "2"}],
                }
            ],
        )
    follow_up = measures.add_follow_up(
        set_up_ctx, inspection_id, InspectionType.FOLLOW_UP, set_up_ctx.today()
    )
    assert [i.record_id for i in due.open_deadlines(set_up_ctx)] == [follow_up]
    assert matters.describe(set_up_ctx, inspection_id).officer_names == ("张建国", "李晓梅")
