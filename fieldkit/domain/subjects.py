"""当事人（市场主体）: the values a subject has and the rules they follow."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.validators import (
    normalize_code,
    validate_id_number,
    validate_length,
    validate_phone,
    validate_required,
    validate_uscc,
)


class SubjectType(enum.StrEnum):
    ENTERPRISE = "企业"
    INDIVIDUAL_BUSINESS = "个体工商户"
    COOPERATIVE = "农民专业合作社"
    OTHER_ORG = "其他组织"
    NATURAL_PERSON = "自然人"

    @property
    def is_organisation(self) -> bool:
        """法人或者其他组织, for the 当场处罚 limit (行政处罚法第五十一条). 个体工商户 is set out under
        自然人 in 民法典 第五十四条, so it takes the stricter ¥200 limit for 公民."""
        return self not in (SubjectType.NATURAL_PERSON, SubjectType.INDIVIDUAL_BUSINESS)


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
    return problems
