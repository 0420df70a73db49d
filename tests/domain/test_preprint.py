"""Procedure rules checked before printing: each rule passes on good values and fails citing its article."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fieldkit.catalog import load_formdefs
from fieldkit.domain.agency import IndividualCap
from fieldkit.domain.formrules import RULES, preprint_checks
from fieldkit.domain.problems import Severity, errors, warnings
from fieldkit.printing.samples import OFFICERS
from tests.examples import EXAMPLES

TODAY = dt.date(2026, 3, 6)  # the day of the sample 询问 (nothing in the samples lies after it)
DEFS = load_formdefs()


def check(form_id: str, **changes: object):
    return preprint_checks(DEFS[form_id], {**EXAMPLES[form_id], **changes}, TODAY)


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def only(problems, code: str):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [p.message for p in problems]
    return found[0]


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_realistic_samples_have_no_errors(form_id):
    assert errors(check(form_id)) == []


def test_every_shipped_form_has_rules():
    assert set(RULES) <= set(DEFS)
    # their checks are the field checks (attend_at not past; 证据清单 needs its required fields)
    assert set(DEFS) - {f for f, r in RULES.items() if r.checks} == {"xunwen_tongzhi", "zhengju_qingdan"}


def test_all_problems_come_at_once_with_field_checks_first():
    problems = check("dangchang_chufa", party_name="", officers=OFFICERS[:1], fine=900_000)
    assert [p.code for p in problems][:1] == ["form.required"]
    assert {"form.required", "preprint.officers.count", "preprint.summary.fine_limit"} <= codes(problems)


# -- 行政处罚法第四十二条: two officers with certificates


def test_one_officer_is_refused():
    p = only(check("xianchang_bilu", officers=OFFICERS[:1]), "preprint.officers.count")
    assert p.severity is Severity.ERROR and p.field == "officers"
    assert p.message.startswith("检查人员及执法证号：")
    assert "行政处罚法第四十二条" in p.message and "第二十二条" in p.message


def test_officer_without_certificate_number_is_refused():
    officers = [OFFICERS[0], {"name": "李晓燕", "cert_no": " "}]
    p = only(check("xunwen_bilu", officers=officers), "preprint.officers.cert")
    assert "李晓燕" in p.message and p.is_error


def test_officer_rule_needs_the_field():
    formdef = DEFS["zhengju_tiqu"]
    stripped = dataclasses.replace(formdef, fields=tuple(f for f in formdef.fields if f.key != "officers"))
    problems = preprint_checks(stripped, EXAMPLES["zhengju_tiqu"], TODAY)
    assert only(problems, "preprint.field_missing").is_error


# -- 行政处罚法第五十一条: summary penalties


PERSON = {"party_type": "自然人", "uscc": "", "id_no": "11010519491231002X"}
COMPANY = {"party_type": "法人或者其他组织", "uscc": "91110000101623741K"}
INDIVIDUAL = {"party_type": "个体工商户"}  # the sample's USCC is 92…


def test_summary_fine_within_limits_passes():
    assert errors(check("dangchang_chufa", **PERSON, fine=20_000)) == []
    assert errors(check("dangchang_chufa", **COMPANY, fine=300_000)) == []
    assert errors(check("dangchang_chufa", **INDIVIDUAL, fine=20_000)) == []
    assert errors(check("dangchang_chufa", penalty_kinds=["警告"], fine=None)) == []


def test_summary_fine_over_limit_is_refused():
    p = only(check("dangchang_chufa", **PERSON, fine=20_001), "preprint.summary.fine_limit")
    assert p.is_error and "¥200.00" in p.message and "第五十一条" in p.message
    p = only(check("dangchang_chufa", **COMPANY, fine=300_100), "preprint.summary.fine_limit")
    assert "¥3,000.00" in p.message


def test_an_individual_business_takes_the_cap_the_agency_set_with_its_basis():
    """A 个体工商户 switched to 单位 got a ¥3,000 当场 fine: the cap is the agency's setting, 公民 by default."""
    p = only(check("dangchang_chufa", **INDIVIDUAL, fine=300_000), "preprint.summary.fine_limit")
    assert "当事人为个体工商户，按本局设置适用公民的限额（民法典第五十四条" in p.message
    assert "不得超过¥200.00" in p.message and "行政处罚法第五十一条" in p.message
    values = {**EXAMPLES["dangchang_chufa"], **INDIVIDUAL, "fine": 300_000}
    as_org = preprint_checks(
        DEFS["dangchang_chufa"], values, TODAY, individual_cap=IndividualCap.ORGANISATION
    )
    assert "preprint.summary.fine_limit" not in codes(as_org)
    over = preprint_checks(
        DEFS["dangchang_chufa"], {**values, "fine": 300_100}, TODAY, individual_cap=IndividualCap.ORGANISATION
    )
    assert "按本局设置适用法人或者其他组织的限额" in only(over, "preprint.summary.fine_limit").message


@pytest.mark.parametrize(
    ("changes", "should"),
    [
        ({"party_type": "法人或者其他组织"}, "应为个体工商户"),  # USCC 92…
        ({"party_type": "自然人"}, "应为个体工商户"),
        ({**COMPANY, "party_type": "个体工商户"}, "应为法人或者其他组织"),
        ({**PERSON, "party_type": "法人或者其他组织"}, "应为自然人"),
    ],
)
def test_the_party_type_cannot_be_set_against_the_identifier(changes, should):
    p = only(check("dangchang_chufa", **changes), "preprint.party_type.identifier")
    assert p.is_error and p.field == "party_type" and should in p.message


def test_summary_fine_needs_an_amount_and_the_kind():
    assert "preprint.summary.fine_missing" in codes(check("dangchang_chufa", fine=None))
    assert "preprint.summary.fine_without_kind" in codes(check("dangchang_chufa", penalty_kinds=["警告"]))


def test_summary_penalty_needs_the_party_type():
    problems = check("dangchang_chufa", party_type=None)
    assert {"form.required", "preprint.summary.party_type"} <= codes(problems)
    formdef = DEFS["dangchang_chufa"]
    stripped = dataclasses.replace(formdef, fields=tuple(f for f in formdef.fields if f.key != "party_type"))
    assert only(
        preprint_checks(stripped, EXAMPLES["dangchang_chufa"], TODAY), "preprint.field_missing"
    ).is_error


def test_cash_collection_over_100_yuan_is_a_warning():
    p = only(check("dangchang_chufa", payment_method="当场收缴", fine=15_000), "preprint.summary.cash")
    assert p.severity is Severity.WARNING and "第六十八条" in p.message
    assert "preprint.summary.cash" not in codes(
        check("dangchang_chufa", payment_method="当场收缴", fine=10_000)
    )


def test_bank_payment_needs_the_bank():
    assert only(check("dangchang_chufa", bank=""), "preprint.summary.bank").is_error


# -- 行政强制法第二十五条: seizure period


def test_seizure_period_of_30_days_passes_and_31_fails():
    assert "preprint.seizure.period" not in codes(check("qiangzhi_cuoshi", period_days=30))
    p = only(check("qiangzhi_cuoshi", period_days=31), "preprint.seizure.period")
    assert p.is_error and "行政强制法第二十五条" in p.message


# -- 程序规定第四十三条, 行政强制法第十八条: witness


def test_party_present_needs_no_witness():
    assert not codes(check("xianchang_bilu")) & {"preprint.witness.required", "preprint.witness.advised"}


def test_party_absent_without_witness_is_a_warning():
    p = only(check("xianchang_bilu", party_presence="已通知，当事人未到场"), "preprint.witness.advised")
    assert p.severity is Severity.WARNING and "第四十三条" in p.message


def test_party_refusing_to_sign_without_witness_is_a_warning():
    p = only(check("xianchang_bilu", refused_sign=True), "preprint.witness.advised")
    assert "拒绝签名" in p.message


def test_seizure_with_party_absent_needs_a_witness():
    problems = check("xianchang_bilu", party_presence="当事人拒绝到场", measures=["扣押"])
    p = only(problems, "preprint.witness.required")
    assert p.is_error and "行政强制法第十八条" in p.message
    named = check(
        "xianchang_bilu", party_presence="当事人拒绝到场", measures=["扣押"], witness="赵六（社区工作人员）"
    )
    assert errors(named) == []


def test_list_for_a_seizure_with_party_absent_needs_a_witness():
    assert only(
        check("caiwu_qingdan", party_presence="已通知，当事人未到场"), "preprint.witness.required"
    ).is_error
    held = check("caiwu_qingdan", party_presence="已通知，当事人未到场", related_doc="先行登记保存证据通知书")
    assert only(held, "preprint.witness.advised").severity is Severity.WARNING


def test_absent_party_without_audio_video_record_is_a_warning():
    problems = check("xianchang_bilu", party_presence="已通知，当事人未到场", av_record="", witness="赵六")
    assert only(problems, "preprint.av_record").severity is Severity.WARNING


# -- 行政处罚法第二十八条: correction order


def test_correction_immediately_or_by_a_date():
    assert errors(check("zeling_gaizheng", correction_mode="立即改正", correction_deadline=None)) == []
    assert (
        errors(check("zeling_gaizheng", correction_mode="限期改正", correction_deadline="2026-03-20")) == []
    )


def test_correction_by_date_needs_the_date():
    p = only(check("zeling_gaizheng", correction_deadline=None), "preprint.correction.deadline")
    assert p.is_error and "第二十八条" in p.message and p.field == "correction_deadline"


def test_correction_mode_must_be_chosen():
    problems = check("zeling_gaizheng", correction_mode=None)
    assert only(problems, "preprint.correction.mode").is_error


def test_correction_deadline_in_the_past_is_refused():
    p = only(check("zeling_gaizheng", correction_deadline="2026-03-01"), "form.past")
    assert p.is_error and p.message.startswith("限期改正的截止日期：")


def test_immediate_correction_with_a_date_warns_that_it_is_not_printed():
    p = only(check("zeling_gaizheng", correction_mode="立即改正"), "preprint.correction.deadline_unused")
    assert p.severity is Severity.WARNING


# -- 先行登记保存: 7 working days


def test_preservation_prints_without_a_standing_reminder():
    # The 7-working-day rule is printed on the notice and tracked on the due board, not a check that
    # fails on every print.
    assert check("xianxing_baocun") == []


def test_emergency_preservation_warns_of_the_24_hour_report():
    p = only(check("xianxing_baocun", approval="情况紧急"), "preprint.preservation.report")
    assert "二十四小时" in p.message and "第三十三条" in p.message


# -- service


def test_electronic_service_needs_an_address():
    bare = dict(mobile="", email="", im_account="", fax="")
    assert only(check("songda_dizhi", **bare), "preprint.service.electronic_address").is_error
    assert errors(check("songda_dizhi", **bare, electronic=False)) == []


def test_a_lodged_service_needs_the_refusal_written_on_the_receipt():
    """程序规定第八十二条 (issue 9 item 7): the 送达回证 itself says when and why the party refused and who
    witnessed or what recorded it; a refused delivery is not 直接送达."""
    lodged = check("songda_huizheng", method="留置送达")
    assert only(lodged, "preprint.service.lodged_refusal").severity is Severity.ERROR
    refused = check("songda_huizheng", method="留置送达", refused=True)
    assert {p.field for p in refused if p.code == "preprint.service.refusal"} == {
        "refused_at",
        "refusal_reason",
        "refusal_record",
    }
    assert all(p.severity is Severity.ERROR and "第八十二条" in p.message for p in refused)
    direct = check(
        "songda_huizheng",
        method="直接送达",
        refused=True,
        refused_at="2026-03-02T10:20",
        refusal_reason="称不认可检查结果",
        refusal_record="执法记录仪录像",
    )
    assert codes(direct) & {"preprint.service.refused_direct"}
    done = check(
        "songda_huizheng",
        method="留置送达",
        refused=True,
        refused_at="2026-03-02T10:20",
        refusal_reason="称不认可检查结果",
        refusal_record="执法记录仪录像",
    )
    assert not codes(done) & {"preprint.service.refusal", "preprint.service.lodged_refusal"}


# -- other procedure reminders


def test_first_interview_without_recorded_rights_answer_is_refused():
    p = only(check("xunwen_bilu", ans_recusal=""), "preprint.interview.rights")
    assert p.severity is Severity.ERROR and "第二十一条" in p.message
    assert p.message.startswith("是否申请回避的答复：")
    assert only(check("xunwen_bilu", ans_recusal="　 "), "preprint.interview.rights").is_error
    assert "preprint.interview.rights" not in codes(check("xunwen_bilu", ans_recusal="", sequence=2))


def test_end_before_start_is_refused():
    p = only(check("xunwen_bilu", end_at="2026-03-06T13:00"), "preprint.time_order")
    assert p.is_error and p.message.startswith("询问时间（止）：")


def test_online_sampling_needs_a_record_of_the_purchase():
    assert (
        only(check("chouyang_jilu", mode="网络购买"), "preprint.sampling.online").severity is Severity.WARNING
    )
    assert "preprint.sampling.online" not in codes(
        check("chouyang_jilu", mode="网络购买", online_record="订单截图 3 张")
    )


def test_electronic_data_without_hash_warns():
    files = [{"name": "销售记录.xlsx", "size": "18 KB"}]
    p = only(check("dianzi_shuju_tiqu", files=files), "preprint.edata.hash")
    assert p.severity is Severity.WARNING and "第 1 行" in p.message


def test_warnings_never_block():
    problems = check("xianxing_baocun", approval="情况紧急")
    assert warnings(problems) and not errors(problems)


# -- 程序规定第四十三条: 抽样记录 with the party absent or refusing to sign


def test_sampling_with_the_party_present_needs_nothing_more():
    assert not {c for c in codes(check("chouyang_jilu")) if c.startswith("preprint.sampling")}


def test_sampling_refused_signature_needs_a_note_and_a_recording():
    problems = check("chouyang_jilu", refused_sign=True, av_record="", witness="")
    note = only(problems, "preprint.sampling.refusal_note")
    assert (
        note.is_error
        and note.message.startswith("不在场或者拒绝签名的情况：")
        and "第四十三条" in note.message
    )
    assert only(problems, "preprint.sampling.av_record").is_error
    assert only(problems, "preprint.sampling.witness").severity is Severity.WARNING
    fixed = check(
        "chouyang_jilu",
        refused_sign=True,
        refusal_note="10时55分，负责人张昇犇拒绝在抽样记录和封条上签名。",
        witness="刘某（社区网格员，身份证号 141182199001010011）",
    )
    assert not {c for c in codes(fixed) if c.startswith("preprint.sampling")}


def test_sampling_with_the_party_absent_needs_a_recording():
    p = only(
        check("chouyang_jilu", party_presence="已通知，当事人未到场", av_record=""),
        "preprint.sampling.av_record",
    )
    assert "不到场" in p.message and p.is_error


# -- issue 9 item 8: consistent dates


def test_nothing_is_dated_after_now():
    p = only(check("xianchang_bilu", end_at="2026-03-07T10:45"), "preprint.date.future")
    assert p.is_error and p.field == "end_at" and p.message.startswith("检查时间（止）：")
    late_today = dt.datetime(2026, 3, 6, 15, 20)  # the sample 询问 ended at 15:10
    assert "preprint.date.future" in codes(
        preprint_checks(
            DEFS["xunwen_bilu"], {**EXAMPLES["xunwen_bilu"], "end_at": "2026-03-06T15:30"}, TODAY, late_today
        )
    )
    assert "preprint.date.future" not in codes(
        preprint_checks(DEFS["xunwen_bilu"], EXAMPLES["xunwen_bilu"], TODAY, late_today)
    )
    # Deadlines and appointments (not_past) lie ahead by nature.
    assert "preprint.date.future" not in codes(check("zeling_gaizheng", correction_deadline="2026-04-01"))


def test_a_record_over_twelve_hours_or_spanning_days_needs_its_reason():
    long = check("xunwen_bilu", start_at="2026-03-05T08:00", end_at="2026-03-05T20:30")
    p = only(long, "preprint.record.overlong")
    assert p.is_error and p.field == "overlong_reason" and "超过 12 小时" in p.message
    assert p.message.startswith("跨日或者超过十二小时的原因：")
    night = only(
        check("xianchang_bilu", start_at="2026-03-05T23:30", end_at="2026-03-06T00:40"),
        "preprint.record.overlong",
    )
    assert "跨日" in night.message
    reasoned = check(
        "xianchang_bilu",
        start_at="2026-03-05T23:30",
        end_at="2026-03-06T00:40",
        overlong_reason="夜间联合检查，清点冷库内涉案冻品至次日凌晨",
    )
    assert "preprint.record.overlong" not in codes(reasoned)
    assert "preprint.record.overlong" not in codes(check("dianzi_shuju_tiqu"))


def test_summary_penalty_is_not_decided_after_the_seal_date():
    p = only(
        check("dangchang_chufa", decided_at="2026-03-06T09:00", issue_date="2026-03-05"),
        "preprint.date.after_seal",
    )
    assert p.is_error and p.field == "decided_at" and "第六十八条" in p.message
    assert "preprint.date.after_seal" not in codes(check("dangchang_chufa", decided_at="2026-03-05T11:00"))


# -- 行政强制法第二十五条、第二十八条: 延长 and 解除 of 查封/扣押; 解除先行登记保存 (程序规定第三十五条)


def test_an_extension_is_decided_before_day_thirty_and_adds_at_most_thirty_days():
    assert not {c for c in codes(check("yanchang_qiangzhi")) if c.startswith("preprint.extension")}
    late = only(check("yanchang_qiangzhi", issue_date="2026-04-05"), "preprint.extension.too_late")
    assert late.is_error and "2026年4月4日" in late.message and "第二十五条" in late.message
    too_long = only(check("yanchang_qiangzhi", new_end="2026-05-05"), "preprint.extension.limit")
    assert too_long.is_error and "2026年5月4日" in too_long.message
    assert only(check("yanchang_qiangzhi", new_end="2026-04-04"), "preprint.extension.not_longer").is_error


def test_release_documents_come_after_the_measure():
    for form_id in ("jiechu_qiangzhi", "jiechu_baocun", "yanchang_qiangzhi"):
        assert "preprint.original_after_decision" not in codes(check(form_id))
        p = only(
            check(form_id, original_date="2026-03-31", issue_date="2026-03-30"),
            "preprint.original_after_decision",
        )
        assert p.is_error and p.field == "original_date"


# -- 封条: 查封、扣押 (程序规定第四十一条) and samples (第三十一条); never a 先行登记保存 (第三十四条)


def test_a_seal_strip_is_only_for_seizure_or_sampling():
    for measure in ("查封", "扣押", "抽样"):
        assert "preprint.seal.measure" not in codes(check("fengtiao", measure=measure))
    hold = only(check("fengtiao", measure="先行登记保存"), "preprint.seal.measure")
    assert hold.is_error and hold.field == "measure"
    assert "先行登记保存不加贴封条" in hold.message and "第四十一条" in hold.message
    other = only(check("fengtiao", measure="封存"), "preprint.seal.measure")
    assert other.is_error and "“封存”" in other.message and "第三十一条" in other.message
    # an empty 措施 is the field check's (必须填写), not reported twice
    assert "preprint.seal.measure" not in codes(check("fengtiao", measure=""))
