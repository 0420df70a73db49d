"""Agency and officers set up on first run: the rules their values follow."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldkit.domain.problems import Problem

DEVICE_CODE = re.compile(r"^[A-Z0-9]{2,6}$")


@dataclass(frozen=True)
class OfficerDraft:
    name: str
    cert_no: str  # 执法证号
    unit: str = ""


@dataclass(frozen=True)
class AgencyDraft:
    full_name: str  # 某某市市场监督管理局
    short_name: str  # 文号的机关简称，如「某」→ 某市监处罚〔2026〕1号
    government_name: str = ""  # 本级人民政府，复议机关（行政复议法第二十四条）
    unit: str = ""
    phone: str = ""
    address: str = ""


def validate_officer(draft: OfficerDraft, prefix: str = "执法人员") -> list[Problem]:
    problems: list[Problem] = []
    if not draft.name.strip():
        problems.append(Problem("officer.name", "required", f"{prefix}姓名：必填"))
    elif len(draft.name.strip()) > 40:
        problems.append(Problem("officer.name", "too_long", f"{prefix}姓名：不能超过 40 个字"))
    cert = draft.cert_no.strip()
    if not cert:
        problems.append(
            Problem("officer.cert_no", "required", f"{prefix}执法证号：必填（行政处罚法第四十二条）")
        )
    elif len(cert) > 40:
        problems.append(Problem("officer.cert_no", "too_long", f"{prefix}执法证号：不能超过 40 个字符"))
    return problems


def validate_agency(draft: AgencyDraft) -> list[Problem]:
    problems: list[Problem] = []
    full = draft.full_name.strip()
    if not full:
        problems.append(Problem("agency.full_name", "required", "执法机关全称：必填"))
    elif "市场监督管理" not in full:
        problems.append(
            Problem(
                "agency.full_name",
                "not_market_regulation",
                "执法机关全称：应为市场监督管理局的全称，如「某某市市场监督管理局」",
            )
        )
    short = draft.short_name.strip()
    if not short:
        problems.append(
            Problem(
                "agency.short_name",
                "required",
                "机关简称：必填（用于文号，如「某市监处罚〔2026〕1号」中的「某」）",
            )
        )
    elif len(short) > 10:
        problems.append(Problem("agency.short_name", "too_long", "机关简称：不能超过 10 个字"))
    return problems


# Labels of the agency's settings, as the setup screens and the change list name them.
AGENCY_LABELS = {
    "full_name": "执法机关全称",
    "short_name": "机关简称（文号）",
    "government_name": "本级人民政府（复议机关）",
    "unit": "承办机构",
    "phone": "联系电话",
    "address": "地址",
}


@dataclass(frozen=True)
class SettingChange:
    """One setting that a re-run of setup would change, said in Chinese before anything is saved."""

    field: str  # "agency.short_name", "device_code", "officer.add"…
    label: str
    old: str
    new: str

    def text(self) -> str:
        if not self.old:
            return f"{self.label}：新增「{self.new}」"
        return f"{self.label}：「{self.old}」→「{self.new or '（空）'}」"


def agency_changes(
    old: AgencyDraft | None, new: AgencyDraft, old_code: str | None, new_code: str
) -> list[SettingChange]:
    """What saving `new` over `old` changes (nothing when old is None: that is the first setup)."""
    if old is None:
        return []
    out = []
    for key, label in AGENCY_LABELS.items():
        before, after = str(getattr(old, key)).strip(), str(getattr(new, key)).strip()
        if before != after:
            out.append(SettingChange(f"agency.{key}", label, before, after))
    code = new_code.strip().upper()
    if old_code is not None and old_code != code:
        out.append(SettingChange("device_code", "本机编号", old_code, code))
    return out


def identity_lock(changes: list[SettingChange], issued: int, last_number: str | None) -> list[Problem]:
    """The 机关简称 and the 本机编号 are part of every 文号 this laptop issued: once one is issued,
    changing either silently would let two laptops (or this one before and after) print numbers
    that collide or that the office cannot trace. It takes an explicit new series (docs/numbering.md)."""
    if not issued:
        return []
    out = []
    for change in changes:
        if change.field in ("agency.short_name", "device_code"):
            out.append(
                Problem(
                    change.field,
                    "identity_locked",
                    f"{change.label}：本机已开具 {issued} 个文号（最近一个：{last_number}），不能直接把"
                    f"「{change.old}」改为「{change.new}」；如确需修改，须开始新的文号序列"
                    "（已开具的文号继续有效，不会重号）",
                )
            )
    return out


def validate_device_code(code: str) -> list[Problem]:
    # The code goes into every document number made offline on this laptop, so it must be short
    # and unique within the agency (DESIGN §3).
    if not DEVICE_CODE.match(code.strip().upper()):
        return [
            Problem(
                "device_code",
                "format",
                "本机编号：须为 2–6 位大写字母或数字，如「A1」，且在本局各台电脑间不重复",
            )
        ]
    return []


def validate_team(officers: list[OfficerDraft]) -> list[Problem]:
    problems: list[Problem] = []
    for i, officer in enumerate(officers, 1):
        problems += validate_officer(officer, f"第 {i} 名执法人员")
    certs = [o.cert_no.strip() for o in officers if o.cert_no.strip()]
    if len(set(certs)) != len(certs):
        problems.append(Problem("officer.cert_no", "duplicate", "执法证号：同一执法证号不能登记两次"))
    if len(officers) < 2:
        problems.append(
            Problem(
                "officers", "too_few", "执法人员：至少登记两名（现场检查须两人以上，行政处罚法第四十二条）"
            )
        )
    return problems
