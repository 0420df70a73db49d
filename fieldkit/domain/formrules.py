"""The pure half of the form registry: what a form does beyond its TOML, keyed by form id.

A form's definition (forms/<id>.toml) says its fields, layout, title, order and group. What code does for
some forms lives in two registries keyed the same way, this one and services/formhooks.py (the half that
reads the store: fill values, before print, after finalise, images). Here: the procedure checks run
before printing for signature, what a draft is made from, and which measures a form imposes, is made
from, or settles. A form without an entry (a province's plain form: one TOML file) gets PLAIN: drafted
from its matter's pre-fill, checked by its field rules and the rules of every form.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from fieldkit.domain import forms as F
from fieldkit.domain import preprint as R
from fieldkit.domain.agency import IndividualCap
from fieldkit.domain.measures import MeasureKind
from fieldkit.domain.problems import Problem


class MadeFrom(enum.StrEnum):
    """What a draft of the form is filled from, besides its matter's pre-fill."""

    MATTER = "matter"  # nothing else: any plain form
    EVIDENCE = "evidence"  # every evidence item of the matter (证据清单)
    ITEM = "item"  # one evidence item, which must be picked
    MEASURE = "measure"  # one measure, which must be picked
    ACTIVE_MEASURE = "active_measure"  # an active measure of its kinds: the one picked, else the latest


class MeasureEffect(enum.StrEnum):
    """What printing the form for signature does to the measure it names."""

    NONE = "none"
    EXTEND = "extend"  # 行政强制法第二十五条: day 30 becomes day 60, once
    RELEASE = "release"  # 行政强制法第二十八条; 程序规定第三十五条


@dataclass(frozen=True)
class FormRules:
    checks: tuple[R.Rule, ...] = ()  # procedure rules before printing (domain/preprint.py)
    made_from: MadeFrom = MadeFrom.MATTER
    measure_kinds: frozenset[MeasureKind] = frozenset()  # the measures it is made from or acts on
    decides: frozenset[MeasureKind] = frozenset()  # the notice or decision imposing these measures
    effect: MeasureEffect = MeasureEffect.NONE
    cites_key: str = ""  # the field taking the 文号 of the decision behind its measure
    goods_list: bool = False  # the 清单 of a measure's goods, cited by its decision (行政强制法第二十四条)

    @property
    def needs_record(self) -> bool:
        """A draft needs an evidence item or a measure picked on its screen; the matter is not enough."""
        return self.made_from in (MadeFrom.ITEM, MadeFrom.MEASURE)


PLAIN = FormRules()

_SEIZURE = frozenset({MeasureKind.SEAL, MeasureKind.SEIZE})
_RECORD = (R.two_officers("officers"), R.time_order("start_at", "end_at"), R.record_duration)

RULES: Mapping[str, FormRules] = {
    "xianchang_bilu": FormRules(
        checks=(
            *_RECORD,
            R.witness_when_absent("party_presence", "witness", R.coercive_record),
            R.av_record_when_absent,
        )
    ),
    "xunwen_bilu": FormRules(checks=(*_RECORD, R.first_interview_rights)),
    "zhengju_tiqu": FormRules(checks=(R.two_officers("officers"),), made_from=MadeFrom.ITEM),
    "zhengju_qingdan": FormRules(made_from=MadeFrom.EVIDENCE),
    "dianzi_shuju_tiqu": FormRules(checks=(*_RECORD, R.file_hashes), made_from=MadeFrom.ITEM),
    "xianxing_baocun": FormRules(
        checks=(R.preservation_emergency,), decides=frozenset({MeasureKind.PRESERVATION})
    ),
    "qiangzhi_cuoshi": FormRules(checks=(R.seizure_period,), decides=_SEIZURE),
    "yanchang_qiangzhi": FormRules(
        checks=(R.seizure_extension, R.original_before_decision),
        made_from=MadeFrom.ACTIVE_MEASURE,
        measure_kinds=_SEIZURE,
        effect=MeasureEffect.EXTEND,
        cites_key="decision_number",
    ),
    "jiechu_qiangzhi": FormRules(
        checks=(R.original_before_decision,),
        made_from=MadeFrom.ACTIVE_MEASURE,
        measure_kinds=_SEIZURE,
        effect=MeasureEffect.RELEASE,
        cites_key="decision_number",
    ),
    "jiechu_baocun": FormRules(
        checks=(R.original_before_decision,),
        made_from=MadeFrom.ACTIVE_MEASURE,
        measure_kinds=frozenset({MeasureKind.PRESERVATION}),
        effect=MeasureEffect.RELEASE,
        cites_key="preservation_number",
    ),
    "caiwu_qingdan": FormRules(
        checks=(R.witness_when_absent("party_presence", "witness", R.coercive_list),),
        made_from=MadeFrom.MEASURE,
        measure_kinds=frozenset(MeasureKind),
        goods_list=True,
    ),
    # 程序规定第三十一条、第四十一条: 查封、扣押 and samples carry the 封条, a 先行登记保存 none (第三十四条)
    "fengtiao": FormRules(
        checks=(R.seal_measure,),
        made_from=MadeFrom.MEASURE,
        measure_kinds=frozenset(k for k in MeasureKind if k.sealed),
    ),
    "zeling_gaizheng": FormRules(checks=(R.correction_deadline,)),
    "dangchang_chufa": FormRules(
        checks=(R.two_officers("officers"), R.summary_penalty, R.decided_not_after_seal("decided_at"))
    ),
    "songda_dizhi": FormRules(checks=(R.electronic_service,)),
    "songda_huizheng": FormRules(checks=(R.service_method,)),
    "chouyang_jilu": FormRules(
        checks=(R.two_officers("officers"), R.online_sampling, R.sampling_absent_or_refused),
        decides=frozenset({MeasureKind.SAMPLING}),
    ),
}


def rules_for(form_id: str) -> FormRules:
    return RULES.get(form_id, PLAIN)


def preprint_checks(
    formdef: F.FormDef,
    values: Mapping[str, object],
    today: dt.date,
    now: dt.datetime | None = None,
    *,
    individual_cap: str = IndividualCap.CITIZEN,
) -> list[Problem]:
    """Every problem before printing `formdef` for signature: its field checks, its own procedure rules,
    then the rules of every form (domain/preprint.check_all)."""
    return R.check_all(
        formdef, values, today, now, rules=rules_for(formdef.id).checks, individual_cap=individual_cap
    )


# ---- measures and their documents -------------------------------------------------------------------


def deciding_form(kind: MeasureKind) -> str | None:
    """The form that imposes a measure of this kind (its notice, decision or record)."""
    return next((form_id for form_id, r in RULES.items() if kind in r.decides), None)


def settling_forms(kind: MeasureKind, extended: bool) -> tuple[str, ...]:
    """The documents (form ids) that settle a measure's deadline, shown with it on the due board:
    解除先行登记保存证据通知书 within 7 working days (程序规定第三十五条); before day 30 an extension
    (once) or a release, before day 60 a release (行政强制法第二十五条、第二十八条)."""
    wanted = (MeasureEffect.RELEASE,) if extended else (MeasureEffect.EXTEND, MeasureEffect.RELEASE)
    return tuple(
        form_id
        for effect in wanted
        for form_id, r in RULES.items()
        if r.effect is effect and kind in r.measure_kinds
    )


def release_form(kind: MeasureKind) -> str | None:
    """The document that releases a measure of this kind."""
    return next(iter(f for f in settling_forms(kind, True)), None)


def extension_form(kind: MeasureKind) -> str | None:
    """The document that extends a measure of this kind (查封、扣押 only)."""
    return next(
        (f for f, r in RULES.items() if r.effect is MeasureEffect.EXTEND and kind in r.measure_kinds), None
    )


def goods_list_form() -> str:
    """The 清单 form the documents of a measure cite."""
    return next(form_id for form_id, r in RULES.items() if r.goods_list)


def forms_made_from(made_from: MadeFrom) -> tuple[str, ...]:
    return tuple(form_id for form_id, r in RULES.items() if r.made_from is made_from)
