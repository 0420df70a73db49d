"""The two halves of the form registry agree with each other and with the shipped forms/*.toml."""

from __future__ import annotations

from fieldkit.catalog import load_formdefs
from fieldkit.domain.formrules import RULES, MadeFrom, MeasureEffect, rules_for
from fieldkit.domain.forms import FormGroup
from fieldkit.services.formhooks import HOOKS, hooks_for

DEFS = load_formdefs()


def test_every_registered_form_is_shipped() -> None:
    assert set(RULES) <= set(DEFS) and set(HOOKS) <= set(DEFS)


def test_a_form_is_filled_from_records_exactly_when_its_rules_say_so() -> None:
    for form_id in DEFS:
        made_from, fill = rules_for(form_id).made_from, hooks_for(form_id).fill
        assert (made_from is not MadeFrom.MATTER) == (fill is not None), form_id


def test_a_form_acting_on_a_measure_has_an_after_finalise_hook() -> None:
    for form_id in DEFS:
        if rules_for(form_id).effect is not MeasureEffect.NONE:
            assert hooks_for(form_id).after_finalise is not None, form_id
            assert DEFS[form_id].has_field(rules_for(form_id).cites_key), form_id


def test_shipped_forms_are_offered_where_they_are_made() -> None:
    wanted = {
        MadeFrom.MATTER: FormGroup.MATTER,
        MadeFrom.EVIDENCE: FormGroup.EVIDENCE,
        MadeFrom.ITEM: FormGroup.EVIDENCE,
        MadeFrom.MEASURE: FormGroup.MEASURES,
        MadeFrom.ACTIVE_MEASURE: FormGroup.MEASURES,
    }
    assert {f.id: f.group for f in DEFS.values()} == {f: wanted[rules_for(f).made_from] for f in DEFS}


def test_every_shipped_form_has_its_own_place_in_the_order() -> None:
    orders = [f.order for f in DEFS.values()]
    assert None not in orders and len(set(orders)) == len(orders)
