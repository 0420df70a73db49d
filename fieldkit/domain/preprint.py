"""Procedure checks before a document is printed for signature: every problem at once, each citing its rule.

Which rules each form has is in domain/formrules.py (the pure half of the form registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from fieldkit.domain import forms as F
from fieldkit.domain.agency import INDIVIDUAL_CAP_BASIS, IndividualCap
from fieldkit.domain.measures import seal_refusal
from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.subjects import (
    PARTY_INDIVIDUAL,
    PARTY_ORGANISATION,
    PARTY_PERSON,
    identifier_basis,
    identifier_types,
    party_class,
)

Rule = Callable[[F.FormDef, Mapping[str, object], dt.date], list[Problem]]

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# Summary (当场) fines, 行政处罚法第五十一条: ≤ ¥200 for a citizen, ≤ ¥3,000 for a 法人或者其他组织 (in fen).
# A 个体工商户 takes the one the agency set (domain/agency.IndividualCap), 公民 by default.
SUMMARY_FINE_LIMIT = {PARTY_PERSON: 200_00, PARTY_ORGANISATION: 3_000_00}
# 行政处罚法第六十八条: on-the-spot collection of a summary fine is allowed for ¥100 or less (or if it would be
# hard to collect later).
CASH_ON_SPOT_LIMIT = 100_00
# 行政强制法第二十五条: 查封、扣押 last at most 30 days (extendable once by 30 with approval, by a separate decision).
SEIZURE_MAX_DAYS = 30

PARTY_ABSENT = ("已通知，当事人未到场", "当事人拒绝到场")

# A 笔录 longer than this, or running past midnight, is refused unless the reason is written on it: such
# times are nearly always typing slips (a wrong day or a.m./p.m.), and a record that did run that long
# has to say why (issue 9 item 8).
RECORD_MAX_HOURS = 12
OVERLONG_REASON = "overlong_reason"


def _p(key: str, code: str, message: str, severity: Severity = ERROR) -> Problem:
    return Problem(field=key, code=code, message=message, severity=severity)


def _label(formdef: F.FormDef, key: str) -> str:
    return formdef.field(key).label if formdef.has_field(key) else key


def _missing_field(formdef: F.FormDef, key: str, why: str) -> list[Problem]:
    """A province removed a field a rule needs: the rule cannot be checked, so printing is refused."""
    if formdef.has_field(key):
        return []
    return [_p(key, "preprint.field_missing", f"{key}：表单定义缺少此字段，无法核对{why}")]


# ---------------------------------------------------------------------------------------------
# Rules shared by several forms


def two_officers(key: str) -> Rule:
    """行政处罚法第四十二条、程序规定第二十二条: at least two officers, each with a 执法证 shown."""

    def rule(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
        if missing := _missing_field(formdef, key, "执法人员人数"):
            return missing
        label = _label(formdef, key)
        officers = [o for o in values.get(key) or [] if isinstance(o, Mapping)]
        out = []
        if len(officers) < 2:
            out.append(
                _p(
                    key,
                    "preprint.officers.count",
                    f"{label}：执法人员不得少于两人，现有 {len(officers)} 人"
                    "（行政处罚法第四十二条、市场监督管理行政处罚程序规定第二十二条）",
                )
            )
        for i, o in enumerate(officers, 1):
            if not str(o.get("cert_no") or "").strip():
                name = str(o.get("name") or "").strip() or f"第 {i} 名执法人员"
                out.append(
                    _p(
                        key,
                        "preprint.officers.cert",
                        f"{label}：{name}没有执法证号，执法人员应当持证执法并出示执法证件"
                        "（行政处罚法第四十二条、第五十五条，程序规定第二十二条）",
                    )
                )
        return out

    return rule


def time_order(start: str, end: str) -> Rule:
    def rule(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
        a, b = F.parse_datetime(values.get(start)), F.parse_datetime(values.get(end))
        if a and b and b < a:
            return [
                _p(
                    end,
                    "preprint.time_order",
                    f"{_label(formdef, end)}：不能早于{_label(formdef, start)}（{F.format_datetime(a)}）",
                )
            ]
        return []

    return rule


def seal_date_fields(formdef: F.FormDef) -> tuple[str, ...]:
    """The fields printed as the date under the agency's seal (seal blocks and 封条 strips).

    That date is the day the document is finalised (printed for signature), not the day the draft was
    begun: services fill it in when printing and check the other dates against it.
    """
    keys: list[str] = []
    for block in formdef.blocks:
        key = getattr(block, "date_field", None) if isinstance(block, F.SealBlock | F.StripBlock) else None
        if key and formdef.has_field(key) and key not in keys:
            keys.append(key)
    return tuple(keys)


def no_future(
    formdef: F.FormDef, values: Mapping[str, object], today: dt.date, now: dt.datetime | None = None
) -> list[Problem]:
    """Nothing is recorded as having happened later than now. Fields marked `not_past` are deadlines or
    appointments (改正期限, 接受询问的时间) and may lie ahead. `now` is local wall-clock time without a
    zone, as the form stores it; without it only dates are compared."""
    out = []
    for fd in formdef.fields:
        if fd.not_past or fd.type not in (F.FieldType.DATE, F.FieldType.DATETIME):
            continue
        value = values.get(fd.key)
        if F.is_empty(value):
            continue
        if fd.type is F.FieldType.DATE:
            day = F.parse_date(value)
            late = day is not None and day > today
            shown = F.format_date(day) if day else ""
        else:
            moment = F.parse_datetime(value)
            if moment is not None and moment.tzinfo is not None:
                moment = moment.replace(tzinfo=None)
            late = moment is not None and (moment > now if now is not None else moment.date() > today)
            shown = F.format_datetime(moment) if moment else ""
        if late:
            out.append(
                _p(
                    fd.key,
                    "preprint.date.future",
                    f"{fd.label}：{shown} 晚于当前时间，文书不能记录尚未发生的时间",
                )
            )
    return out


def record_duration(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """A 笔录 over 12 hours or spanning days needs its reason written on it (it prints on the record)."""
    start, end = F.parse_datetime(values.get("start_at")), F.parse_datetime(values.get("end_at"))
    if start is None or end is None or end < start:
        return []
    long = end - start > dt.timedelta(hours=RECORD_MAX_HOURS)
    if not (long or end.date() != start.date()):
        return []
    reason = values.get(OVERLONG_REASON)
    if isinstance(reason, str) and reason.strip():
        return []
    what = f"超过 {RECORD_MAX_HOURS} 小时" if long else "跨日"
    label = _label(formdef, OVERLONG_REASON) if formdef.has_field(OVERLONG_REASON) else "原因"
    return [
        _p(
            OVERLONG_REASON if formdef.has_field(OVERLONG_REASON) else "end_at",
            "preprint.record.overlong",
            f"{label}：{_label(formdef, 'start_at')}至{_label(formdef, 'end_at')}{what}"
            f"（{F.format_datetime(start)}至{F.format_datetime(end)}），请核对时间；确实如此的，应当写明原因",
        )
    ]


def decided_not_after_seal(key: str) -> Rule:
    """处罚时间 is not later than the date under the seal: the 当场 decision states when and where it was
    made (程序规定第六十八条), and it cannot have been made after the paper announcing it was sealed."""

    def rule(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
        decided = F.parse_datetime(values.get(key))
        if decided is None:
            return []
        out = []
        for seal_key in seal_date_fields(formdef):
            sealed = F.parse_date(values.get(seal_key))
            if sealed is not None and decided.date() > sealed:
                out.append(
                    _p(
                        key,
                        "preprint.date.after_seal",
                        f"{_label(formdef, key)}：{F.format_datetime(decided)} 晚于落款日期"
                        f"{F.format_date(sealed)}，处罚决定不能晚于决定书的落款日期（市场监督管理行政处罚程序规定第六十八条）",
                    )
                )
        return out

    return rule


def witness_when_absent(
    presence: str, witness: str, coercive: Callable[[Mapping[str, object]], bool]
) -> Rule:
    """程序规定第四十三条: party absent or refusing → note it, record audio/video, a 见证人 if needed;
    行政强制法第十八条第（九）项: for a compulsory measure with the party absent, a 见证人 must sign."""

    def rule(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
        if missing := _missing_field(formdef, presence, "当事人到场情况") or _missing_field(
            formdef, witness, "见证人"
        ):
            return missing
        absent = values.get(presence) in PARTY_ABSENT
        refused = values.get("refused_sign") is True
        if not (absent or refused) or not F.is_empty(values.get(witness)):
            return []
        if absent and coercive(values):
            return [
                _p(
                    witness,
                    "preprint.witness.required",
                    f"{_label(formdef, witness)}：当事人不到场时实施查封、扣押，应当邀请见证人到场，"
                    "由见证人和执法人员签名或者盖章（行政强制法第十八条第（九）项）",
                )
            ]
        situation = "不到场" if absent else "拒绝签名、盖章"
        return [
            _p(
                witness,
                "preprint.witness.advised",
                f"{_label(formdef, witness)}：当事人{situation}，应当在笔录中注明并采取录音、录像等方式记录，"
                "必要时邀请见证人（市场监督管理行政处罚程序规定第四十三条）",
                WARNING,
            )
        ]

    return rule


def _chosen(values: Mapping[str, object], key: str) -> set[str]:
    v = values.get(key)
    if isinstance(v, str):
        return {v}
    if isinstance(v, list | tuple):
        return {x for x in v if isinstance(x, str)}
    return set()


# ---------------------------------------------------------------------------------------------
# Rules of single forms


def summary_penalty(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """当场行政处罚决定书: only a warning or a small fine (行政处罚法第五十一条), paid as 第六十七、六十八条 say."""
    out = _missing_field(formdef, "party_type", "罚款上限（自然人与单位不同）")
    out += _missing_field(formdef, "penalty_kinds", "处罚种类")
    out += _missing_field(formdef, "fine", "罚款金额")
    if out:
        return out
    kinds = _chosen(values, "penalty_kinds")
    fine = values.get("fine")
    fine_label = _label(formdef, "fine")
    others = kinds - {"警告", "罚款"}
    if others:
        out.append(
            _p(
                "penalty_kinds",
                "preprint.summary.kind",
                f"{_label(formdef, 'penalty_kinds')}：当场只能给予警告或者罚款，不能当场作出"
                f"{'、'.join(sorted(others))}（行政处罚法第五十一条）",
            )
        )
    if "罚款" not in kinds:
        if isinstance(fine, int) and fine:
            out.append(
                _p(
                    "fine",
                    "preprint.summary.fine_without_kind",
                    f"{fine_label}：填写了罚款金额，但处罚种类未选“罚款”",
                )
            )
        return out
    if not isinstance(fine, int) or isinstance(fine, bool) or fine <= 0:
        out.append(
            _p("fine", "preprint.summary.fine_missing", f"{fine_label}：处罚种类选了“罚款”，应填写罚款金额")
        )
        return out
    method = values.get("payment_method")
    if F.is_empty(method):
        out.append(
            _p(
                "payment_method",
                "preprint.summary.payment",
                f"{_label(formdef, 'payment_method')}：应当写明罚款的缴纳方式（行政处罚法第六十七条）",
            )
        )
    elif method == "银行缴纳" and F.is_empty(values.get("bank")):
        out.append(
            _p(
                "bank",
                "preprint.summary.bank",
                f"{_label(formdef, 'bank')}：应当写明缴纳罚款的银行或者电子支付系统（行政处罚法第六十七条）",
            )
        )
    elif method == "当场收缴" and fine > CASH_ON_SPOT_LIMIT:
        out.append(
            _p(
                "payment_method",
                "preprint.summary.cash",
                f"{_label(formdef, 'payment_method')}：罚款超过 {F.format_money(CASH_ON_SPOT_LIMIT)}，只有在不当场收缴"
                "事后难以执行，或者在边远、水上、交通不便地区时，才可以当场收缴（行政处罚法第六十八条、第六十九条）",
                WARNING,
            )
        )
    return out


def party_type_follows_identifier(formdef: F.FormDef, values: Mapping[str, object]) -> list[Problem]:
    """The party type printed (and the 当场 cap it brings) cannot be set against the party's USCC or
    身份证号: a 个体工商户 (USCC 92…) printed as 法人或者其他组织 got a ¥3,000 当场 fine."""
    party_type = values.get("party_type")
    if not formdef.has_field("party_type") or F.is_empty(party_type):
        return []
    uscc, id_no = str(values.get("uscc") or ""), str(values.get("id_no") or "")
    allowed = identifier_types(uscc, id_no)
    if allowed is None:
        return []
    classes = list(dict.fromkeys(party_class(k) for k in allowed))
    if party_type in classes:
        return []
    return [
        _p(
            "party_type",
            "preprint.party_type.identifier",
            f"{_label(formdef, 'party_type')}：{identifier_basis(uscc, id_no)}，应为{'或'.join(classes)}，"
            f"不能为「{party_type}」（当场罚款的上限因此不同，行政处罚法第五十一条）",
        )
    ]


def summary_fine_limit(
    formdef: F.FormDef, values: Mapping[str, object], individual_cap: str = IndividualCap.CITIZEN
) -> list[Problem]:
    """行政处罚法第五十一条: ≤ ¥200 for a 公民, ≤ ¥3,000 for a 法人或者其他组织; a 个体工商户 as the agency set."""
    if not (
        formdef.has_field("party_type") and formdef.has_field("fine") and formdef.has_field("penalty_kinds")
    ):
        return []
    fine = values.get("fine")
    if "罚款" not in _chosen(values, "penalty_kinds") or not isinstance(fine, int) or isinstance(fine, bool):
        return []
    party_type = values.get("party_type")
    basis = ""
    if party_type == PARTY_INDIVIDUAL:
        cap = IndividualCap(individual_cap) if individual_cap in set(IndividualCap) else IndividualCap.CITIZEN
        basis = f"当事人为个体工商户，{INDIVIDUAL_CAP_BASIS[cap]}，"
        limit = SUMMARY_FINE_LIMIT[PARTY_PERSON if cap is IndividualCap.CITIZEN else PARTY_ORGANISATION]
    else:
        limit = SUMMARY_FINE_LIMIT.get(party_type) if isinstance(party_type, str) else None
    if limit is None:
        return [
            _p(
                "party_type",
                "preprint.summary.party_type",
                f"{_label(formdef, 'party_type')}：应为自然人、个体工商户或者法人或者其他组织，以核对当场罚款的上限"
                "（行政处罚法第五十一条）",
            )
        ]
    if fine > limit:
        whom = "" if basis else f"对{party_type}"
        return [
            _p(
                "fine",
                "preprint.summary.fine_limit",
                f"{_label(formdef, 'fine')}：{F.format_money(fine)} 超过当场处罚的上限——{basis}{whom}罚款不得超过"
                f"{F.format_money(limit)}，应当适用普通程序（行政处罚法第五十一条）",
            )
        ]
    return []


def seizure_period(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """行政强制法第二十五条: 查封、扣押的期限不得超过三十日."""
    if missing := _missing_field(formdef, "period_days", "查封、扣押期限"):
        return missing
    days = values.get("period_days")
    if isinstance(days, int) and not isinstance(days, bool) and days > SEIZURE_MAX_DAYS:
        return [
            _p(
                "period_days",
                "preprint.seizure.period",
                f"{_label(formdef, 'period_days')}：查封、扣押的期限不得超过三十日，现为 {days} 日；情况复杂需要延长的，"
                "经负责人批准另行作出延长决定，延长不超过三十日（行政强制法第二十五条）",
            )
        ]
    return []


def seizure_extension(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """延长查封、扣押 (行政强制法第二十五条): decided before day 30 of the measure, once, by at most 30 days."""
    out = _missing_field(formdef, "original_date", "原实施日期")
    out += _missing_field(formdef, "new_end", "延长后的期限")
    if out:
        return out
    start, new_end = F.parse_date(values.get("original_date")), F.parse_date(values.get("new_end"))
    if start is None:
        return []
    first_end = start + dt.timedelta(days=SEIZURE_MAX_DAYS)
    sealed = [d for k in seal_date_fields(formdef) if (d := F.parse_date(values.get(k))) is not None]
    decided = max(sealed, default=today)
    if decided > first_end:
        out.append(
            _p(
                "original_date",
                "preprint.extension.too_late",
                f"{_label(formdef, 'original_date')}：原查封、扣押期限已于{F.format_date(first_end)}（第 30 日）届满，"
                f"{F.format_date(decided)}不能再作出延长决定，应当解除（行政强制法第二十五条、第二十八条）",
            )
        )
    if new_end is not None:
        limit = first_end + dt.timedelta(days=SEIZURE_MAX_DAYS)
        if new_end > limit:
            out.append(
                _p(
                    "new_end",
                    "preprint.extension.limit",
                    f"{_label(formdef, 'new_end')}：{F.format_date(new_end)} 超过延长上限——延长期限不得超过三十日，"
                    f"最迟至{F.format_date(limit)}（行政强制法第二十五条）",
                )
            )
        elif new_end <= first_end:
            out.append(
                _p(
                    "new_end",
                    "preprint.extension.not_longer",
                    f"{_label(formdef, 'new_end')}：{F.format_date(new_end)} 不晚于原期限届满日"
                    f"{F.format_date(first_end)}，不是延长",
                )
            )
    return out


def original_before_decision(
    formdef: F.FormDef, values: Mapping[str, object], today: dt.date
) -> list[Problem]:
    """A 延长/解除 decision comes after the measure it is about."""
    start = F.parse_date(values.get("original_date"))
    if start is None:
        return []
    for key in seal_date_fields(formdef):
        decided = F.parse_date(values.get(key))
        if decided is not None and start > decided:
            return [
                _p(
                    "original_date",
                    "preprint.original_after_decision",
                    f"{_label(formdef, 'original_date')}：{F.format_date(start)} 晚于本文书落款日期"
                    f"{F.format_date(decided)}",
                )
            ]
    return []


def correction_deadline(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """行政处罚法第二十八条: 责令当事人改正或者限期改正 — a deadline is part of a 限期 order."""
    out = _missing_field(formdef, "correction_mode", "改正期限")
    out += _missing_field(formdef, "correction_deadline", "改正期限")
    if out:
        return out
    mode = values.get("correction_mode")
    deadline = values.get("correction_deadline")
    mode_label = _label(formdef, "correction_mode")
    if F.is_empty(mode):
        return [
            _p(
                "correction_mode",
                "preprint.correction.mode",
                f"{mode_label}：应当选择立即改正或者限期改正（行政处罚法第二十八条）",
            )
        ]
    if mode == "限期改正" and F.is_empty(deadline):
        return [
            _p(
                "correction_deadline",
                "preprint.correction.deadline",
                f"{_label(formdef, 'correction_deadline')}：限期改正应当写明改正的截止日期（行政处罚法第二十八条）",
            )
        ]
    if mode == "立即改正" and not F.is_empty(deadline):
        return [
            _p(
                "correction_deadline",
                "preprint.correction.deadline_unused",
                f"{_label(formdef, 'correction_deadline')}：选择了立即改正，填写的截止日期不会打印",
                WARNING,
            )
        ]
    return []


def preservation_emergency(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """先行登记保存 carried out on the spot in an emergency: report within 24 h (程序规定第三十三条).

    The 7-working-day decision (第三十五条) is not a check here: the notice prints it, and the due board
    tracks it with the 解除先行登记保存证据通知书 that settles it — a reminder on every print would be a
    check that always fails.
    """
    if values.get("approval") != "情况紧急":
        return []
    return [
        _p(
            "approval",
            "preprint.preservation.report",
            f"{_label(formdef, 'approval')}：情况紧急当场实施的，应当在二十四小时内向负责人报告并补办批准手续"
            "（市场监督管理行政处罚程序规定第三十三条）",
            WARNING,
        )
    ]


def electronic_service(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """程序规定第八十二条: electronic service needs the recipient's consent and an address to send to."""
    if values.get("electronic") is not True:
        return []
    channels = ("mobile", "fax", "email", "im_account")
    if any(not F.is_empty(values.get(k)) for k in channels if formdef.has_field(k)):
        return []
    return [
        _p(
            "electronic",
            "preprint.service.electronic_address",
            f"{_label(formdef, 'electronic')}：同意电子送达的，应当至少填写手机号码、传真号码、电子邮件地址或者"
            "即时通讯账号之一（市场监督管理行政处罚程序规定第八十二条）",
        )
    ]


def service_refusal(formdef: F.FormDef, values: Mapping[str, object]) -> list[Problem]:
    """程序规定第八十二条: a refusal is written on the 送达回证 itself — when, why, and the witness or the
    photos/video — and a refused delivery is 留置送达. Forms without the refusal fields use the 备注 rule."""
    law = "（市场监督管理行政处罚程序规定第八十二条）"
    method, refused = values.get("method"), values.get("refused") is True
    problems: list[Problem] = []
    if method == "留置送达" and not refused:
        problems.append(
            _p(
                "refused",
                "preprint.service.lodged_refusal",
                f"{_label(formdef, 'refused')}：留置送达须是受送达人拒绝签收，请勾选并填写拒收情况{law}",
            )
        )
    if refused and method not in ("留置送达", "公告送达", "邮寄送达", "委托送达", "电子送达"):
        problems.append(
            _p(
                "method",
                "preprint.service.refused_direct",
                f"{_label(formdef, 'method')}：受送达人拒绝签收的，不是直接送达，应为留置送达{law}",
            )
        )
    if refused:
        for key, what in (
            ("refused_at", "写明拒收时间"),
            ("refusal_reason", "写明拒收事由"),
            ("refusal_record", "写明见证人或者拍照、录像等记录情况"),
        ):
            if formdef.has_field(key) and F.is_empty(values.get(key)):
                problems.append(
                    _p(
                        key,
                        "preprint.service.refusal",
                        f"{_label(formdef, key)}：受送达人拒绝签收的，应当{what}{law}",
                    )
                )
    return problems


def service_method(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    method = values.get("method")
    if formdef.has_field("refused") and formdef.has_field("refusal_reason"):
        refusal = service_refusal(formdef, values)
        if refusal:
            return refusal
    elif method == "留置送达" and F.is_empty(values.get("note")):
        return [
            _p(
                "note",
                "preprint.service.lodged",
                f"{_label(formdef, 'note')}：留置送达应当写明拒收事由和日期，并由见证人签名或者采用拍照、录像等方式"
                "记录送达过程（市场监督管理行政处罚程序规定第八十二条）",
                WARNING,
            )
        ]
    if method == "电子送达":
        return [
            _p(
                "method",
                "preprint.service.electronic",
                f"{_label(formdef, 'method')}：电子送达须受送达人同意并签订送达地址确认书，以文书到达其特定系统的日期为"
                "送达日期（市场监督管理行政处罚程序规定第八十二条）",
                WARNING,
            )
        ]
    return []


def first_interview_rights(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """程序规定第二十一条: the first time evidence is taken, tell the party of 陈述、申辩 and 回避.

    An error, not a reminder: a first 询问笔录 without the recorded answer cannot show the right was told.
    """
    answer = values.get("ans_recusal")
    if values.get("sequence") != 1 or (isinstance(answer, str) and answer.strip()):
        return []
    return [
        _p(
            "ans_recusal",
            "preprint.interview.rights",
            f"{_label(formdef, 'ans_recusal')}：首次询问应当告知陈述、申辩和申请回避的权利，并记录被询问人的答复，"
            "答复为空不能打印（市场监督管理行政处罚程序规定第二十一条）",
        )
    ]


def online_sampling(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    if values.get("mode") in ("网络购买", "电话购买") and F.is_empty(values.get("online_record")):
        return [
            _p(
                "online_record",
                "preprint.sampling.online",
                f"{_label(formdef, 'online_record')}：网络、电话购买样品的，应当记录订单、拆封和封样过程的拍照、截图、"
                "录音、录像情况（市场监督管理行政处罚程序规定第三十一条）",
                WARNING,
            )
        ]
    return []


def sampling_absent_or_refused(
    formdef: F.FormDef, values: Mapping[str, object], today: dt.date
) -> list[Problem]:
    """抽样记录 with the party absent or refusing to sign (程序规定第四十三条, 第四十四条): the officers note
    the situation on the record and record it on audio/video ("应当"); a 见证人 "必要时" — a warning."""
    out = _missing_field(formdef, "party_presence", "被抽样单位（人）到场情况")
    for key, why in (("witness", "见证人"), ("refused_sign", "拒绝签名情况"), ("av_record", "音像记录")):
        out += _missing_field(formdef, key, why)
    if out:
        return out
    absent = values.get("party_presence") in PARTY_ABSENT
    refused = values.get("refused_sign") is True
    if not (absent or refused):
        return []
    situation = "不到场" if absent and not refused else "拒绝签名、盖章" if not absent else "不到场、拒绝签名"
    if refused and formdef.has_field("refusal_note") and F.is_empty(values.get("refusal_note")):
        out.append(
            _p(
                "refusal_note",
                "preprint.sampling.refusal_note",
                f"{_label(formdef, 'refusal_note')}：被抽样单位（人）拒绝签名、盖章的，执法人员应当在记录上注明情况"
                "（何时、何人、如何拒绝）（市场监督管理行政处罚程序规定第四十三条）",
            )
        )
    if F.is_empty(values.get("av_record")):
        out.append(
            _p(
                "av_record",
                "preprint.sampling.av_record",
                f"{_label(formdef, 'av_record')}：被抽样单位（人）{situation}的，应当采取录音、录像等方式记录抽样过程"
                "（市场监督管理行政处罚程序规定第四十三条、第四十四条）",
            )
        )
    if F.is_empty(values.get("witness")):
        out.append(
            _p(
                "witness",
                "preprint.sampling.witness",
                f"{_label(formdef, 'witness')}：被抽样单位（人）{situation}，必要时应当邀请有关人员作为见证人，"
                "由见证人签名（市场监督管理行政处罚程序规定第四十三条）",
                WARNING,
            )
        )
    return out


def file_hashes(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    rows = values.get("files")
    if not isinstance(rows, list):
        return []
    missing = [i for i, r in enumerate(rows, 1) if isinstance(r, Mapping) and F.is_empty(r.get("sha256"))]
    if not missing:
        return []
    return [
        _p(
            "files",
            "preprint.edata.hash",
            f"{_label(formdef, 'files')}：第 {'、'.join(map(str, missing))} 行没有完整性校验值；提取电子数据应当保证其"
            "完整性，并注明制作方法、制作时间和制作人（市场监督管理行政处罚程序规定第二十六条）",
            WARNING,
        )
    ]


def seal_measure(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    """封条 only for 查封、扣押 (程序规定第四十一条) and samples (第三十一条), never a 先行登记保存."""
    if missing := _missing_field(formdef, "measure", "封条所属的措施"):
        return missing
    value = values.get("measure")
    why = seal_refusal(value) if isinstance(value, str) else ""
    return [_p("measure", "preprint.seal.measure", f"{_label(formdef, 'measure')}：{why}")] if why else []


def coercive_record(values: Mapping[str, object]) -> bool:
    return bool(_chosen(values, "measures") & {"查封", "扣押"})


def coercive_list(values: Mapping[str, object]) -> bool:
    return values.get("related_doc") == "实施行政强制措施决定书"


def av_record_when_absent(formdef: F.FormDef, values: Mapping[str, object], today: dt.date) -> list[Problem]:
    absent = values.get("party_presence") in PARTY_ABSENT or values.get("refused_sign") is True
    if absent and formdef.has_field("av_record") and F.is_empty(values.get("av_record")):
        return [
            _p(
                "av_record",
                "preprint.av_record",
                f"{_label(formdef, 'av_record')}：当事人不到场或者拒绝签名的，应当采取录音、录像等方式记录"
                "（市场监督管理行政处罚程序规定第四十三条）",
                WARNING,
            )
        ]
    return []


def check_all(
    formdef: F.FormDef,
    values: Mapping[str, object],
    today: dt.date,
    now: dt.datetime | None = None,
    *,
    rules: Sequence[Rule] = (),
    individual_cap: str = IndividualCap.CITIZEN,
) -> list[Problem]:
    """All problems before printing: field checks, then `rules` (the form's own procedure rules, from
    domain/formrules.py), then the rules of every form (nothing dated in the future; the party type and
    the 当场 cap).

    ERROR blocks printing (a hard legal rule or a missing required entry); WARNING lets the officer print
    anyway after reading it. `now` is the local time (no zone) for the future check; None compares dates.
    `individual_cap` is the agency's setting for a 个体工商户's 当场 cap.
    """
    problems = F.validate_values(formdef, values, today)
    for rule in rules:
        problems += rule(formdef, values, today)
    problems += no_future(formdef, values, today, now)
    # Rules of every form that names a party type (a province's own 当场 form gets them too).
    problems += party_type_follows_identifier(formdef, values)
    problems += summary_fine_limit(formdef, values, individual_cap)
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.field, p.message) not in seen:
            seen.add((p.field, p.message))
            out.append(p)
    return out
