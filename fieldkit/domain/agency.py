"""Agency and officers set up on first run: the rules their values follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fieldkit.domain.coded import Coded
from fieldkit.domain.problems import Problem

DEVICE_CODE = re.compile(r"^[A-Z0-9]{2,6}$")


@dataclass(frozen=True)
class OfficerDraft:
    name: str
    cert_no: str  # 执法证号
    unit: str = ""


class AgencyLevel(Coded):
    """The agency's level: its 复议机关 is the 本级人民政府 (行政复议法第二十四条, in force 2024-01-01).
    Stored as the code (migration 0014 converted the labels older stores held)."""

    PROVINCE = "province", "省级"  # 省、自治区、直辖市市场监督管理局
    CITY = "city", "设区的市级"  # 设区的市、自治州市场监督管理局
    COUNTY = "county", "县级"  # 县、县级市、市辖区、旗市场监督管理局


class IndividualCap(Coded):
    """Which 当场 fine cap (行政处罚法第五十一条) a 个体工商户 takes: the law names only 公民 (¥200) and
    法人或者其他组织 (¥3,000). 民法典第五十四条 puts 个体工商户 under 自然人, so 公民 is the default;
    an agency whose province rules otherwise sets 法人或者其他组织."""

    CITIZEN = "citizen", "公民"
    ORGANISATION = "organisation", "法人或者其他组织"


INDIVIDUAL_CAP_BASIS = {
    IndividualCap.CITIZEN: "按本局设置适用公民的限额（民法典第五十四条：自然人从事工商业经营，经依法登记，为个体工商户）",
    IndividualCap.ORGANISATION: "按本局设置适用法人或者其他组织的限额",
}


@dataclass(frozen=True)
class AgencyDraft:
    full_name: str  # 某某市市场监督管理局
    short_name: str  # 文号的机关简称，如「某」→ 某市监处罚〔2026〕1号
    government_name: str = ""  # 本级人民政府，复议机关（行政复议法第二十四条）
    unit: str = ""
    phone: str = ""
    address: str = ""
    level: str = ""  # AgencyLevel code; "" = not confirmed yet (an older data dir)
    individual_cap: str = IndividualCap.CITIZEN.value  # IndividualCap code

    def completed(self) -> AgencyDraft:
        """Level and 本级人民政府 derived from the full name where the officer left them empty."""
        return replace(
            self,
            level=self.level or guess_level(self.full_name),
            government_name=self.government_name.strip() or default_government(self.full_name),
        )

    def review_body(self) -> str:
        """The 复议机关 every remedy block names: the 本级人民政府, never typed per document."""
        return self.government_name.strip() or default_government(self.full_name)


# Labels of the agency's settings: the one place the setup screens, the change list and the problems
# name them (issue 12 §4). The wording is the form's, as the manual and its screenshots show it.
AGENCY_LABELS = {
    "full_name": "执法机关全称",
    "short_name": "文号机关简称",
    "level": "机关层级",
    "government_name": "本级人民政府",
    "individual_cap": "个体工商户当场罚款",
    "unit": "承办机构",
    "phone": "联系电话",
    "address": "机关地址",
}
_LABEL = AGENCY_LABELS

AGENCY_SUFFIX = "市场监督管理局"


def agency_region(full_name: str) -> str:
    """ "临沂市兰山区市场监督管理局" → "临沂市兰山区" ("" when the name does not end that way)."""
    name = full_name.strip()
    return name.removesuffix(AGENCY_SUFFIX) if name.endswith(AGENCY_SUFFIX) else ""


def default_government(full_name: str) -> str:
    """The 本级人民政府 of a 市场监督管理局 of the same region: 某某区市场监督管理局 → 某某区人民政府."""
    region = agency_region(full_name)
    return f"{region}人民政府" if region else ""


def guess_level(full_name: str) -> str:
    """A first guess for older data dirs; 某某市 may be 设区的市 or 县级市, so the officer confirms it."""
    region = agency_region(full_name)
    if not region:
        return ""
    if region.endswith(("区", "县", "旗")) or region.count("市") >= 2:
        return AgencyLevel.COUNTY.value
    if region.endswith(("省", "自治区")) or region in ("北京市", "天津市", "上海市", "重庆市"):
        return AgencyLevel.PROVINCE.value
    return AgencyLevel.CITY.value


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
        problems.append(Problem("agency.full_name", "required", f"{_LABEL['full_name']}：必填"))
    elif "市场监督管理" not in full:
        problems.append(
            Problem(
                "agency.full_name",
                "not_market_regulation",
                f"{_LABEL['full_name']}：应为市场监督管理局的全称，如「某某市市场监督管理局」",
            )
        )
    short = draft.short_name.strip()
    if not short:
        problems.append(
            Problem(
                "agency.short_name",
                "required",
                f"{_LABEL['short_name']}：必填（用于文号，如「某市监处罚〔2026〕1号」中的「某」）",
            )
        )
    elif len(short) > 10:
        problems.append(Problem("agency.short_name", "too_long", f"{_LABEL['short_name']}：不能超过 10 个字"))
    return problems + validate_review_body(draft)


def _same_region(region: str, government: str) -> bool:
    """临沂市兰山区 is governed by 临沂市兰山区人民政府, also written 兰山区人民政府 — not 临沂市人民政府."""
    named = government.removesuffix("人民政府")
    return len(named) >= 2 and region.endswith(named) and (named == region or named[-1] == region[-1])


def validate_review_body(draft: AgencyDraft) -> list[Problem]:
    """行政复议法第二十四条: a 市场监督管理局 of a county-or-higher government is reviewed by the 本级人民政府.
    The old "人民政府或者上一级市场监督管理局" choice is gone since 2024-01-01."""
    problems: list[Problem] = []
    if draft.level not in set(AgencyLevel):
        choices = "、".join(AgencyLevel.labels()[:-1]) + "或" + AgencyLevel.labels()[-1]
        problems.append(
            Problem(
                "agency.level",
                "required",
                f"{_LABEL['level']}：请选择{choices}（用于确定复议机关，行政复议法第二十四条）",
            )
        )
    if draft.individual_cap not in set(IndividualCap):
        citizen, organisation = IndividualCap.CITIZEN.label, IndividualCap.ORGANISATION.label
        problems.append(
            Problem(
                "agency.individual_cap",
                "choice",
                f"{_LABEL['individual_cap']}：应选择按{citizen}或者按{organisation}",
            )
        )
    government = draft.government_name.strip()
    basis = "行政复议法第二十四条"
    if not government:
        problems.append(
            Problem(
                "agency.government_name",
                "required",
                f"{_LABEL['government_name']}：必填，文书据此告知复议机关（{basis}）",
            )
        )
    elif not government.endswith("人民政府"):
        problems.append(
            Problem(
                "agency.government_name",
                "not_government",
                f"{_LABEL['government_name']}：复议机关应为本级人民政府，如「{default_government(draft.full_name) or '某某市人民政府'}」，"
                f"不能是「{government}」（{basis}）",
            )
        )
    elif (region := agency_region(draft.full_name)) and not _same_region(region, government):
        problems.append(
            Problem(
                "agency.government_name",
                "not_same_level",
                f"{_LABEL['government_name']}：{draft.full_name.strip()}的复议机关是本级的「{region}人民政府」，不是「{government}」"
                f"（{basis}）",
            )
        )
    return problems


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
        before, after = _shown(key, getattr(old, key)), _shown(key, getattr(new, key))
        if before != after:
            out.append(SettingChange(f"agency.{key}", label, before, after))
    code = new_code.strip().upper()
    if old_code is not None and old_code != code:
        out.append(SettingChange("device_code", "本机编号", old_code, code))
    return out


def _shown(key: str, value: str) -> str:
    """A setting as the officer reads it: the coded ones by their label."""
    value = str(value).strip()
    coded = {"level": AgencyLevel, "individual_cap": IndividualCap}.get(key)
    if coded is not None and value in set(coded):
        return coded(value).label
    return value


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
