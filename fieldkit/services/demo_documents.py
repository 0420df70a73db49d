"""Demo documents: every on-site form for realistic inspections, some printed (finalised), plus
photo evidence and a hold on goods, so every screen of the demo has something true to show."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from fieldkit.catalog import load_formdef, load_formdefs
from fieldkit.domain import forms as F
from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind
from fieldkit.domain.formrules import MadeFrom, forms_made_from
from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
from fieldkit.printing import samples
from fieldkit.services import documents, evidence, inspections, issuing, measures
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.setup import load_settings

# Forms drafted from the inspection and the sample wording; the evidence and measure forms, the
# documents that cite them and the 送达回证 are made from real records below, in an order in which every
# number a document cites already exists (issue 9 item 9).
FROM_RECORDS = {
    "zhengju_tiqu",
    "zhengju_qingdan",
    "dianzi_shuju_tiqu",
    "caiwu_qingdan",
    "fengtiao",
    "xianxing_baocun",
    "qiangzhi_cuoshi",
    *forms_made_from(MadeFrom.ACTIVE_MEASURE),
    "songda_huizheng",
}
# Drafts still to be printed: complete (they pass every check), not yet handed over.
LEFT_AS_DRAFTS = {"xianchang_bilu", "xunwen_tongzhi", "songda_dizhi"}
# The sample visit ended at this moment (the forms' [example] values): sample times are moved to the demo
# visit by their offset from it, within the same day.
SAMPLE_VISIT_END = dt.datetime(2026, 3, 5, 10, 45)


# The demo's check notes are generic ("现场发现问题，已拍照取证"); taken over as 违法事实 (documents.prefill
# from inspection.violations) they would print a poor decision, so the samples' hand-written facts and the
# provisions that go with them are kept.
DEMO_NARRATIVE = frozenset({"facts", "violated"})


def _photo(rng: random.Random, n: int, shot: dt.datetime | None = None) -> bytes:
    """A plausible shelf photo (boxes on three shelves), different for every n; its EXIF time is `shot`
    (the moment during the visit the camera named it by), not a fixed sample day."""
    img = Image.new("RGB", (640, 480), (200 + rng.randrange(40), 200, 190))
    draw = ImageDraw.Draw(img)
    for shelf in range(1, 4):
        y = 480 * shelf // 4
        draw.rectangle((0, y, 640, y + 8), fill=(120, 90, 60))
        for k in range(8):
            x = 10 + k * 78
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.rectangle((x, y - 60 - rng.randrange(30), x + 64, y - 2), fill=colour, outline=(30, 30, 30))
    draw.text((12, 12), f"IMG {n:04d}", fill=(0, 0, 0))
    exif = Image.Exif()
    when = shot or dt.datetime(2026, 3, 5, 9, 30 + n)
    exif.get_ifd(0x8769)[0x9003] = f"{when:%Y:%m:%d %H:%M:%S}"  # DateTimeOriginal
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def _retell(value: Any, names: dict[str, str]) -> Any:
    """The sample wording told of this party, these officers and this agency."""
    if isinstance(value, str):
        for old, new in names.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_retell(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _retell(v, names) for k, v in value.items()}
    return value


def _fill(
    ctx: Context,
    document_id: uuid.UUID,
    form_id: str,
    extra: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Sample wording for everything the inspection did not already fill in; `extra` wins over both.
    `at`: the moment the sample's wording tells of (else its offset from the end of the visit)."""
    doc = documents.load_document(ctx, document_id)
    formdef = load_formdef(form_id)
    settings = load_settings(ctx)
    party_field = formdef.field_by_source("subject.name")
    party = str(doc.values.get(party_field.key, "")) if party_field else ""
    officers = [o.name for o in settings.active_officers]
    region = settings.agency.full_name.removesuffix("市场监督管理局")
    with ctx.sessions() as session:
        legal_rep = str(documents.prefill_sources(session, ctx, doc.matter_id).get("subject.legal_rep", ""))
    names = {
        samples.PARTY["party_name"]: party or "当事人",
        samples.PARTY["legal_rep"]: legal_rep or "负责人",
        samples.AGENCY: settings.agency.full_name,
        samples.GOVERNMENT: settings.agency.government_name or f"{region}人民政府",
        samples.OFFICERS[0]["name"]: officers[0],
        samples.OFFICERS[1]["name"]: officers[1],
        "山西省": "山东省",
        "汾阳市": region,
        "汾阳": region.removesuffix("区").removesuffix("县").removesuffix("市")[-2:],
    }
    sample = {
        k: _retell(v, names)
        for k, v in formdef.example.items()
        if (k not in doc.values or k in DEMO_NARRATIVE)
        and not (formdef.has_field(k) and formdef.field(k).refs)  # never a made-up 文号
    }
    sample = _redate(ctx, formdef, sample, doc.matter_id)
    sample = _retell_times(ctx, sample, doc.matter_id, at)
    start = doc.values.get("start_at")
    if isinstance(start, str) and "end_at" in sample:
        # The sample's end belongs to the sample's day: end this record half an hour after it began.
        end = dt.datetime.fromisoformat(start) + dt.timedelta(minutes=30)
        sample["end_at"] = end.strftime("%Y-%m-%dT%H:%M")
    taken_over = {k: v for k, v in doc.values.items() if not (k in DEMO_NARRATIVE and k in sample)}
    documents.save_values(ctx, document_id, {**sample, **taken_over, **(extra or {})})


_SAMPLE_TIME = re.compile(r"2026年3月5日(\d{1,2})时(\d{1,2})分")


def _retell_times(
    ctx: Context, sample: dict[str, Any], inspection_id: uuid.UUID | None, at: dt.datetime | None = None
) -> dict[str, Any]:
    """Times written into the sample's wording (“于2026年3月5日9时50分拍摄”) told of this visit, at the
    same offset from its end as _redate moves the date fields: a 证据提取单 must not say its photos were
    taken months before the inspection it belongs to (issue 9 item 8)."""
    now = ctx.now().astimezone(SHANGHAI).replace(tzinfo=None, second=0, microsecond=0)
    visit_end = now - dt.timedelta(hours=1)
    if inspection_id is not None:
        end = inspections.load_inspection(ctx, inspection_id).draft.end_at
        if end is not None:
            visit_end = end.astimezone(SHANGHAI).replace(tzinfo=None)

    def moved(match: re.Match[str]) -> str:
        if at is not None:
            return F.format_datetime(at.astimezone(SHANGHAI).replace(tzinfo=None))
        offset = dt.datetime(2026, 3, 5, int(match[1]), int(match[2])) - SAMPLE_VISIT_END
        return F.format_datetime(min(visit_end + offset, now - dt.timedelta(minutes=1)))

    return {k: _SAMPLE_TIME.sub(moved, v) if isinstance(v, str) else v for k, v in sample.items()}


def _redate(
    ctx: Context, formdef: F.FormDef, sample: dict[str, Any], inspection_id: uuid.UUID | None
) -> dict[str, Any]:
    """Sample dates told of this visit: what happened then moves to the visit's day at the sample's
    offset from the end of the sample visit; a deadline or appointment (`not_past`) lies as many days
    after today as in the sample (at least one); nothing ends up after now (issue 9 item 8)."""
    now = ctx.now().astimezone(SHANGHAI).replace(tzinfo=None, second=0, microsecond=0)
    visit_end = now - dt.timedelta(hours=1)
    if inspection_id is not None:
        end = inspections.load_inspection(ctx, inspection_id).draft.end_at
        if end is not None:
            visit_end = end.astimezone(SHANGHAI).replace(tzinfo=None)
    out = dict(sample)
    for fd in formdef.fields:
        value = sample.get(fd.key)
        if fd.type not in (F.FieldType.DATE, F.FieldType.DATETIME) or F.is_empty(value):
            continue
        moment = F.parse_datetime(value)
        if moment is None:
            continue
        offset = moment - SAMPLE_VISIT_END
        if fd.not_past:
            days = max(1, offset.days + (1 if offset.seconds else 0))
            moved = dt.datetime.combine(now.date() + dt.timedelta(days=days), moment.time())
        else:
            moved = visit_end + dt.timedelta(
                seconds=offset.seconds - (86400 if offset.seconds > 43200 else 0)
            )
            moved = min(moved, now - dt.timedelta(minutes=1))
        out[fd.key] = (
            moved.date().isoformat() if fd.type is F.FieldType.DATE else moved.strftime("%Y-%m-%dT%H:%M")
        )
    return out


def _print(ctx: Context, document_id: uuid.UUID, actor: str) -> str:
    """Print for signature; the demo's documents pass every check, so a refusal is a bug in the demo."""
    return documents.print_document(ctx, document_id, actor=actor).number or ""


def add_demo_documents(
    ctx: Context, inspection_ids: list[uuid.UUID], rng: random.Random, actor: str
) -> dict[str, int]:
    made = printed = 0
    forms = sorted(f for f in load_formdefs() if f not in FROM_RECORDS)
    served = ""
    for n, form_id in enumerate(forms):
        inspection_id = inspection_ids[n % len(inspection_ids)]
        document_id = documents.create_document(ctx, form_id, inspection_id)
        _fill(ctx, document_id, form_id)
        made += 1
        if form_id not in LEFT_AS_DRAFTS:
            _print(ctx, document_id, actor)
            printed += 1
            if form_id == "dangchang_chufa":
                served = str(document_id)
    # Photos of the shelf, a hold on the expired goods, a seizure, and the documents made from them.
    inspection_id = inspection_ids[0]
    visit = inspections.load_inspection(ctx, inspection_id).draft
    taken = (visit.start_at or ctx.now()) + dt.timedelta(minutes=20)  # photos taken during the visit
    item_id = evidence.add_evidence_item(
        ctx,
        inspection_id,
        EvidenceDraft(
            name="经营场所货架现场照片",
            kind=EvidenceKind.AUDIOVISUAL,
            source="执法人员现场拍摄",
            proves="超过保质期的食品与正常食品混放销售",
            quantity="3 张",
            collected_at=taken,
        ),
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(3):
            shot = (taken + dt.timedelta(seconds=40 * i)).astimezone(SHANGHAI)  # named as the camera names it
            path = Path(tmp) / f"IMG_{shot:%Y%m%d_%H%M%S}.jpg"
            path.write_bytes(_photo(rng, i, shot.replace(tzinfo=None)))
            paths.append(path)
        evidence.add_files(ctx, item_id, paths)
    decided_on = taken.astimezone(SHANGHAI).date()
    hold = measures.add_measure(
        ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.PRESERVATION,
            decided_on=decided_on,
            reason="涉嫌销售超过保质期的食品",
            storage_place="当事人经营场所仓库",
            items=(
                GoodsLine(
                    "某某牌原味酸奶", "200g/盒", "2026-02-10", "某某乳业有限公司", "盒", "12", "经营场所仓库"
                ),
            ),
        ),
    )
    seizure = measures.add_measure(
        ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.SEIZE,
            decided_on=decided_on,
            reason="涉嫌销售超过保质期的食品，需送检",
            storage_place="本局涉案财物保管室",
            items=(
                GoodsLine(
                    "某某牌纯牛奶",
                    "250mL/盒",
                    "2026-01-28",
                    "某某乳业有限公司",
                    "盒",
                    "6",
                    "本局涉案财物保管室",
                ),
            ),
        ),
    )
    screenshots = evidence.add_evidence_item(
        ctx,
        inspection_id,
        EvidenceDraft(
            name="网店商品展示页面截图",
            kind=EvidenceKind.ELECTRONIC,
            source="当事人经营的网店后台",
            proves="当事人通过网络销售涉案食品及销售价格",
            quantity="2 个文件",
            collected_at=taken + dt.timedelta(minutes=10),
        ),
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(2):
            path = Path(tmp) / f"网店截图_{i + 1}.png"
            Image.open(io.BytesIO(_photo(rng, 10 + i))).save(path, "PNG")
            paths.append(path)
        evidence.add_files(ctx, screenshots, paths)

    def from_records(
        form_id: str, extra: dict[str, Any] | None = None, at: dt.datetime | None = None, **kwargs: Any
    ) -> str:
        nonlocal made, printed
        document_id = issuing.from_record(ctx, form_id, inspection_id, **kwargs)
        _fill(ctx, document_id, form_id, extra, at)
        made += 1
        printed += 1
        return _print(ctx, document_id, actor)

    def drafted(form_id: str, extra: dict[str, Any] | None = None) -> uuid.UUID:
        nonlocal made
        document_id = documents.create_document(ctx, form_id, inspection_id)
        _fill(ctx, document_id, form_id, extra)
        made += 1
        return document_id

    # the slip's wording names the moment the photos were taken, as their EXIF and file names do
    from_records("zhengju_tiqu", item_id=item_id, at=taken)
    from_records("dianzi_shuju_tiqu", item_id=screenshots)
    # Each cited number exists before it is cited: the 清单 first, then the notice or decision naming
    # it, then the 封条 naming the decision (issue 9 item 9).
    hold_list = from_records("caiwu_qingdan", measure_id=hold)
    _print(ctx, drafted("xianxing_baocun", {"list_number": hold_list}), actor)
    printed += 1
    seizure_list = from_records("caiwu_qingdan", measure_id=seizure)
    _print(ctx, drafted("qiangzhi_cuoshi", {"list_number": seizure_list, "measure": ["扣押"]}), actor)
    printed += 1
    # The 封条 goes on the seized goods (程序规定第四十一条); the 先行登记保存 gets none (第三十四条:
    # kept as its 清单 says), and evidence_docs refuses to make one for it.
    from_records("fengtiao", measure_id=seizure)
    # What settles the two measures, drafted from them and left for the officer: printing one would
    # extend or end its measure, and the due board shows them open with these documents.
    told = {  # the sample's wording told of these goods
        "yanchang_qiangzhi": {"reason": "扣押的“某某牌”纯牛奶已送检，检验周期较长，三十日内不能出具检验报告"},
        "jiechu_qiangzhi": {
            "ground": "其他",
            "ground_detail": "送检的“某某牌”纯牛奶经检验合格",
            "scope": "全部",
        },
    }
    for form_id in sorted(forms_made_from(MadeFrom.ACTIVE_MEASURE)):
        document_id = issuing.new_document(ctx, form_id, inspection_id)
        _fill(ctx, document_id, form_id, told.get(form_id))
        made += 1
    document_id = issuing.new_document(ctx, "zhengju_qingdan", inspection_id)
    made += 1
    documents.print_document(ctx, document_id, actor=actor)
    printed += 1
    if served:  # the 送达回证 of the printed 当场处罚决定书, served just now
        now = ctx.now().astimezone(SHANGHAI) - dt.timedelta(minutes=1)
        receipt = documents.create_receipt(ctx, uuid.UUID(served))  # its title and 文号 taken over
        _fill(ctx, receipt, "songda_huizheng", {"served_at": now.strftime("%Y-%m-%dT%H:%M")})
        made += 1
    return {"documents": made, "finalised": printed}
