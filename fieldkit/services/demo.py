"""Realistic demo data: subjects of several kinds, inspections across domains and outcomes, drafts."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import replace

from fieldkit.catalog import load_checklists
from fieldkit.domain.agency import AgencyDraft, OfficerDraft
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import (
    InspectionDraft,
    InspectionType,
    OfficerRef,
    Outcome,
    checks_for_domains,
)
from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.domain.validators import id_check_char, org_code_check_char, uscc_check_char
from fieldkit.services import inspections, setup, subjects
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.demo_documents import add_demo_documents

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志鹏飞宇浩然子轩梓涵欣怡晨阳喆堃昇犇"
STREETS = (
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "文化路",
    "新华街",
    "胜利街",
    "和平路",
    "迎宾大道",
    "滨河路",
)
BUSINESSES = (
    ("{}家超市有限公司", SubjectType.ENTERPRISE, ("food_business", "price_display", "measuring_instruments")),
    ("{}大药房连锁有限公司{}店", SubjectType.ENTERPRISE, ("drug_retail", "advertising")),
    ("{}餐饮管理有限公司", SubjectType.ENTERPRISE, ("food_business", "special_equipment")),
    ("{}记小吃店", SubjectType.INDIVIDUAL_BUSINESS, ("food_business", "price_display")),
    ("{}水果店", SubjectType.INDIVIDUAL_BUSINESS, ("measuring_instruments", "price_display")),
    ("{}物业服务有限公司", SubjectType.ENTERPRISE, ("special_equipment",)),
    ("{}五金电器商行", SubjectType.INDIVIDUAL_BUSINESS, ("product_quality", "price_display")),
    ("{}加油站有限公司", SubjectType.ENTERPRISE, ("measuring_instruments", "product_quality")),
    ("{}果蔬种植专业合作社", SubjectType.COOPERATIVE, ("food_business",)),
    ("{}美容美发店", SubjectType.INDIVIDUAL_BUSINESS, ("advertising", "price_display")),
    ("{}商贸有限公司", SubjectType.ENTERPRISE, ("product_quality", "advertising")),
    ("{}幼儿园食堂", SubjectType.OTHER_ORG, ("food_business", "special_equipment")),
)
SHOP_WORDS = "金华兴隆鑫源福瑞祥和顺达安康盛世永丰汇通惠民百姓佳美优品鲜"


def _uscc(rng: random.Random, prefix: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = "".join(rng.choice(alphabet[:10] + "MA") for _ in range(8))
    body = prefix + "371302" + org + org_code_check_char(org)
    return body + uscc_check_char(body)


def _id_number(rng: random.Random) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
    body = "371302" + birth.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return body + id_check_char(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def demo_subjects(rng: random.Random, count: int) -> list[tuple[SubjectDraft, tuple[str, ...]]]:
    out = []
    used: set[str] = set()
    while len(out) < count:
        template, kind, domains = BUSINESSES[len(out) % len(BUSINESSES)]
        word = rng.choice(SHOP_WORDS) + rng.choice(SHOP_WORDS)
        name = "临沂市" + template.format(word, rng.choice(STREETS).removesuffix("路").removesuffix("街"))
        if name in used:
            continue
        used.add(name)
        prefix = {SubjectType.INDIVIDUAL_BUSINESS: "92", SubjectType.COOPERATIVE: "93"}.get(kind, "91")
        if kind is SubjectType.OTHER_ORG:
            prefix = "12"
        draft = SubjectDraft(
            name=name,
            subject_type=kind,
            uscc=_uscc(rng, prefix),
            legal_rep=_person(rng),
            id_number=_id_number(rng) if kind is SubjectType.INDIVIDUAL_BUSINESS else "",
            address=f"山东省临沂市兰山区{rng.choice(STREETS)}{rng.randrange(1, 400)}号",
            phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            license_no=f"JY1371302{rng.randrange(10**6, 10**7)}" if "food_business" in domains else "",
        )
        out.append((draft, domains))
    return out


def load_demo(
    ctx: Context, *, seed: int = 2026, subject_count: int = 60, inspection_count: int = 26
) -> dict[str, int]:
    """Add demo data to the store (setting up a demo agency first if there is none)."""
    rng = random.Random(seed)
    if not setup.is_set_up(ctx):
        setup.run_setup(
            ctx,
            AgencyDraft(
                full_name="临沂市兰山区市场监督管理局",
                short_name="兰",
                government_name="临沂市兰山区人民政府",
                unit="综合行政执法大队",
                phone="0539-8123456",
                address="山东省临沂市兰山区金雀山路 1 号",
            ),
            [
                OfficerDraft("张建国", "37130219001", "综合行政执法大队"),
                OfficerDraft("李晓梅", "37130219002", "综合行政执法大队"),
                OfficerDraft("王喆", "37130219003", "食品药品稽查中队"),
                OfficerDraft("赵堃", "37130219004", "特种设备稽查中队"),
            ],
            "A1",
        )
    officers = setup.load_settings(ctx).active_officers
    domains = {d.id: d for d in load_checklists()}
    created: list[tuple[uuid.UUID, SubjectDraft, tuple[str, ...]]] = []
    for draft, subject_domains in demo_subjects(rng, subject_count):
        existing = subjects.search_subject_ids(ctx, draft.uscc)
        subject_id = existing[0] if existing else subjects.add_subject(ctx, draft)
        created.append((subject_id, draft, subject_domains))
    outcomes = list(Outcome)
    drafts = 0
    completed: list[uuid.UUID] = []
    for n in range(inspection_count):
        subject_id, subject, subject_domains = created[n * 2 % len(created)]
        chosen = [domains[d] for d in subject_domains if d in domains]
        day = ctx.today() - dt.timedelta(days=1 if n == 0 else rng.randrange(2, 120))  # 0: yesterday's visit
        start = dt.datetime.combine(day, dt.time(rng.randrange(9, 17), rng.choice((0, 15, 30, 45))), SHANGHAI)
        pair = rng.sample(officers, 2)
        checks = list(checks_for_domains(chosen))
        # Yesterday's visit (0) gets the 先行登记保存 of expired goods (demo_documents): a hold needs a
        # violation, so it ends in 立案调查, never 无问题.
        outcome = Outcome.OPEN_CASE if n == 0 else outcomes[n % len(outcomes)]
        results = [CheckResult.PASS if rng.random() < 0.8 else CheckResult.NOT_APPLICABLE for _ in checks]
        if outcome is not Outcome.NO_PROBLEM:
            for i in rng.sample(range(len(checks)), min(2, len(checks))):
                results[i] = CheckResult.FAIL
        checks = [
            replace(c, result=r, note="现场发现问题，已拍照取证" if r is CheckResult.FAIL else "")
            for c, r in zip(checks, results, strict=True)
        ]
        failed = [c for c in checks if c.result is CheckResult.FAIL]
        findings = "经检查，该单位证照齐全，未发现违法违规行为。"
        if failed:  # what officers write; the documents list the 不符合 items from the checks themselves
            findings = (
                f"对当事人经营场所进行了现场检查，负责人在场配合。发现 {len(failed)} 项不符合规定，"
                "已拍照取证，详见检查事项。"
            )
        draft = InspectionDraft(
            subject_id=str(subject_id),
            inspection_type=rng.choice(list(InspectionType)[:4]),
            start_at=start,
            end_at=start + dt.timedelta(minutes=rng.choice((40, 60, 90))),
            place=subject.address,
            officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in pair),
            domains=tuple(d.id for d in chosen),
            checks=tuple(checks),
            findings=findings,
            outcome=outcome,
            outcome_note={
                Outcome.MINOR_EXEMPT: "当事人系首次违法、危害后果轻微并已当场改正，已对其进行批评教育并宣讲相关法律规定。",
                Outcome.OPEN_CASE: "涉嫌违反相关法律规定，建议立案调查。",
                Outcome.TRANSFER: "涉嫌超出本局管辖，移送相关部门处理。",
            }.get(outcome, ""),
            rectify_deadline=ctx.today() + dt.timedelta(days=15) if outcome is Outcome.RECTIFY else None,
        )
        inspection_id = inspections.new_inspection(ctx, subject_id)
        if n % 6 == 5:  # a visit still being written up
            inspections.save_draft(ctx, inspection_id, replace(draft, outcome=None, end_at=None))
            drafts += 1
        else:
            inspections.complete_inspection(ctx, inspection_id, draft)
            completed.append(inspection_id)
    docs = add_demo_documents(ctx, completed, rng, actor=officers[0].name)
    return {"subjects": len(created), "inspections": inspection_count, "drafts": drafts, **docs}
