"""当事人（市场主体）: the values a subject has and the rules they follow."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fieldkit.domain.coded import Coded
from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.validators import (
    normalize_code,
    validate_id_number,
    validate_length,
    validate_phone,
    validate_required,
    validate_uscc,
)


class SubjectType(Coded):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    COOPERATIVE = "cooperative", "农民专业合作社"
    OTHER_ORG = "other_org", "其他组织"
    NATURAL_PERSON = "natural_person", "自然人"

    @property
    def is_organisation(self) -> bool:
        """法人或者其他组织, for the 当场处罚 limit (行政处罚法第五十一条). 个体工商户 is set out under
        自然人 in 民法典 第五十四条, so it takes the stricter ¥200 limit for 公民."""
        return self not in (SubjectType.NATURAL_PERSON, SubjectType.INDIVIDUAL_BUSINESS)


# GB 32100 position 1 (登记管理部门) and 2 (机构类别) of the USCC (REFERENCE §4.1): 9 = 市场监管（工商）,
# 91 企业, 92 个体工商户, 93 农民专业合作社. Other departments (1 机构编制, 5 民政, Y 其他…) register
# 机关、事业单位、社会组织: organisations, never a 企业 or a 个体工商户.
_BY_USCC_PREFIX = {
    "91": (SubjectType.ENTERPRISE,),
    "92": (SubjectType.INDIVIDUAL_BUSINESS,),
    "93": (SubjectType.COOPERATIVE,),
}
_PREFIX_NAMES = {prefix: kinds[0].label for prefix, kinds in _BY_USCC_PREFIX.items()}


# The party classes of 行政处罚法第五十一条 as documents print them; 个体工商户 is its own class because which
# cap it takes is an agency setting (domain/agency.IndividualCap).
PARTY_PERSON, PARTY_INDIVIDUAL, PARTY_ORGANISATION = "自然人", "个体工商户", "法人或者其他组织"


def party_class(kind: SubjectType) -> str:
    if kind is SubjectType.NATURAL_PERSON:
        return PARTY_PERSON
    if kind is SubjectType.INDIVIDUAL_BUSINESS:
        return PARTY_INDIVIDUAL
    return PARTY_ORGANISATION


def identifier_types(uscc: str, id_number: str) -> tuple[SubjectType, ...] | None:
    """The types the identifiers allow; None when they say nothing (no code, or one too short to read).

    A USCC decides (a 个体工商户's record may also carry the operator's 身份证号); without one, a
    身份证号 makes the party a 自然人."""
    code = normalize_code(uscc)
    if len(code) == 18:
        if code[:2] in _BY_USCC_PREFIX:
            return _BY_USCC_PREFIX[code[:2]]
        if code[0] == "9":
            return (SubjectType.ENTERPRISE, SubjectType.COOPERATIVE, SubjectType.OTHER_ORG)
        return (SubjectType.OTHER_ORG,)
    if not code and len(normalize_code(id_number)) in (15, 18):
        return (SubjectType.NATURAL_PERSON,)
    return None


def derived_type(uscc: str, id_number: str) -> SubjectType | None:
    allowed = identifier_types(uscc, id_number)
    return allowed[0] if allowed is not None and len(allowed) == 1 else None


def identifier_basis(uscc: str, id_number: str) -> str:
    """Why the identifiers decide the type, in the words of the message."""
    code = normalize_code(uscc)
    if len(code) == 18:
        kind = _PREFIX_NAMES.get(code[:2])
        if kind:
            return f"统一社会信用代码第 1、2 位为「{code[:2]}」（登记管理部门代码 9 市场监管、机构类别代码 {code[1]} {kind}）"
        return f"统一社会信用代码第 1 位为「{code[0]}」（非市场监管部门登记的{'' if code[0] == '9' else '机关、事业单位或者社会组织'}）"
    return "只有身份证号码、没有统一社会信用代码的当事人为自然人"


def type_problems(kind: SubjectType, uscc: str, id_number: str, field: str = "subject_type") -> list[Problem]:
    """The type may not be set against the identifier: a 个体工商户 switched to 企业 got an organisation's
    ¥3,000 当场 fine (行政处罚法第五十一条)."""
    allowed = identifier_types(uscc, id_number)
    if allowed is None or kind in allowed:
        return []
    kind = SubjectType(kind)  # the UI hands the plain string a QComboBox keeps
    should = "或".join(t.label for t in allowed)
    return [
        Problem(
            field,
            "subject_type.identifier",
            f"{FIELD_LABELS['subject_type']}：{identifier_basis(uscc, id_number)}，应为{should}，不能选「{kind.label}」",
        )
    ]


# The one label of each field: the dialog, the messages, the import report and the conflict view use it.
FIELD_LABELS = {
    "name": "名称（姓名）",
    "subject_type": "主体类型",
    "uscc": "统一社会信用代码",
    "legal_rep": "法定代表人（负责人、经营者）",
    "id_number": "身份证号码",
    "address": "住所（经营场所）",
    "phone": "联系电话",
    "license_no": "许可证编号",
    "uscc_note": "保留校验位不符代码的理由",
}
CODED_FIELDS = {"subject_type": SubjectType}  # stored as the code, shown by the label


@dataclass(frozen=True)
class SubjectDraft:
    name: str
    subject_type: SubjectType = SubjectType.ENTERPRISE
    uscc: str = ""
    legal_rep: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    license_no: str = ""
    uscc_note: str = ""  # the officer's reason for keeping a code whose check character fails

    def normalized(self) -> SubjectDraft:
        return replace(
            self,
            name=self.name.strip(),
            uscc=normalize_code(self.uscc),
            id_number=normalize_code(self.id_number),
            legal_rep=self.legal_rep.strip(),
            address=self.address.strip(),
            phone=self.phone.strip(),
            license_no=self.license_no.strip(),
            uscc_note=self.uscc_note.strip(),
        )


def validate_subject(draft: SubjectDraft) -> list[Problem]:
    """All problems of a (normalized) draft. Warnings about the USCC check character vanish once the
    officer gives a reason (REFERENCE §4.1: real registered codes can fail it)."""
    d = draft.normalized()
    problems = validate_required(d.name, "name", FIELD_LABELS["name"])
    problems += validate_length(d.name, "name", FIELD_LABELS["name"], 200)
    problems += validate_length(d.address, "address", FIELD_LABELS["address"], 300)
    problems += validate_length(d.legal_rep, "legal_rep", FIELD_LABELS["legal_rep"], 60)
    problems += validate_length(d.license_no, "license_no", FIELD_LABELS["license_no"], 100)
    if d.uscc:
        problems += validate_uscc(d.uscc, "uscc", FIELD_LABELS["uscc"])
    if d.id_number:
        problems += validate_id_number(d.id_number, "id_number", FIELD_LABELS["id_number"])
    if d.phone:
        problems += validate_phone(d.phone, "phone", FIELD_LABELS["phone"])
    if d.uscc_note:
        problems = [p for p in problems if not (p.field == "uscc" and p.severity is Severity.WARNING)]
    return problems + type_problems(d.subject_type, d.uscc, d.id_number)
