"""措施: 先行登记保存, 查封, 扣押 and 抽样, with their goods lists."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from fieldkit.domain.coded import Coded
from fieldkit.domain.deadlines import Deadline, preservation_deadline, seizure_deadline
from fieldkit.domain.problems import Problem
from fieldkit.domain.workdays import WorkCalendar


class MeasureKind(Coded):
    PRESERVATION = "preservation", "先行登记保存"  # 行政处罚法第五十六条
    SEAL = "seal", "查封"  # 行政强制法第二十二条
    SEIZE = "seize", "扣押"
    SAMPLING = "sampling", "抽样"  # 程序规定第三十一条

    @property
    def sealed(self) -> bool:
        """Goods carry the bureau's 封条 (程序规定第三十一条、第四十一条); 先行登记保存 keeps them without one."""
        return self is not MeasureKind.PRESERVATION

    @property
    def needs_storage(self) -> bool:
        """A place where the goods are kept; a sample goes to the testing body instead."""
        return self is not MeasureKind.SAMPLING


def measure_deadline(
    cal: WorkCalendar, kind: MeasureKind, decided_on: dt.date, extended: bool = False
) -> Deadline | None:
    """The statutory deadline of a measure (None for 抽样, which has none)."""
    if kind is MeasureKind.PRESERVATION:
        return preservation_deadline(cal, decided_on)
    if kind in (MeasureKind.SEAL, MeasureKind.SEIZE):
        return seizure_deadline(cal, decided_on, extended)
    return None


class MeasureStatus(enum.StrEnum):
    ACTIVE = "active"
    RELEASED = "released"  # 解除
    CONVERTED = "converted"  # e.g. 先行登记保存 turned into 查封/扣押 or a confiscation
    CLOSED = "closed"  # sampling done


STATUS_LABELS = {
    "active": "进行中",
    "released": "已解除",
    "converted": "已转处理",
    "closed": "已结束",
    "lapsed": "已逾期自动解除",
}

# 场所/设施/财物清单 columns (REFERENCE §1.4; 生产日期/批号 and 生产者 as issue 4 asks).
GOODS_COLUMNS = (
    ("name", "名称"),
    ("spec", "规格型号"),
    ("batch", "生产日期/批号"),
    ("producer", "生产者"),
    ("unit", "单位"),
    ("quantity", "数量"),
    ("place", "存放地点"),
    ("note", "备注"),
)


@dataclass(frozen=True)
class GoodsLine:
    name: str
    spec: str = ""
    batch: str = ""
    producer: str = ""
    unit: str = ""
    quantity: str = ""
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class MeasureDraft:
    kind: MeasureKind
    decided_on: dt.date
    reason: str = ""
    storage_place: str = ""
    seal_text: str = ""
    items: tuple[GoodsLine, ...] = field(default_factory=tuple)


def validate_measure(draft: MeasureDraft) -> list[Problem]:
    problems: list[Problem] = []
    if not draft.items:
        problems.append(
            Problem("items", "required", "物品清单：至少登记一项（行政强制法第二十四条：写明名称、数量）")
        )
    for i, line in enumerate(draft.items, 1):
        if not line.name.strip():
            problems.append(Problem("items", "name", f"物品清单第 {i} 行：名称必填"))
        if not line.quantity.strip():
            problems.append(Problem("items", "quantity", f"物品清单第 {i} 行：数量必填（清点后当场登记）"))
    if draft.kind.needs_storage and not draft.storage_place.strip():
        problems.append(Problem("storage_place", "required", "存放地点：必填"))
    return problems


# The measures whose goods carry the bureau's 封条, by the label printed on the strip.
SEALED_LABELS = tuple(kind.label for kind in MeasureKind if kind.sealed)


def seal_refusal(measure: str) -> str:
    """Why no 封条 may be printed for the measure labelled `measure` ("" when it may, or is empty).

    程序规定第四十一条: 查封、扣押的场所、设施、财物 carry the bureau's 封条; 第三十一条: so do samples. A
    先行登记保存 is counted onto its 清单, which says how and where it is kept, and the party must not
    damage or move it (程序规定第三十四条): it gets no 封条 (the measure dialog and the panel say so too).
    """
    measure = measure.strip()
    if not measure or measure in SEALED_LABELS:
        return ""
    basis = "市场监督管理行政处罚程序规定第三十一条、第四十一条"
    if MeasureKind.PRESERVATION.label in measure:
        return (
            "先行登记保存不加贴封条。封条只用于查封、扣押的场所、设施、财物和抽样的样品"
            f"（{basis}）；先行登记保存的物品在清单上注明保存方式和地点，保存期间当事人或者有关人员不得"
            "损毁、销毁或者转移（程序规定第三十四条）"
        )
    return f"封条只用于{'、'.join(SEALED_LABELS[:-1])}或者{SEALED_LABELS[-1]}，现为“{measure}”（{basis}）"


def seal_strip_text(agency: str, kind: MeasureKind, decided_on: dt.date, number: str = "") -> str:
    """封条 text (程序规定第四十一条: sealed items carry the bureau's 封条)."""
    date = f"{decided_on.year}年{decided_on.month}月{decided_on.day}日"
    ref = f"（{number}）" if number else ""
    return f"{agency}\n封　条\n{kind.label}{ref}\n{date}\n擅自启封、转移、损毁的，依法追究法律责任"
