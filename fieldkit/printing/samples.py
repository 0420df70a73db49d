"""Realistic example values for every shipped form: the demo data, `fieldkit render` examples and the tests."""

from __future__ import annotations

import functools
import io
from typing import Any

from PIL import Image, ImageDraw

AGENCY = "汾阳市市场监督管理局"
GOVERNMENT = "汾阳市人民政府"
OFFICERS = [
    {"name": "王建国", "cert_no": "14110201001"},
    {"name": "李晓燕", "cert_no": "14110201017"},
]
PARTY = {
    "party_name": "汾阳市喆堃便利店",
    "license_name": "营业执照",
    "uscc": "92141182MA0KXXXX4B",
    "address": "山西省汾阳市胜利街 128 号",
    "legal_rep": "张昇犇",
    "id_no": "141182198807150036",
    "phone": "13903581234",
}
CONTACT = {"contact_person": "李晓燕", "contact_phone": "0358-7221234"}

FINDINGS = (
    "执法人员于2026年3月5日9时30分到达当事人经营场所，当事人负责人张昇犇在场。经查，当事人持有有效的营业执照和"
    "食品经营许可证，许可证在经营场所显著位置悬挂。\n"
    "在经营场所东侧第二排货架上，发现标示“某某牌”原味酸奶（规格：200g/盒，生产日期：2026年2月10日，保质期：21天）"
    "12盒，已超过保质期，与正常食品混放销售，未作“过期”标识。执法人员对上述食品及货架位置拍照4张。\n"
    "当事人未能提供上述酸奶的进货查验记录和供货者的许可证、产品合格证明文件。冷藏柜温度显示为4℃，运行正常。"
)

_QA = [
    {
        "q": "请介绍一下你店的基本经营情况。",
        "a": "我店是个体工商户，2019年开业，主要经营预包装食品、散装食品和日用百货，店里有2名员工。",
    },
    {
        "q": "执法人员在你店货架上发现的12盒“某某牌”原味酸奶是从哪里进的货？",
        "a": "是2026年2月20日从汾阳市某某商贸有限公司进的，一共进了24盒，进价每盒3.5元。",
    },
    {
        "q": "有无进货票据或者进货查验记录？",
        "a": "当时是送货员直接送来的，有一张送货单，但是找不到了，也没有做进货查验记录。",
    },
    {
        "q": "这批酸奶的销售价格是多少？已经卖出去多少？",
        "a": "每盒卖5元，已经卖了12盒，剩下的12盒就是你们看到的。",
    },
    {
        "q": "你是否知道这些酸奶已经超过保质期？",
        "a": "不知道，最近店里事情多，没有及时检查货架上的商品日期。",
    },
]

# Photos of the 证据提取单: the original files' SHA-256 (made up) → thumbnails made by sample_images().
PHOTO_HASHES = {
    "IMG_20260305_095012.jpg": "5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c",
    "IMG_20260305_095140.jpg": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "IMG_20260305_095233.jpg": "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
    "IMG_20260305_095301.jpg": "9b8a7f6e5d4c3b2a19080706050403020100fedcba98765432100123456789ab",
}


@functools.cache
def sample_images() -> dict[str, bytes]:
    """Small JPEG 'photos' (a shelf with boxes, landscape and portrait) for the PHOTO_HASHES."""
    out: dict[str, bytes] = {}
    for i, sha in enumerate(PHOTO_HASHES.values()):
        size = (256, 192) if i != 2 else (144, 256)
        img = Image.new("RGB", size, (214 - 20 * i, 206, 190 + 10 * i))
        draw = ImageDraw.Draw(img)
        w, h = size
        for shelf in range(1, 4):
            y = h * shelf // 4
            draw.rectangle((0, y, w, y + 4), fill=(120, 90, 60))
            for k in range(6):
                x = 8 + k * (w - 16) // 6
                draw.rectangle(
                    (x, y - 30, x + (w - 16) // 6 - 6, y - 2), fill=(240, 240, 250), outline=(40, 80, 160)
                )
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=80)
        out[sha] = buffer.getvalue()
    return out


SAMPLES: dict[str, dict[str, Any]] = {
    "xianchang_bilu": {
        "start_at": "2026-03-05T09:30",
        "end_at": "2026-03-05T10:45",
        "place": "山西省汾阳市胜利街 128 号汾阳市喆堃便利店经营场所",
        "matter": "食品安全日常监督检查",
        "officers": OFFICERS,
        "recorder": "李晓燕",
        **PARTY,
        "other_contact": "微信同手机号",
        "present_person": "张昇犇（负责人）",
        "party_presence": "当事人（或其工作人员）在场",
        "notify_method": "当面告知",
        "witness": "",
        "av_record": "执法记录仪全程录像，设备编号 ZFJLY-017，录像 2 段",
        "measures": ["先行登记保存"],
        "ans_identity": "看清楚了。",
        "ans_recusal": "不申请回避。",
        "ans_truth": "听清楚了，我会如实回答。",
        "findings": FINDINGS,
        "statement": "我店员工疏忽，没有及时清理过期酸奶，我们马上下架，以后一定加强管理。",
    },
    "xunwen_bilu": {
        "start_at": "2026-03-06T14:00",
        "end_at": "2026-03-06T15:10",
        "sequence": 1,
        "place": "汾阳市市场监督管理局第三询问室",
        "matter": "汾阳市喆堃便利店涉嫌经营超过保质期食品一案",
        "officers": OFFICERS,
        "recorder": "李晓燕",
        "name": "张昇犇",
        "gender": "男",
        "id_no": "141182198807150036",
        "employer": "汾阳市喆堃便利店",
        "position": "经营者",
        "relation": "当事人本人",
        "phone": "13903581234",
        "address": "山西省汾阳市胜利街 128 号",
        "ans_identity": "看清楚了。",
        "ans_recusal": "不申请。",
        "ans_truth": "听清楚了。",
        "qa": _QA,
    },
    "xunwen_tongzhi": {
        "addressee": "汾阳市喆堃便利店",
        "matter": "你单位涉嫌经营超过保质期食品",
        "attend_at": "2026-03-06T14:00",
        "attend_place": "汾阳市市场监督管理局（汾阳市府前街 9 号）三楼 305 室",
        "materials": [
            "营业执照（副本）及复印件",
            "法定代表人（负责人）身份证件及复印件",
            "进货票据、销售记录",
        ],
        "materials_other": "",
        **CONTACT,
        "issue_date": "2026-03-05",
    },
    "zhengju_tiqu": {
        "party_name": PARTY["party_name"],
        "uscc": PARTY["uscc"],
        "evidence_name": "超过保质期的“某某牌”原味酸奶现场照片",
        "evidence_kind": "视听资料",
        "evidence_form": "照片",
        "quantity": "4 张",
        "origin": "当事人经营场所东侧第二排货架",
        "place": "山西省汾阳市胜利街 128 号",
        "taken_at": "2026-03-05T09:50",
        "officers": OFFICERS,
        "proves": "当事人经营超过保质期的食品，与正常食品混放销售",
        "description": (
            "上述照片由执法人员王建国于2026年3月5日9时50分在汾阳市喆堃便利店经营场所内拍摄，内容为货架上摆放的"
            "12盒“某某牌”原味酸奶及其标签，证明当事人经营超过保质期食品的事实。"
        ),
        "photos": [
            {"label": name, "sha256": sha, "caption": f"拍摄时间：2026年3月5日9时{50 + i}分"}
            for i, (name, sha) in enumerate(PHOTO_HASHES.items())
        ],
        "issue_date": "2026-03-05",
    },
    "dianzi_shuju_tiqu": {
        "start_at": "2026-03-05T10:20",
        "end_at": "2026-03-05T10:40",
        "place": "山西省汾阳市胜利街 128 号",
        "officers": OFFICERS,
        "recorder": "李晓燕",
        "party_name": PARTY["party_name"],
        "uscc": PARTY["uscc"],
        "address": PARTY["address"],
        "phone": PARTY["phone"],
        "present_person": "张昇犇（负责人）",
        "carrier": "收银电脑（联想 ThinkCentre M720，序列号 PC0XK2A9）中的收银软件销售记录",
        "maker": "王建国",
        "methods": ["复制电子数据", "截屏"],
        "tools": "执法终端 FK-01，U 盘（编号 ZF-U-03，已格式化），FieldKit 哈希计算",
        "process": (
            "在当事人负责人张昇犇在场的情况下，由其登录收银软件，执法人员查询2026年2月20日至3月5日“某某牌”"
            "原味酸奶的销售记录，导出为表格文件并截屏，复制到执法 U 盘，当场计算各文件的 SHA-256 校验值。"
        ),
        "files": [
            {
                "name": "销售记录_20260220-20260305.xlsx",
                "size": 18_432,
                "sha256": "3f0a9c1d2b4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef",
                "method": "复制",
            },
            {
                "name": "收银软件查询截图.png",
                "size": 421_907,
                "sha256": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29181716151413121110f0e0d0c0b0",
                "method": "截屏",
            },
            {
                "name": "收银软件销售明细（2026年2月20日至3月5日）录屏.mp4",
                "size": 1_073_741_824,
                "sha256": "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
                "method": "录屏",
            },
        ],
        "storage": "执法 U 盘（编号 ZF-U-03），当场封存",
    },
    "xianxing_baocun": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep", "phone")},
        "matter": "经营超过保质期的食品",
        "approval": "已批准",
        "list_number": "汾市监清单〔2026〕7号",
        "storage_place": "当事人经营场所仓库",
        "storage_method": "就地由当事人保存",
        **CONTACT,
        "issue_date": "2026-03-05",
    },
    "qiangzhi_cuoshi": {
        **PARTY,
        "matter": "经营超过保质期的食品，违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定",
        "basis": "《中华人民共和国食品安全法》第一百一十条第（四）项",
        "measure": ["扣押"],
        "list_number": "汾市监清单〔2026〕8号",
        "location": "汾阳市市场监督管理局涉案财物保管室",
        "period_days": 30,
        "government": GOVERNMENT,
        **CONTACT,
        "issue_date": "2026-03-05",
    },
    "yanchang_qiangzhi": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep")},
        "measure": ["扣押"],
        "decision_number": "汾市监强措〔2026〕A1-3号",
        "list_number": "汾市监清单〔2026〕A1-8号",
        "original_date": "2026-03-05",
        "reason": "扣押的“某某牌”原味酸奶已送检，检验周期较长，三十日内不能出具检验报告",
        "new_end": "2026-05-04",
        "government": GOVERNMENT,
        **CONTACT,
        "issue_date": "2026-03-06",
    },
    "jiechu_qiangzhi": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep")},
        "measure": ["扣押"],
        "decision_number": "汾市监强措〔2026〕A1-3号",
        "list_number": "汾市监清单〔2026〕A1-8号",
        "original_date": "2026-03-05",
        "ground": "与违法行为无关",
        "ground_detail": "清单第 2 项“某某牌”草莓味酸奶经核查在保质期内，与本案违法行为无关",
        "scope": "部分",
        "government": GOVERNMENT,
        **CONTACT,
        "issue_date": "2026-03-06",
    },
    "jiechu_baocun": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep")},
        "preservation_number": "汾市监先保〔2026〕A1-2号",
        "list_number": "汾市监清单〔2026〕A1-7号",
        "original_date": "2026-03-05",
        "result": "已对有关证据采取拍照、录像和抽样等证据保全措施，不再需要先行登记保存",
        "scope": "全部",
        **CONTACT,
        "issue_date": "2026-03-06",
    },
    "caiwu_qingdan": {
        "party_name": PARTY["party_name"],
        "related_doc": "实施行政强制措施决定书",
        "related_number": "汾市监强措〔2026〕3号",
        "place": "山西省汾阳市胜利街 128 号",
        "counted_at": "2026-03-05T10:30",
        "party_presence": "当事人（或其工作人员）在场",
        "items": [
            {
                "name": "“某某牌”原味酸奶",
                "spec": "200g/盒",
                "batch": "2026-02-10",
                "producer": "某某乳业有限公司",
                "unit": "盒",
                "quantity": "12",
                "place": "本局涉案财物保管室",
                "note": "已过保质期",
            },
            {
                "name": "“某某牌”草莓味酸奶",
                "spec": "200g/盒",
                "batch": "2026-02-12",
                "producer": "某某乳业有限公司",
                "unit": "盒",
                "quantity": "6",
                "place": "本局涉案财物保管室",
                "note": "",
            },
        ],
    },
    "zhengju_qingdan": {
        "party_name": PARTY["party_name"],
        "uscc": PARTY["uscc"],
        "address": PARTY["address"],
        "matter": "食品安全日常监督检查",
        "place": "山西省汾阳市胜利街 128 号",
        "inspected_at": "2026-03-05T09:30",
        "officers": OFFICERS,
        "items": [
            {
                "seq": "1",
                "name": "超过保质期的“某某牌”原味酸奶现场照片",
                "kind": "视听资料",
                "source": "执法人员现场拍摄",
                "proves": "当事人经营超过保质期的食品",
                "quantity": "4 张",
                "collected_at": "2026-03-05T09:50",
                "collected_by": "王建国、李晓燕",
                "sha256": "\n".join(sha[:16] for sha in list(PHOTO_HASHES.values())[:4]),
            },
            {
                "seq": "2",
                "name": "营业执照复印件",
                "kind": "书证",
                "source": "当事人提供",
                "proves": "当事人的主体资格",
                "quantity": "1 页",
                "collected_at": "2026-03-05T10:05",
                "collected_by": "李晓燕",
                "sha256": "",
            },
            {
                "seq": "3",
                "name": "收银软件销售记录",
                "kind": "电子数据",
                "source": "当事人收银电脑",
                "proves": "涉案酸奶的进货和销售数量",
                "quantity": "3 个文件",
                "collected_at": "2026-03-05T10:20",
                "collected_by": "王建国",
                "sha256": "3f0a9c1d2b4e5f60\n9e8d7c6b5a4f3e2d\ndddddddddddddddd",
            },
            {
                "seq": "4",
                "name": "“某某牌”原味酸奶（实物）",
                "kind": "物证",
                "source": "当事人经营场所货架",
                "proves": "涉案食品的标签、生产日期和保质期",
                "quantity": "12 盒",
                "collected_at": "2026-03-05T10:30",
                "collected_by": "王建国、李晓燕",
                "sha256": "",
            },
        ],
        "note": "第 4 项已先行登记保存，见场所/设施/财物清单（汾市监清单〔2026〕7号）。",
    },
    "fengtiao": {
        "measure": "扣押",
        "doc_number": "汾市监强措〔2026〕3号",
        "party_name": PARTY["party_name"],
        "sealed_items": "“某某牌”原味酸奶 12 盒",
        "seal_date": "2026-03-05",
    },
    "zeling_gaizheng": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep")},
        "facts": "在经营场所销售超过保质期的“某某牌”原味酸奶12盒",
        "violated": "《中华人民共和国食品安全法》第三十四条第（十）项",
        "basis": "《中华人民共和国行政处罚法》第二十八条第一款",
        "correction_mode": "限期改正",
        "correction_deadline": "2026-03-12",
        "requirements": "立即下架并销毁超过保质期的食品；建立并落实进货查验记录制度，定期检查库存食品，及时清理变质或者超过保质期的食品。",
        "government": GOVERNMENT,
        **CONTACT,
        "issue_date": "2026-03-05",
    },
    "dangchang_chufa": {
        "party_type": "个体工商户",  # USCC 92…: the 公民 cap of ¥200 by default (行政处罚法第五十一条)
        **PARTY,
        "facts": "在经营场所销售的预包装食品“某某牌”饼干（净含量：200g）未按规定标注生产者联系方式，货值金额50元。",
        "evidence": "现场笔录、现场照片 3 张",
        "violated": "《中华人民共和国食品安全法》第六十七条第一款",
        "basis": "《中华人民共和国食品安全法》第一百二十五条第二款",
        "statement": "当事人未提出陈述、申辩。",
        "penalty_kinds": ["警告", "罚款"],
        "fine": 20000,
        "payment_method": "银行缴纳",
        "bank": "中国工商银行汾阳支行或者“山西省非税收入电子缴款”系统",
        "decided_at": "2026-03-05T11:00",
        "decided_place": "山西省汾阳市胜利街 128 号",
        "officers": OFFICERS,
        "government": GOVERNMENT,
        "issue_date": "2026-03-05",
    },
    "songda_dizhi": {
        "recipient": PARTY["party_name"],
        "case_name": "涉嫌经营超过保质期食品",
        "electronic": True,
        "mobile": "13903581234",
        "email": "zk_store@example.cn",
        "im_account": "微信：zk128",
        "address": "山西省汾阳市胜利街 128 号",
        "receiver": "张昇犇",
        "receiver_phone": "13903581234",
        "postcode": "032200",
    },
    "songda_huizheng": {
        "doc_name": "责令改正通知书",
        "doc_number": "汾市监责改〔2026〕12号",
        "recipient": PARTY["party_name"],
        "served_at": "2026-03-05T11:10",
        "place": "山西省汾阳市胜利街 128 号",
        "method": "直接送达",
        "note": "",
    },
    "chouyang_jilu": {
        **{k: PARTY[k] for k in ("party_name", "uscc", "address", "legal_rep", "phone")},
        "mode": "现场抽样",
        "purpose": "涉嫌销售不合格产品，依据《市场监督管理行政处罚程序规定》第三十一条抽样检验",
        "product_name": "电线电缆（BV 2.5平方毫米）",
        "brand": "某某",
        "spec": "BV 450/750V 2.5平方毫米",
        "batch": "20260108",
        "producer": "某某电缆有限公司（河北省某某县工业园区）",
        "base_qty": "30 卷",
        "sample_qty": "2 卷（各 10 米）",
        "reserve_qty": "1 卷",
        "seal_method": "样品装入抽样袋，加贴本局封条，由抽样人员和被抽样单位共同签名",
        "seal_numbers": "FT-2026-0311、FT-2026-0312",
        "storage": "常温、干燥",
        "place": "山西省汾阳市胜利街 128 号",
        "sampled_at": "2026-03-05T10:50",
        "officers": OFFICERS,
        "party_presence": "当事人（或其工作人员）在场",
        "av_record": "执法记录仪全程录像，设备编号 ZFJLY-017，录像 1 段",
    },
}


def number_for(code: str) -> str:
    return f"汾市监{code}〔2026〕12号"


def long_qa(pairs: int = 60) -> list[dict[str, str]]:
    """Many long question/answer pairs: a 询问笔录 of about ten pages."""
    out = []
    for i in range(pairs):
        base = _QA[i % len(_QA)]
        out.append({"q": f"（{i + 1}）{base['q']}", "a": base["a"] + "另外，" + base["a"] * 2})
    return out
