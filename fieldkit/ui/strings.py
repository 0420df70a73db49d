"""All user-visible UI text: constants and small functions for texts with parameters (STYLE §7)."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain import evidence as _evidence
from fieldkit.domain import inspections as _inspections
from fieldkit.domain import subjects as _subjects
from fieldkit.domain.agency import AGENCY_LABELS, IndividualCap
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.documents import STATE_LABELS as DOC_STATE_LABELS
from fieldkit.domain.documents import DocState
from fieldkit.domain.evidence import STATUS_LABELS as EVIDENCE_STATUS_LABELS
from fieldkit.domain.measures import MeasureKind

APP_TITLE = "FieldKit 现场执法助手"
APP_SHORT = "FieldKit"

# ---- generic ---------------------------------------------------------------------------------------
OK = "确定"
CANCEL = "取消"
SAVE = "保存"
CLOSE = "关闭"
ADD = "新增"
EDIT = "编辑"
DELETE = "删除"
SEARCH = "搜索"
REFRESH = "刷新"
YES = "是"
NO = "否"
NOT_FILLED = "未填写"
NOW = "现在"
# The typed date / date-time input (widgets/date_input.py); parsing messages come from domain/datetext.
DATE_INPUT_TIP = "可直接输入：20261218、2026-12-18、2026/12/18、12-18、今天；按 ↑/↓ 加减一天，Alt+↓ 打开日历"
DATETIME_INPUT_TIP = (
    "可直接输入：2026-12-18 10:30、20261218 1030、12-18 10:30、14:30（今天）；按 ↑/↓ 加减一天，Alt+↓ 打开日历"
)
DATE_INPUT_CALENDAR_TIP = "打开日历（Alt+↓）"
DATE_INPUT_TODAY = "今天"


def date_input_error(label: str, message: str, kept: str | None) -> str:
    """A typed date that was refused: what is wrong, and that the field still holds its old value."""
    head = f"{label}：{message}" if label else message
    return f"{head}（未采用，仍为 {kept}）" if kept else f"{head}（未采用）"


BACK_TO_LIST = "返回列表"
ERROR_TITLE = "出错了"
WARNING_TITLE = "提示"
CONFIRM_TITLE = "请确认"
ALREADY_RUNNING = "FieldKit 已在运行。\n\n请切换到已打开的窗口；同一数据目录不能同时打开两个 FieldKit。"
GENERIC_ERROR = "程序遇到意外问题，刚才的操作没有完成。\n\n已录入并自动保存的内容不会丢失。问题详情已写入日志文件，可交给技术人员查看。"
VALIDATION_INTRO = "以下内容需要修改："
LOG_HINT = "日志位置："


def error_detail(text: str) -> str:
    return f"详细信息：{text}"


# ---- main window -----------------------------------------------------------------------------------
NAV_DASHBOARD = "工作台"
NAV_INSPECTIONS = "检查"
NAV_SUBJECTS = "当事人"
NAV_SETTINGS = "设置"
MENU_FILE = "文件(&F)"
MENU_VIEW = "查看(&V)"
MENU_HELP = "帮助(&H)"
ACTION_NEW_INSPECTION = "新建检查"
ACTION_FIND = "查找当事人"
ACTION_IMPORT = "导入名录…"
ACTION_QUIT = "退出"
ACTION_ABOUT = "关于 FieldKit"
ABOUT_TITLE = "关于 FieldKit"


def about_text(version: str) -> str:
    return (
        f"<h3>FieldKit 现场执法助手</h3><p>版本 {version}</p>"
        "<p>市场监管综合行政执法离线现场检查工具：进一扇门、查多件事。</p>"
        "<p>所有数据保存在本机，无需联网。</p>"
    )


def status_agency(name: str) -> str:
    return f"执法机关：{name}"


def status_device(code: str) -> str:
    return f"本机编号：{code}"


def autosaved(at: dt.datetime) -> str:
    return f"已自动保存 {at:%H:%M:%S}"


def autosave_failed(reason: str) -> str:
    return f"自动保存失败：{reason}（请勿关闭程序，稍后会再次尝试保存）"


# A data dir that cannot be written (read-only medium, no permission, disk full): issue 11.6.
READ_ONLY_TITLE_SUFFIX = "（只读：不能保存修改）"
READ_ONLY_STATUS = "只读模式：可以查看、校验和导出到其他磁盘，但不能保存修改"


def read_only_notice(reason: str) -> str:
    return f"数据目录现在不能写入，FieldKit 以只读方式打开。\n\n原因：{reason}\n\n可以查看记录、校验数据包、导出到其他磁盘；输入的内容不会被保存。"


# An editor whose record someone else changed meanwhile (no lost update, issue 11.5).
EDIT_CONFLICT_TAKE_THEIRS = "载入对方的版本"
EDIT_CONFLICT_TAKE_THEIRS_TIP = "显示对方保存的内容；本窗口输入的文字先复制到剪贴板，可再粘贴回去"
EDIT_CONFLICT_STATUS = "未保存：与另一处的修改冲突"


def edit_conflict_banner(message: str) -> str:
    return f"{message}。\n点「{EDIT_CONFLICT_TAKE_THEIRS}」查看对方的内容，你的文字会复制到剪贴板，可粘贴回需要的地方。"


def edit_conflict_copied(chars: int) -> str:
    return f"已载入对方的版本；你原先输入的 {chars} 个字已复制到剪贴板"


# ---- dashboard -------------------------------------------------------------------------------------
DASH_TITLE = "工作台"
DASH_DRAFTS = "进行中的检查（草稿）"
DASH_RECENT = "最近完成的检查"
DASH_NO_DRAFTS = "没有未完成的草稿。"
DASH_NO_RECENT = "还没有完成的检查。"
DASH_OPEN_HINT = "单击继续填写"
DASH_RECENT_HINT = "双击查看"


def dash_counts(drafts: int, completed: int, subjects: int) -> str:
    return f"草稿 {drafts} 份　·　已完成检查 {completed} 次　·　当事人 {subjects} 户"


def dash_greeting(agency: str) -> str:
    return f"{agency}　现场检查"


# ---- columns ---------------------------------------------------------------------------------------
COL_SUBJECT_NAME = "名称"
COL_SUBJECT_TYPE = _subjects.FIELD_LABELS["subject_type"]
COL_USCC = _subjects.FIELD_LABELS["uscc"]
COL_LEGAL_REP = "法定代表人（负责人）"
COL_ADDRESS = _subjects.FIELD_LABELS["address"]
COL_PHONE = "联系电话"
COL_START = "检查时间"
COL_SUBJECT = "当事人"
COL_TYPE = _inspections.FIELD_LABELS["inspection_type"]
COL_DOMAINS = _inspections.FIELD_LABELS["domains"]
COL_FAILED = "不符合项"
COL_OUTCOME = _inspections.FIELD_LABELS["outcome"]
COL_STATUS = "状态"
COL_OFFICERS = _inspections.FIELD_LABELS["officers"]
COL_NO = "序号"
COL_DOMAIN = "领域"
COL_GROUP = "分组"
COL_ITEM = "检查事项"
COL_RESULT = "结果"
COL_NOTE = "备注"
COL_OFFICER_NAME = "姓名"
COL_CERT_NO = "执法证号"
COL_UNIT = "所在单位"
COL_ACTIVE = "状态"
COL_ROW = "行号"
COL_KIND = "类别"
COL_FIELD = "字段"
COL_REASON = "原因"
OFFICER_ACTIVE = "在岗"
OFFICER_INACTIVE = "已停用"
NO_SUBJECT = "（未选当事人）"

# ---- subjects --------------------------------------------------------------------------------------
SUBJECTS_TITLE = "当事人"
SUBJECT_SEARCH_PLACEHOLDER = "输入名称、代码、地址、负责人或电话搜索（1 个字也可以）"
SUBJECT_ADD = "新增当事人"
SUBJECT_EDIT = "编辑"
SUBJECT_DELETE = "删除"
SUBJECT_IMPORT = "导入名录"
SUBJECT_NEW_INSPECTION = "新建检查"
SUBJECT_DIALOG_ADD = "新增当事人"
SUBJECT_DIALOG_EDIT = "编辑当事人"


def subject_type_derived(basis: str) -> str:
    return f"主体类型由代码确定：{basis}"


SUBJECT_KEEP_USCC = "保留此代码"
SUBJECT_KEEP_USCC_HINT = "该代码校验未通过。如营业执照上确实如此，请填写理由后点「保留此代码」。"
SUBJECT_NOTE_REQUIRED = "请先填写保留理由，再点「保留此代码」。"
SUBJECT_REQUIRED_MARK = "（必填）"
IMPORT_FILE_TITLE = "选择市场主体名录文件"
IMPORT_FILE_FILTER = "名录文件 (*.xlsx *.csv);;Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"
IMPORT_PROGRESS = "正在导入名录…"
IMPORT_CANCELLED = "导入已取消，未导入任何记录。"
IMPORT_REPORT_TITLE = "名录导入结果"
IMPORT_REJECTED = "拒绝"
IMPORT_WARNING = "警告"
IMPORT_HELD = "待确认"
IMPORT_ALL_GOOD = "所有行均已导入，没有问题。"
IMPORT_HELD_HINT = (
    "「待确认」的行只有警告（如统一社会信用代码校验位不符，而登记的代码确实如此），尚未导入。"
    "核对无误后可点「仍然导入待确认的行」，这些行将按原样保留并注明；已导入的行不会重复。"
)
SELECT_SUBJECT_FIRST = "请先在列表中选择一个当事人。"


def subject_count(n: int) -> str:
    return f"共 {n} 户"


def confirm_delete_subject(name: str) -> str:
    return f"确定删除当事人「{name}」吗？\n\n已有的检查记录仍会保留该当事人的名称。"


def import_summary(
    accepted: int, updated: int, unchanged: int, rejected_rows: int, warnings: int, held_rows: int = 0
) -> str:
    held = f"待确认未导入 {held_rows} 行，" if held_rows else ""
    return (
        f"新增 {accepted} 户，更新 {updated} 户，未变 {unchanged} 户；"
        f"拒绝 {rejected_rows} 行，{held}警告 {warnings} 条。"
    )


def import_keep_held(rows: int) -> str:
    return f"仍然导入待确认的行（{rows} 行）"


def import_file_label(name: str) -> str:
    return f"文件：{name}"


# ---- subject picker --------------------------------------------------------------------------------
PICKER_TITLE = "选择当事人"
PICKER_HINT = "输入关键字搜索，用 ↑↓ 选择，按回车确定。"

# ---- inspections list ------------------------------------------------------------------------------
INSPECTIONS_TITLE = "检查"
INSPECTION_FILTER_PLACEHOLDER = "按当事人名称或检查地点筛选"
STATUS_ALL = "全部"
INSPECTION_OPEN = "打开"
INSPECTION_NEW = "新建检查"
INSPECTION_DELETE_DRAFT = "删除草稿"
CONFIRM_DELETE_DRAFT = "确定删除这份检查草稿吗？删除后不能在列表中再看到它。"
ONLY_DRAFTS_DELETABLE = "只能删除草稿；已完成的检查不能删除。"
SELECT_INSPECTION_FIRST = "请先在列表中选择一次检查。"


def inspection_count(n: int) -> str:
    return f"共 {n} 次"


def check_item_tooltip(text: str, basis: str) -> str:
    return f"{text}\n\n依据：{basis}" if basis else text


def failed_count(n: int) -> str:
    return f"{n} 项" if n else "—"


# ---- inspection editor -----------------------------------------------------------------------------
EDITOR_TITLE = "现场检查"
EDITOR_COMPLETE = "完成检查"
EDITOR_REOPEN = "撤回完成"
EDITOR_REOPEN_PROMPT = "请填写撤回理由（将记入操作日志）："
EDITOR_PICK_SUBJECT = "选择…"
EDITOR_CHANGE_SUBJECT = "更换…"
EDITOR_NO_SUBJECT = "尚未选择当事人"
EDITOR_SECTION_BASIC = "基本信息"
EDITOR_SECTION_CHECKS = "检查事项"
EDITOR_SECTION_FINDINGS = "检查情况"
EDITOR_SECTION_OUTCOME = "处理结果"
EDITOR_ALL_PASS = "未填项全部符合"
# Keys 1/2/3 are the results in their order (ui/models/check_table RESULTS).
EDITOR_KEY_HINT = (
    "选中一行后按键盘 "
    + "、".join(f"{n} {result.label}" for n, result in enumerate(CheckResult, 1))
    + "、Delete 清除；双击「备注」可填写。"
)
EDITOR_NO_DOMAINS = "请在左侧勾选检查领域，检查事项会列在这里。"
EDITOR_FINDINGS_PLACEHOLDER = "记录现场检查的情况：检查了什么、看到了什么、发现了什么问题……"
EDITOR_NOTE_PLACEHOLDER = "轻微免罚须写明对当事人的教育情况；立案、移送须写明事由"
# 处理说明 as each outcome needs it; for 责令改正 it is the 改正内容和要求 the notice takes over
EDITOR_NOTE_RECTIFY_PLACEHOLDER = "改正要求，如：立即将过期食品下架销毁（责令改正通知书据此填写）"
EDITOR_NOTE_EXEMPT_PLACEHOLDER = "写明对当事人的批评教育情况（轻微免罚须记录）"
EDITOR_NOTE_CASE_PLACEHOLDER = "写明立案或移送的事由"
EDITOR_NO_FAILED = "没有不符合项。"
EDITOR_COMPLETED_BANNER = "此检查已完成，内容已锁定。如需更正，请点「撤回完成」。"
EDITOR_FOREIGN_BANNER = (
    "此检查由其他执法终端制作并导入本机，只能查看；修改、完成或撤回须在制作它的执法终端上进行。"
)
EDITOR_COMPLETED_OK = "检查已完成。"
EDITOR_OFFICERS_HINT = "勾选到场的执法人员（至少两名）"
EDITOR_DOMAINS_HINT = "可多选：进一扇门，查多件事"
EDITOR_CHECKLIST_ERROR = "检查事项清单无法读取："
EDITOR_DELETED = "草稿已删除。"
RECOVERY_DISMISS = "知道了"
EDITOR_PROBLEMS_TITLE = "还不能完成检查，请先处理以下问题："


def editor_too_few_officers(n: int) -> str:
    return f"现场检查须至少两名执法人员，当前已选 {n} 名。"


def failed_summary(texts: list[str]) -> str:
    if not texts:
        return EDITOR_NO_FAILED
    items = "；".join(f"{i}. {t}" for i, t in enumerate(texts, 1))
    return f"不符合项 {len(texts)} 项：{items}"


def all_pass_action(domain_name: str) -> str:
    return f"{domain_name}：未填项全部符合"


def recovery_banner(saved_at: str) -> str:
    return f"上次程序意外退出，已恢复未完成的草稿（最后保存于 {saved_at}）。"


RECOVERY_NO_DRAFT = "上次程序意外退出。所有已录入的内容都已自动保存，请在「检查」中查看草稿。"


def officer_entry(name: str, cert_no: str) -> str:
    return f"{name}（执法证号 {cert_no}）"


def inactive_officer_entry(name: str, cert_no: str) -> str:
    return f"{name}（执法证号 {cert_no}，已停用）"


def editor_heading(subject: str) -> str:
    return f"现场检查　{subject}" if subject else "现场检查　（未选当事人）"


# ---- setup wizard / settings -----------------------------------------------------------------------
WIZARD_TITLE = "FieldKit 首次设置"
WIZARD_BACK = "< 上一步(&B)"
WIZARD_NEXT = "下一步(&N) >"
WIZARD_FINISH = "完成(&F)"
WIZARD_AGENCY_TITLE = "执法机关"
WIZARD_AGENCY_SUB = "这些信息会印在检查笔录和各类文书上，之后可在「设置」中修改。"
WIZARD_OFFICERS_TITLE = "执法人员"
WIZARD_OFFICERS_SUB = "登记在本机使用的执法人员。现场检查须两名以上执法人员，请至少登记两名。"
WIZARD_DEVICE_TITLE = "本机编号"
WIZARD_DEVICE_SUB = "本机编号写入本机生成的每个文号，保证各台电脑离线编号不重复。请向办公室领取编号。"
# The agency form's labels are the domain's (one label per field, issue 12 §4).
AGENCY_FULL_NAME = AGENCY_LABELS["full_name"]
AGENCY_SHORT_NAME = AGENCY_LABELS["short_name"]
AGENCY_GOVERNMENT = AGENCY_LABELS["government_name"]
AGENCY_LEVEL = AGENCY_LABELS["level"]
AGENCY_INDIVIDUAL_CAP = AGENCY_LABELS["individual_cap"]
AGENCY_UNIT = AGENCY_LABELS["unit"]
AGENCY_PHONE = AGENCY_LABELS["phone"]
AGENCY_ADDRESS = AGENCY_LABELS["address"]
AGENCY_FULL_NAME_PH = "如：某某市市场监督管理局"
AGENCY_SHORT_NAME_PH = "如：某"
AGENCY_GOVERNMENT_PH = "如：某某市人民政府（文书据此告知复议机关）"
AGENCY_UNIT_PH = "如：综合行政执法大队"
AGENCY_PHONE_PH = "如：0539-8123456"
DEVICE_CODE = "本机编号"
DEVICE_CODE_PH = "2–6 位大写字母或数字，如 A1"
DEVICE_CODE_HINT = "各台电脑的编号不能相同。编号确定后请勿随意修改。"
OFFICER_ADD_ROW = "添加一行"
OFFICER_REMOVE_ROW = "删除所选行"
SETTINGS_TITLE = "设置"
SETTINGS_AGENCY = "执法机关与本机"
SETTINGS_OFFICERS = "执法人员"
SETTINGS_SAVED = "设置已保存。"
SETTINGS_SAVE = "保存设置"
SETTINGS_UNCHANGED = "设置没有变化。"
SETUP_CONFIRM_TITLE = "确认修改设置"
SETUP_CONFIRM_HEADING = "将修改以下设置："
SETUP_CONFIRM_SAVE = "保存修改"
SETUP_CONFIRM_NEW_SERIES = "开始新的文号序列并保存"


def new_series_warning(issued: int) -> str:
    return (
        f"本机已开具 {issued} 个文号。机关简称和本机编号是文号的一部分，修改它们将开始新的文号序列："
        "已开具的文号继续有效、不会重号；新的本机编号须在本局各台电脑间不重复，请先向办公室确认。"
    )


OFFICER_ADD = "新增执法人员"
OFFICER_EDIT = "编辑"
OFFICER_DEACTIVATE = "停用"
OFFICER_ACTIVATE = "重新启用"
OFFICER_DIALOG_ADD = "新增执法人员"
OFFICER_DIALOG_EDIT = "编辑执法人员"
SELECT_OFFICER_FIRST = "请先在列表中选择一名执法人员。"
DATA_DIR_LABEL = "数据目录"


EXAMPLE_SHORT_NAME = "某"
EXAMPLE_DEVICE_CODE = "A1"
EXAMPLE_FORM_CODE = "现笔"  # 现场笔录


def number_example(number: str) -> str:
    return f"文号示例：{number}"


def remedy_example(government: str) -> str:
    shown = government.strip() or "某某市人民政府"
    return f"各文书将告知：可向 {shown} 申请行政复议（本级人民政府，行政复议法第二十四条；不能逐份修改）"


def individual_cap_choice(cap: IndividualCap) -> str:
    if cap is IndividualCap.CITIZEN:
        return f"按{cap.label}：不超过二百元（默认）"
    return f"按{cap.label}：不超过三千元"


def officers_count(n: int) -> str:
    return f"已登记 {n} 名"


# ---- jobs ------------------------------------------------------------------------------------------
JOB_WORKING = "正在处理…"
JOB_CANCELLING = "正在取消…"

# ---- recovery / app --------------------------------------------------------------------------------
STARTUP_FAILED = "FieldKit 无法启动"
FONT_MISSING_LOG = "未找到界面字体文件，改用系统字体"

# ---- self-test -------------------------------------------------------------------------------------
SELFTEST_OK = "自检通过"
SELFTEST_FAILED = "自检失败"
SELFTEST_STEPS = {
    "app": "启动界面",
    "data": "准备数据",
    "main_window": "打开主窗口",
    "page_dashboard": "打开「工作台」",
    "page_inspections": "打开「检查」",
    "page_documents": "打开「文书」",
    "page_exchange": "打开「数据交换」",
    "page_subjects": "打开「当事人」",
    "page_settings": "打开「设置」",
    "editor": "在检查编辑器中打开新草稿",
    "subject_dialog": "打开当事人对话框",
    "print": "按本机字体设置生成空白现场笔录",
    "integrity": "检查数据库完整性",
}


def selftest_step(name: str, ms: float, ok: bool) -> str:
    mark = "通过" if ok else "失败"
    return f"{SELFTEST_STEPS.get(name, name)}：{mark}（{ms:.0f} 毫秒）"


def selftest_total(ok: bool, ms: float) -> str:
    return f"{SELFTEST_OK if ok else SELFTEST_FAILED}（共 {ms:.0f} 毫秒）"


def selftest_data_dir(path: str) -> str:
    return f"数据目录：{path}"


# ---- 证据、措施、导出 ----------------------------------------------------------------------------------
NAV_EXCHANGE = "数据交换"
BROWSE = "选择…"
COPY_ALL = "复制全部"
EDITOR_EVIDENCE = "证据"
EDITOR_MEASURES = "措施"
EDITOR_EVIDENCE_TIP = "登记证据，导入照片、视频和相机存储卡"
EDITOR_MEASURES_TIP = "先行登记保存、查封、扣押、抽样及物品清单"
TAB_EVIDENCE = "证据"
TAB_MEASURES = "措施"
COL_FILE = "文件"
COL_FILE_COUNT = "文件"
COL_SIZE = "大小"
COL_TAKEN_AT = "拍摄时间"
COL_GPS = "拍摄位置（GPS）"
COL_CAMERA = "设备"
COL_SHA256 = "SHA-256（前 16 位）"
COL_EXIF = "EXIF 信息"
COL_PATH = "完整路径"
COL_PROBLEM = "问题"
COL_MEASURE = "措施"
COL_DECIDED_ON = "决定日期"
COL_DUE = "期限至"
COL_GOODS = "物品"
COL_STORAGE = "存放地点"
COL_END_NOTE = "处理说明"
COL_DUE_DATE = "到期日"
COL_DUE_WHAT = "事项"
COL_DUE_LEFT = "剩余时间"
COL_DEVICE = "来源设备"
COL_DEVICE_NAME = "设备名称"
COL_EXPORTER = "导出人"
COL_IMPORTED_AT = "导入时间"
COL_INSERTED = "新增"
COL_UPDATED = "更新"
COL_CONFLICTS = "冲突"
COL_BUNDLE_ID = "数据包编号"
COL_RECORD_TYPE = "记录类型"
COL_RECORD = "记录"
COL_VERSION = "版本"
COL_DETECTED_AT = "发现时间"
COL_ADDED_AT = "登记时间"
COL_ORIGIN = "来源设备"
ORIGIN_THIS_DEVICE = "本机"


def format_size(n: int) -> str:
    """Bytes as an officer reads them: 512 字节, 820 KB, 12.3 MB, 2.14 GB."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024**2:
        return f"{n / 1024:.0f} KB"
    if n < 1024**3:
        return f"{n / 1024**2:.1f} MB"
    return f"{n / 1024**3:.2f} GB"


def transfer_label(title: str, done: int, total: int, files_done: int, files_total: int) -> str:
    text = f"{title}\n已完成 {format_size(done)} / {format_size(total)}"
    if files_total:
        text += f"　　文件 {files_done} / {files_total} 个"
    return text


def tab_count(title: str, n: int) -> str:
    return f"{title}（{n}）"


def document_created(title: str) -> str:
    return f"已生成文书草稿「{title}」。请在「文书」中核对后打印。"


# ---- evidence ----
EVIDENCE_ITEMS = "证据清单"
EVIDENCE_FILES = "证据文件"
EVIDENCE_DROP_HINT = "可将照片、视频或整个文件夹直接拖到此处"
EVIDENCE_EMPTY = "还没有登记证据。点「新增证据」，或把照片文件夹拖到这里。"
EVIDENCE_NO_FILES = "这项证据还没有文件。点「添加文件」或「添加文件夹」（如相机存储卡），也可直接拖入。"
EVIDENCE_ADD_ITEM = "新增证据"
EVIDENCE_ADD_FILES = "添加文件…"
EVIDENCE_ADD_FOLDER = "添加文件夹…"
EVIDENCE_COPY_HASH = "复制 SHA-256"
EVIDENCE_VERIFY_ALL = "校验全部证据文件"
EVIDENCE_PRINT = "打印"


def evidence_print(title: str, of_selected: bool) -> str:
    """A form of the 证据 panel's 打印 menu (forms/*.toml `group = "evidence"`), e.g. 打印证据提取单（所选证据）."""
    return f"打印{title}" + ("（所选证据）" if of_selected else "")


EVIDENCE_SELECT_FIRST = "请先在上方列表中选择一项证据。"
EVIDENCE_CHOOSE_FILES = "选择证据文件"
EVIDENCE_CHOOSE_FOLDER = "选择文件夹（如相机存储卡）"
EVIDENCE_ADDING = "正在复制并校验证据文件…"
EVIDENCE_ADD_REPORT_TITLE = "添加证据文件结果"
EVIDENCE_ADD_NOTE = "原文件没有任何改动。每个文件按内容（SHA-256）保存一份，同一文件重复添加只保存一次。"
EVIDENCE_VERIFYING = "正在重新计算全部证据文件的哈希值…"
EVIDENCE_VERIFY_OK = "全部证据文件校验通过：没有缺失或被改动的文件。"
EVIDENCE_VERIFY_CANCELLED = "校验已取消。"
EVIDENCE_VERIFY_TITLE = "证据文件校验结果"
EVIDENCE_ITEM_ADD = "新增证据"
EVIDENCE_ITEM_EDIT = "编辑证据"
EVIDENCE_NAME_PH = "如：现场照片、营业执照复印件、进货票据"
EVIDENCE_SOURCE_PH = "如：执法人员现场拍摄；当事人提供"
EVIDENCE_PROVES_PH = "如：当事人经营场所存放过期食品"
EVIDENCE_QUANTITY_PH = "不填则按文件数计，如「12 张」"
EVIDENCE_PLACE_PH = "不填则为检查地点"
EVIDENCE_BY_PH = "不填则为本次检查的执法人员；多人用「、」分隔"
EVIDENCE_REASON_PH = "如：更正证据名称笔误"
EVIDENCE_FINAL_BANNER = "该证据已随证据清单定稿。修改会作为新版本保存，原内容保留可查，须写明变更理由。"
EVIDENCE_STATUS = EVIDENCE_STATUS_LABELS  # one table for the GUI and the command line
EXIF_STATUS = {"ok": "正常", "none": "无", "unreadable": "不可读"}
EXIF_UNREADABLE_TIP = "文件已完整保存为证据，但其中的拍摄信息（EXIF）已损坏，无法读取拍摄时间和位置。"
STORE_PROBLEM_KINDS = {
    "missing": "缺失",
    "changed": "被改动",
    "unreadable": "无法读取",
    "unexpected": "多余文件",
}


def file_count(n: int, size: int) -> str:
    return f"{n} 个" if not n else f"{n} 个（{format_size(size)}）"


def files_of(name: str, n: int, size: int) -> str:
    return f"「{name}」的文件：{n} 个，共 {format_size(size)}" if n else f"「{name}」的文件"


def file_tooltip(name: str, mime: str, size: int) -> str:
    return f"{name}\n类型：{mime or '未知'}\n大小：{size:,} 字节"


def sha256_tooltip(sha256: str) -> str:
    return f"SHA-256：{sha256}\n（选中后按 Ctrl+C 复制完整哈希值）"


def gps_text(lat: float, lon: float) -> str:
    ns = "北纬" if lat >= 0 else "南纬"
    ew = "东经" if lon >= 0 else "西经"
    return f"{ns} {abs(lat):.5f}，{ew} {abs(lon):.5f}"


def add_files_summary(added: int, size: int, already: int, failed: int) -> str:
    text = f"新增 {added} 个文件（{format_size(size)}）"
    if already:
        text += f"，{already} 个已在这项证据中（未重复保存）"
    if failed:
        text += f"；{failed} 个未能添加，原因见下表，这些文件没有留下任何部分"
    return text + "。"


def add_files_cancelled(added: int) -> str:
    return f"已取消：这次已添加 {added} 个完整的文件，其余文件未添加，也没有留下不完整的部分。"


def verify_problems_summary(n: int) -> str:
    return f"发现 {n} 个证据文件缺失或被改动。请勿再使用这些文件，并报告技术人员。"


def evidence_window_title(subject: str) -> str:
    return f"证据与措施　{subject}" if subject else "证据与措施"


# ---- measures ----
MEASURES_TITLE = "措施"
MEASURES_HINT = "先行登记保存须在 7 个工作日内作出处理决定；查封、扣押第 30 日届满，不因节假日顺延"
MEASURES_EMPTY = "这次检查还没有采取措施。"
MEASURE_ADD = "新增措施…"
MEASURE_EXTEND = "延长期限…"
MEASURE_RELEASE = "解除…"
MEASURE_CONVERT = "转处理…"
MEASURE_PRINT_LIST = "打印清单"
MEASURE_PRINT_SEAL = "打印封条"
MEASURE_DOC_EXTEND = "延长决定书"
MEASURE_DOC_RELEASE = "解除文书"
MEASURE_DOC_EXTEND_TIP = (
    "起草《延长行政强制措施期限决定书》：打印定稿后，期限延至第 60 日（行政强制法第二十五条）"
)
MEASURE_DOC_RELEASE_TIP = "起草解除决定书或者解除先行登记保存证据通知书：打印定稿后，该措施即为已解除"
MEASURE_DOC_NONE = "只有进行中的先行登记保存、查封、扣押有延长或者解除文书"
MEASURE_EXTEND_PROMPT = "延长理由（须书面告知当事人，记入操作日志）："
MEASURE_RELEASE_PROMPT = "解除说明（如：经检测合格，予以解除）："
MEASURE_CONVERT_PROMPT = "转处理说明（如：转为查封、扣押；予以没收）："
MEASURE_RELEASED = "已解除该措施。"
MEASURE_CONVERTED = "已记录转处理。"
MEASURE_DIALOG_TITLE = "新增措施"
MEASURE_KIND = "措施种类"
MEASURE_DECIDED_ON = "决定日期"
MEASURE_DECIDED_ON_MISSING = "决定日期：未填写，请输入日期（如 20261218）或在日历中选择"
MEASURE_DUE = "期限"
MEASURE_REASON = "理由及依据"
MEASURE_REASON_PH = "如：涉嫌经营超过保质期的食品，证据可能灭失，经负责人批准先行登记保存"
MEASURE_STORAGE = "存放地点"
MEASURE_STORAGE_PH = "如：当事人仓库（就地保存）"
MEASURE_GOODS = "物品清单"
MEASURE_GOODS_HINT = "逐行登记：双击单元格输入，名称和数量必填"
MEASURE_SEAL_PREVIEW = "封条"
MEASURE_SEAL_HINT = "保存后可在「打印封条」中打印。"
MEASURE_NO_SEAL = "先行登记保存不另印封条；请在清单上注明保存方式。"
MEASURE_NO_DUE = "抽样没有法定保存期限。"


def measure_due_preview(title: str, due: object, warnings: tuple[str, ...]) -> str:
    text = f"{title}\n期限至 {due}"
    if warnings:
        text += "\n注意：" + "；".join(warnings)
    return text


def measure_extended(due: object) -> str:
    return f"已延长，期限至 {due}。请书面告知当事人。"


def due_text(due: object, extended: bool) -> str:
    return f"{due}（已延长）" if extended else str(due)


def goods_summary(names: list[str]) -> str:
    names = [n for n in names if n]
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]}等 {len(names)} 项"


def goods_of(kind: str, n: int) -> str:
    return f"物品清单（{kind}，共 {n} 项）"


# ---- 到期事项 ----
DUE_TITLE = "到期事项"
DUE_EMPTY = "没有待办的期限。"
DUE_DONE = "标记已完成…"
DUE_DONE_TIP = "所选复查、回访已经完成（措施请在检查的「措施」中解除或转处理）"


def due_done_prompt(kind: str) -> str:
    return f"{kind}情况（可不填）："


def due_counts(total: int, overdue: int, soon: int) -> str:
    parts = [f"共 {total} 项"]
    if overdue:
        parts.append(f"已逾期 {overdue} 项")
    if soon:
        parts.append(f"即将到期 {soon} 项")
    return "，".join(parts)


def due_title(title: str) -> str:
    """ "先行登记保存：先行登记保存：7 个工作日内…" → "先行登记保存：7 个工作日内…" (the measure named once)."""
    head, sep, rest = title.partition("：")
    return rest if sep and rest.startswith(head + "：") else title


def due_label(label: str, estimated: bool) -> str:
    return f"{label}（估算）" if estimated else label


def due_forms_tip(titles: list[str]) -> str:
    """The documents that settle a measure's deadline (延长/解除), under the due item's tooltip."""
    return f"办理文书：{'、'.join(titles)}（在「措施」中选中该措施后起草）" if titles else ""


def basis_tooltip(basis: str, warnings: tuple[str, ...] = ()) -> str:
    text = f"依据：{basis}"
    if warnings:
        text += "\n\n注意：" + "\n".join(warnings)
    return text


# ---- 数据交换 ----
EXCHANGE_TITLE = "数据交换"
EXCHANGE_INTRO = "本机数据只通过数据包离开电脑：在执法终端导出到 U 盘，在办公室校验后导入。"
EXCHANGE_TAB_EXPORT = "导出（执法终端）"
EXCHANGE_TAB_IMPORT = "导入（办公室）"
EXPORT_CARD = "导出新增数据"
EXPORT_HINT = "只导出上次导出以来新增或修改的记录和文件。数据包经本机签名，办公室可核验来源和完整性。"
EXPORT_FOLDER = "保存到"
EXPORT_FOLDER_PH = "选择 U 盘或共享文件夹"
EXPORT_FOLDER_TITLE = "选择保存数据包的文件夹"
EXPORT_OFFICER = "导出人"
EXPORT_ALL = "全部导出（包括以前已导出过的记录）"
EXPORT_ENCRYPT = "加密到办公室公钥（U 盘遗失也不会泄露数据）"
EXPORT_OFFICE_KEY = "办公室公钥"
EXPORT_OFFICE_KEY_PH = "办公室提供的公钥文件（.pem）"
EXPORT_OFFICE_KEY_TITLE = "选择办公室公钥文件"
EXPORT_BUTTON = "导出新增数据"
EXPORT_OPEN_FOLDER = "打开所在文件夹"
EXPORTING = "正在导出数据包…"
EXPORT_NOTHING_NEW = "自上次导出以来没有新增或修改的数据，无需导出（未生成空数据包）。"
EXPORT_CANCELLED = "导出已取消，没有留下不完整的数据包。"
DEVICE_KEY_CARD = "本机公钥"
DEVICE_KEY_HINT = "首次使用前，把本机公钥交给办公室登记为受信任设备，办公室才会接收本机导出的数据包。核对指纹时可电话逐组念出。"
KEY_FINGERPRINT = "指纹"
KEY_PEM = "公钥（PEM）"
KEY_COPY = "复制公钥"
KEY_SAVE = "保存为文件…"
KEY_SAVE_TITLE = "保存公钥"
KEY_COPIED = "公钥已复制到剪贴板。"
KEY_FILE_FILTER = "公钥文件 (*.pem *.pub);;所有文件 (*)"
IMPORT_HINT = "导入前会逐项校验：格式、哈希、签名和来源设备。有任何问题都会整包拒收，不写入任何数据。"
IMPORT_BUNDLE = "导入数据包…"
IMPORT_BUNDLE_TITLE = "选择要导入的数据包"
VERIFY_BUNDLE = "仅校验…"
VERIFY_BUNDLE_TITLE = "选择要校验的数据包"
BUNDLE_FILE_FILTER = "FieldKit 数据包 (*.fkb *.enc);;所有文件 (*)"
OFFICE_KEY_CHOOSE = "加密的数据包：请选择办公室私钥文件"
IMPORTING = "正在校验并导入数据包…"
VERIFYING_BUNDLE = "正在校验数据包…"
IMPORT_BUNDLE_CANCELLED = "导入已取消，没有写入任何数据。"
BUNDLE_REPORT_TITLE = "数据包导入结果"
BUNDLE_ALREADY_IMPORTED = "该数据包以前已经导入过，这次没有做任何更改。"
BUNDLE_CONFLICTS_HINT = (
    "以下记录未写入本库（原因见最后一列），本库中的数据保持不变。请在「冲突」中逐条对照处理。"
)
COL_CONFLICT_REASON = "原因"
CONFLICT_REASONS = {
    "version": "同一版本内容不同",
    "owner": "改动其他电脑的记录",
    "frozen": "改动已定稿的文书",
    "bound": "更换证据文件",
}
CONFLICT_REASON_EXPLAIN = {
    "version": "",
    "owner": "这条记录属于另一台电脑（或挂在另一台电脑的记录之下），这台电脑无权改动，所以没有写入。",
    "frozen": "已定稿的文书版本（内容、文号、PDF）不能改动，只能保留本库的版本；如需更正，由出具文书的电脑另行出具更正版。",
    "bound": "证据记录所指的文件（按哈希）一经添加就不能更换，只能保留本库的版本；如有新的证据，由该电脑另行添加。",
}
BUNDLE_REFUSED_TITLE = "数据包被拒收"
VERIFY_REFUSED_TITLE = "数据包校验未通过"
BUNDLE_REFUSED_NOTE = "请联系导出该数据包的执法人员重新导出；如怀疑被篡改，请保留原文件备查。"
TAB_BUNDLES = "已导入的数据包"
TAB_CONFLICTS = "冲突"
TAB_DEVICES = "受信任设备与密钥"
CONFLICTS_HINT = (
    "来件中未写入本库的记录：同一版本内容不同、改动其他电脑的记录或已定稿的文书。双击一行对照两边的内容。"
)
DEVICES_HINT = "只接收已登记设备签名的数据包。办公室密钥用于解密执法终端加密导出的数据包。"
TRUST_ADD = "添加受信任设备…"
OFFICE_KEYGEN = "生成办公室密钥…"
OFFICE_KEYGEN_CONFIRM = (
    "生成办公室加密密钥对？\n\n私钥保存在本机数据目录中，请妥善备份；公钥发给各执法终端用于加密导出。"
)
OFFICE_KEY_MADE = "办公室密钥已生成。请把下方的办公室公钥保存为文件，发给各执法终端。"
OFFICE_KEY_CARD = "办公室公钥"
OFFICE_KEY_HINT = "执法终端导出时选择「加密到办公室公钥」并使用此文件。"
TRUST_TITLE = "添加受信任设备"
TRUST_INTRO = "选择执法终端导出的本机公钥文件（或粘贴公钥内容），并与终端上显示的指纹逐组核对。"
TRUST_FILE = "公钥文件"
TRUST_FILE_PH = "执法终端「本机公钥」中保存的 .pem 文件"
TRUST_PEM_PH = "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"
TRUST_NAME = "设备名称"
TRUST_NAME_PH = "如：兰山所 A1 号电脑（张建国）"
TRUST_CODE_PH = "该电脑的本机编号，如 A1（不填则以它的第一个数据包为准）"
TRUST_NO_KEY = "（选择文件或粘贴公钥后显示）"
TRUST_BAD_KEY = "这不是有效的设备公钥"
TRUST_OK = "登记"
DEVICE_CODE_PENDING = "（首个包确定）"
OFFER_TITLE = "数据包来自尚未登记的电脑"
OFFER_INTRO = (
    "这个数据包完整、签名有效，但签名的电脑还没有在本局登记。请到该电脑上打开「数据交换」→「本机公钥」，"
    "与下面的指纹逐组核对；完全一致才登记。登记会写入审计日志，以后该电脑的包直接导入。"
)
OFFER_NAME = "设备名称"
OFFER_CODE = "本机编号"
OFFER_OFFICER = "导出人"
OFFER_CONFIRM = "我已逐组核对，两处指纹完全一致"
OFFER_OK = "登记并导入"
CONFLICT_TITLE = "冲突对照"
CONFLICT_EXPLAIN = (
    "同一记录的同一版本在两台设备上内容不同。本库中的内容没有被覆盖；请与相关执法人员核实后再作更正。"
)
CONFLICT_STORED = "本库中的内容"
CONFLICT_INCOMING = "导入的内容"
CONFLICT_ONLY_DIFF = "只显示不同的字段"
CONFLICT_STORED_GONE = "本库中已找不到这条记录。"
CONFLICT_TAKE_INCOMING = "采用导入的内容"
CONFLICT_KEEP_STORED = "保留本库内容"
CONFLICT_REASON_LABEL = "处理理由（如：已电话向当事人核实）："
RECORD_TYPES = {
    "subject": "当事人",
    "inspection": "检查",
    "document": "文书",
    "document_revision": "文书版本",
    "evidence_item": "证据",
    "evidence_file": "证据文件",
    "measure": "措施",
    "follow_up": "复查/回访",
}
# Field labels of the records shown side by side (conflicts): a subject's, an inspection's and an
# evidence item's come from the domain, the one table the editors and the messages use as well (issue 12
# §4); the rest (bookkeeping, documents, files, measures) by column name.
RECORD_FIELD_LABELS = {
    "subject": _subjects.FIELD_LABELS,
    "inspection": _inspections.FIELD_LABELS,
    "evidence_item": _evidence.FIELD_LABELS,
}
# The fields that store a code (domain/coded.py), shown by their label.
RECORD_CODED_FIELDS = {
    "subject": _subjects.CODED_FIELDS,
    "inspection": _inspections.CODED_FIELDS,
    "evidence_item": _evidence.CODED_FIELDS,
    "measure": {"kind": MeasureKind},
    "follow_up": {"kind": _inspections.InspectionType},  # the visit it asks for: 复查 / 回访
}
RECORD_FIELDS = {
    "name": "名称",
    "status": "状态",
    "completed_at": "完成时间",
    "matter_id": "所属案卷",
    "form_id": "文书种类",
    "form_version": "格式版本",
    "title": "标题",
    "values": "文书内容",
    "number": "文号",
    "number_code": "文号代字",
    "number_year": "文号年份",
    "number_device": "文号设备编号",
    "number_seq": "文号序号",
    "revision": "版本",
    "void_reason": "作废理由",
    "voided_at": "作废时间",
    "document_id": "所属文书",
    "content_hash": "内容哈希",
    "pdf_sha256": "PDF 哈希",
    "pdf_size": "PDF 大小",
    "pages": "页数",
    "reason": "理由",
    "finalised_by": "定稿人",
    "signatures": "签名",
    "attachments": "附件",
    "seq": "序号",
    "kind": "种类",
    "source": "来源",
    "quantity": "数量",
    "note": "备注",
    "finalised_at": "定稿时间",
    "item_id": "所属证据",
    "position": "顺序",
    "sha256": "SHA-256",
    "size": "大小（字节）",
    "original_name": "原文件名",
    "mime": "文件类型",
    "taken_at": "拍摄时间",
    "gps_lat": "纬度",
    "gps_lon": "经度",
    "camera": "拍摄设备",
    "exif_status": "EXIF 信息",
    "thumbnail_sha256": "缩略图哈希",
    "decided_on": "决定日期",
    "due": "期限至",
    "extended": "已延长",
    "storage_place": "存放地点",
    "seal_text": "封条内容",
    "items": "物品清单",
    "ended_on": "结束日期",
    "end_note": "处理说明",
    "done_inspection_id": "复查记录",
    "deleted_at": "删除时间",
}


def record_field(record_type: str, key: str) -> str:
    return RECORD_FIELD_LABELS.get(record_type, {}).get(key) or RECORD_FIELDS.get(key, key)


def record_value(record_type: str, key: str, value: object) -> object:
    """A stored code as its label (企业, not enterprise); anything else unchanged."""
    coded = RECORD_CODED_FIELDS.get(record_type, {}).get(key)
    if coded is not None and isinstance(value, str):
        return coded.label_of(value)
    return value


def exported(path: str, records: int, files: int, size: int) -> str:
    return f"已导出：{path}\n记录 {records} 条，文件 {files} 个，数据包大小 {format_size(size)}。"


def export_failed(reason: str) -> str:
    return f"导出失败，没有留下不完整的数据包。{reason}"


def import_failed(reason: str) -> str:
    return f"导入失败，没有写入任何数据。{reason}"


def bundle_import_summary(
    inserted: int, updated: int, unchanged: int, older: int, conflicts: int, files: int
) -> str:
    text = f"新增 {inserted} 条，更新 {updated} 条，未变 {unchanged} 条"
    if older:
        text += f"，本库已有更新版本 {older} 条"
    text += f"；冲突 {conflicts} 条；新文件 {files} 个。"
    return text


def bundle_audit_entries(n: int) -> str:
    return f"另有其审计记录 {n} 条。" if n else ""


def bundle_origin(device_code: str, officer: str, at: object) -> str:
    when = at.strftime("%Y-%m-%d %H:%M") if hasattr(at, "strftime") else str(at)
    return f"来自 {device_code} 号设备，导出人 {officer}，导入于 {when}"


def bundle_refused(n: int) -> str:
    return f"数据包被拒收：发现 {n} 个问题（全部列在下方），没有写入任何数据。"


def verified(name: str, device: str, officer: str, exported_at: str, summary: str) -> str:
    return f"「{name}」校验通过：来自 {device} 号设备（{officer}），{exported_at} 导出。导入将：{summary}尚未导入。"


def trusted_on_the_spot(name: str, code: str) -> str:
    return f"已登记受信任设备「{name}」（本机编号 {code}），正在导入…"


def conflict_heading(record_type: str, title: str, version: int, device: str, when: str) -> str:
    shown = f"「{title}」" if title else ""
    return f"{record_type}{shown}　第 {version} 版　来自 {device} 号设备　发现于 {when}"


def key_saved(path: str) -> str:
    return f"已保存：{path}"


def key_save_failed(path: str, reason: str) -> str:
    return f"无法保存到 {path}：{reason}"


def file_unreadable(path: str, reason: str) -> str:
    return f"无法读取 {path}：{reason}"


# ---- 文书 ------------------------------------------------------------------------------------------
NAV_DOCUMENTS = "文书"
DOCS_TITLE = "文书"
DOCS_FILTER_PLACEHOLDER = "按文书名称、文号或当事人筛选"
DOCS_SELECT_FIRST = "请先在列表中选择一份文书。"
COL_DOC_TITLE = "文书"
COL_DOC_NUMBER = "文号"
COL_DOC_REVISION = "版本"
COL_DOC_UPDATED = "更新时间"
COL_DOC_CODE = "文书代字"
COL_DOC_SEVERITY = "级别"
COL_DOC_PROBLEM = "问题及依据"
DOC_NO_NUMBER = "—"
DOC_NEW = "新建文书"
DOC_NEW_FOR_INSPECTION = "为检查新建文书…"
DOC_OPEN = "打开"
DOC_NEW_TITLE = "新建文书"
DOC_CREATE = "新建"
DOC_NEW_INSPECTION = "关联的检查"
DOC_NEW_INSPECTION_HINT = (
    "关联检查后，当事人、检查时间、地点和执法人员会自动填入文书；笔录还带入检查情况、不符合项和已采取的措施，"
    "责令改正、当场处罚带入违法行为、依据和改正要求。请核对、修改，不必重打。"
)
DOC_NO_INSPECTION = "未关联检查（当事人等内容需要手工填写）"
DOC_PICK_INSPECTION = "选择检查…"
DOC_UNLINK_INSPECTION = "不关联"
DOC_PICK_INSPECTION_TITLE = "选择检查"
DOC_FROM_EVIDENCE_NOTE = (
    "此文书一般在检查的「证据」「措施」中生成，照片、校验值和物品会自动带入；在这里新建需要手工填写。"
)
DOC_PREVIEW = "预览"
DOC_PREVIEW_TIP = "按打印效果查看每一页（草稿带“草稿”水印）"
DOC_PRINT = "打印"
DOC_PRINT_TIP = "打印交当事人签名（Ctrl+P）。首次打印即定稿：生成文号，内容不能再改"
DOC_REPRINT = "重印"
DOC_SAVE_PDF = "另存为 PDF"
DOC_SAVE_PDF_TITLE = "另存为 PDF"
PDF_FILTER = "PDF 文件 (*.pdf)"
DOC_SIGNATURES = "签名情况"
DOC_ATTACH_SCAN = "附加签收扫描件"
DOC_ATTACH_SCAN_TITLE = "选择签收后的扫描件或照片"
DOC_CORRECT = "更正"
DOC_CORRECT_TIP = (
    "已打印的文书有误：笔误可「更正笔误」（文号不变）；实质内容有误须「重新作出」（新文号，原文书作废）"
)
# The two correction paths (行政处罚法第四十四、四十五、五十二条; domain/documents.py)
CORRECT_CHOICE_TITLE = "更正已打印的文书"
CORRECT_CHOICE_INTRO = "这份文书已经打印交付，不能悄悄修改。请按错误的性质选择："
CORRECT_CLERICAL = "更正笔误（文号不变）"
CORRECT_CLERICAL_DETAIL = (
    "只改错别字、漏字、电话号码、地址写法等非实质内容。当事人、违法事实、证据、依据、处罚种类和金额、"
    "措施和期限、清单物品不能改。打印时文书末尾印出「更正说明」：改了什么、何时、为什么。"
)
CORRECT_REISSUE = "重新作出（新文号，原文书作废）"
CORRECT_REISSUE_DETAIL = (
    "当事人、违法事实、证据、依据、处罚种类或金额、措施或期限、清单物品有误时使用："
    "制作一份新文书，打印时取得新文号，注明取代原文书，原文书同时作废（留档，重印时印“作废”）。"
    "应当重新告知当事人并听取陈述、申辩（行政处罚法第四十四、四十五条）。"
)
DOC_RECEIPT = "制作送达回证"
DOC_RECEIPT_TIP = "为这份已打印的文书制作送达回证：文书名称、文号、受送达人和送达地点自动填入"
DOC_CANCEL_CORRECTION = "放弃更正"
DOC_CANCEL_CORRECTION_CONFIRM = "放弃更正吗？未打印的修改将被丢弃，文书恢复为已打印的版本。"
DOC_SWITCH_TO_REISSUE = "改为重新作出"
DOC_SWITCH_TO_REISSUE_TIP = "要改的是实质内容：制作新文书（新文号），打印后原文书作废"
DOC_REISSUE_REASON_TITLE = "重新作出的理由"
DOC_REISSUE_REASON_PROMPT = "请填写重新作出的理由（将印在新文书上，并记入原文书的作废理由和操作日志）："
DOC_REPRINT_VOID = "重印（作废件）"
DOC_REPRINT_VOID_TIP = "重印已作废的文书：每页印“作废”水印和作废说明，仅供存档"
# The editor's 打印 button by the document's state (which action it is: domain/documents.py).
DOC_PRINT_BUTTON: dict[DocState, tuple[str, str]] = {
    DocState.DRAFT: (DOC_PRINT, DOC_PRINT_TIP),
    DocState.CORRECTING: (DOC_PRINT, DOC_PRINT_TIP),
    DocState.FINAL: (DOC_REPRINT, DOC_PRINT_TIP),
    DocState.BLANK: (DOC_REPRINT, DOC_PRINT_TIP),
    DocState.VOID: (DOC_REPRINT_VOID, DOC_REPRINT_VOID_TIP),
}
DOC_VOID = "作废"
DOC_VOID_TITLE = "作废文书"
DOC_CONFIRM_DELETE = "确定删除这份文书草稿吗？草稿尚未编号，删除后不能恢复。"
DOC_CORRECTION_REASON_TITLE = "更正理由"
DOC_CORRECTION_REASON_PROMPT = "请填写更正理由（将印在「更正说明」中，并记入新版本和操作日志）："
DOC_PRINT_DIALOG_TITLE = "打印文书"
DOC_FINALISING = "正在定稿并生成 PDF…"
DOC_REPRINTING = "正在读取存档的 PDF…"
DOC_PRINTING = "正在发送到打印机…"
DOC_RENDERING = "正在生成预览…"
DOC_ATTACHING = "正在保存扫描件…"
DOC_SCAN_ATTACHED = "已附加签收扫描件。"
DOC_PRINTER_FAILED = (
    "文书已定稿，但发送到打印机时出错。请检查打印机后点「重印」，重印的是同一份文书，不会重新编号。"
)
DOC_PROBLEMS_TITLE = "打印前检查"
DOC_PROBLEMS_BANNER = "打印前检查发现以下问题，请修改后再打印："
DOC_PROBLEMS_HINT = "标为“不可打印”的问题按规定必须先改正。双击某一条可跳到对应的填写项。"
DOC_PROBLEMS_WARN_HINT = (
    "以上均为提醒。确认情况属实、依法可以打印的，可点「仍然打印」。双击某一条可跳到对应的填写项。"
)
DOC_PROBLEMS_BACK = "返回修改"
DOC_PRINT_ANYWAY = "仍然打印"
DOC_PROBLEM_HARD = "不可打印"
DOC_PROBLEM_WARNING = "提醒"
DOC_PREVIEW_DRAFT_NOTE = "预览：草稿，未编号，打印定稿前不产生文号"
DOC_PREVIEW_STORED_NOTE = "已定稿文书的存档 PDF（重印即此文件）"


def doc_preview_note(state: str, number: str | None) -> str:
    """What the preview shows, by the document's state (a correction or a used numbered blank has its
    文号 already: "未编号" would be wrong there)."""
    match DocState(state):
        case DocState.FINAL:
            return DOC_PREVIEW_STORED_NOTE
        case DocState.VOID:
            return "已作废文书：存档内容，每页印“作废”（重印即此文件）"
        case DocState.BLANK:
            return f"编号空白文书：印有文号 {number}，其余供手写"
        case DocState.CORRECTING:
            return f"预览：{number or ''}的更正稿（草稿，文号不变），打印时生成新版本并印更正说明"
        case DocState.DRAFT if number:
            return f"预览：草稿，文号 {number} 已取得（编号空白文书），打印即定稿存档"
    return DOC_PREVIEW_DRAFT_NOTE


def doc_state_label(state: str) -> str:
    """The document's state as the lists and the editor show it: the domain's label."""
    return DOC_STATE_LABELS[DocState(state)]


DOC_ZOOM_IN = "放大"
DOC_ZOOM_OUT = "缩小"
DOC_ZOOM_IN_TIP = "放大（Ctrl+加号，或按住 Ctrl 滚动滚轮）"
DOC_ZOOM_OUT_TIP = "缩小（Ctrl+减号，或按住 Ctrl 滚动滚轮）"
REQUIRED_MARK = "＊"
DOC_CLEAR = "清空"
DOC_TODAY = "今天"
DOC_YUAN = "元"
DOC_MONEY_PLACEHOLDER = "如 200 或 150.50"
DOC_SIGNATURE_PLACEHOLDER = "一般留空，由本人在纸上签名；可填“拒绝签名”等"
DOC_OFFICERS_HINT = "勾选参与的执法人员（至少两名），按勾选顺序打印"
DOC_REFERENCE_NONE = "（请选择）"
DOC_REFERENCE_HINT = "从本局已定稿的文书中选择，不能手工填写；先打印被引用的文书，才会出现在这里"
DOC_REFERENCE_EMPTY = "本局还没有可引用的已定稿文书：请先打印被引用的文书（如清单、决定书）"


def doc_reference_unknown(number: str) -> str:
    """A stored number that is not (or no longer) one of this agency's finalised documents."""
    return f"{number}（不是本局已定稿的文书，请重新选择）"


DOC_NO_IMAGES = "没有照片。照片由检查的「证据」生成。"
DOC_INSERT_PHRASE = "插入常用语"
DOC_INSERT_PHRASE_TIP = "在光标处插入常用表述，“____”处请按实际情况改写"
DOC_QA_Q = "问："
DOC_QA_A = "答："
DOC_QA_ADD = "添加一组问答"
DOC_QA_ADD_TIP = "在最后添加一组问答（在问或答中按 Ctrl+Enter，则在当前组之后添加）"
DOC_QA_HINT = "Tab 在问与答之间移动；Ctrl+Enter 添加下一组问答。"
DOC_QA_UP = "上移"
DOC_QA_DOWN = "下移"
DOC_QA_UP_TIP = "把这一组移到前面"
DOC_QA_DOWN_TIP = "把这一组移到后面"
DOC_QA_DELETE_TIP = "删除这一组问答"
DOC_QA_CONFIRM_DELETE = "确定删除这一组问答吗？"
DOC_ROW_ADD = "添加一行"
DOC_ROW_REMOVE = "删除所选行"
SIGN_TITLE = "签名情况"
SIGN_HINT = (
    "逐栏登记签名情况。当事人拒绝签名或者未到场的，须写明见证人姓名（程序规定第四十三条），"
    "并注明经过；保存后签名版上印出拒签记录（时间、注明、见证人签名栏），打印存档即在文书上注明"
    "（行政处罚法第五十二条）。可点「手写签名…」在屏幕上签名留存。"
)
SIGN_COL_ROLE = "签名栏"
SIGN_COL_NAME = "姓名"
SIGN_COL_STATE = "情况"
SIGN_COL_WITNESS = "见证人"
SIGN_NAME_PLACEHOLDER = "签名人姓名"
SIGN_WITNESS_PLACEHOLDER = "拒绝签名或未到场时填写"
SIGN_COL_NOTE = "执法人员注明"
SIGN_NOTE_PLACEHOLDER = "如：拒收，已留置并录像"
SIGN_NOT_RECORDED = "不登记"
SIGN_CAPTURE = "手写签名…"
SIGNATURE_PAD_CLEAR = "清除"
SIGNATURE_PAD_HINT = "请在此处签名（鼠标、手写笔或手指均可）"
JOB_CANCELLED = "已取消"


def required_label(label: str) -> str:
    return f"{label}{REQUIRED_MARK}"


def doc_count(n: int) -> str:
    return f"共 {n} 份"


def doc_revision(revision: int) -> str:
    return f"第 {revision} 版" if revision else "未定稿"


def doc_number_line(number: str | None, numbered: bool) -> str:
    if number:
        return f"文号：{number}"
    return "文号：打印定稿时生成" if numbered else "本文书不编文号"


def doc_final_banner(revision: int, number: str | None) -> str:
    shown = f"文号 {number}" if number else "本文书不编文号"
    return f"已定稿（第 {revision} 版，{shown}），不能修改；可「更正」或「作废」"


def doc_void_banner(reason: str, number: str | None) -> str:
    kept = f"文号 {number} 保留在案，不再使用。" if number else ""
    return f"已作废（理由：{reason}）。{kept}重印时每页印“作废”。"


def doc_correcting_banner(revision: int, locked: list[str] | None = None) -> str:
    text = (
        f"更正笔误中：修改后点「打印」生成第 {revision + 1} 版（文号不变，须填写更正理由，文书末尾印更正说明）。"
        f"新版打印前，第 {revision} 版仍然有效。"
    )
    if locked:
        text += f"\n实质内容已锁定：{'、'.join(locked)}。要改这些，请点「改为重新作出」。"
    return text


def nb_summary(total: int, counts: list[tuple[str, int]]) -> str:
    return f"共 {total} 份：" + "，".join(f"{label} {n} 份" for label, n in counts)


def nb_void_prompt(number: str) -> str:
    return f"文号 {number} 将保留在案，不再使用。\n请填写作废理由（如：填写错误已撕毁、遗失）："


def correct_locked_fields(labels: list[str]) -> str:
    return f"本文书的实质内容：{'、'.join(labels)}。" if labels else ""


def doc_blank_banner(number: str | None) -> str:
    return (
        f"编号空白文书（文号 {number}），已发放供手写。手写使用后请在「编号空白文书…」中登记已使用，"
        "填错或遗失的作废；文号不会再用于其他文书。"
    )


def doc_used_blank_banner(number: str | None) -> str:
    return f"编号空白文书 {number} 已手写使用：请按纸面内容录入，打印存档时沿用此文号，不另行编号。"


def doc_reissue_banner(replaces: str) -> str:
    return (
        f"重新作出：本文书打印时取得新文号，并注明取代{replaces}；打印后原文书作废（留档）。"
        "打印前原文书仍然有效，删除本草稿即放弃重新作出。"
    )


def doc_sign_summary(signatures: int, attachments: int) -> str:
    signed = f"已登记 {signatures} 个签名栏" if signatures else "尚未登记签名情况"
    scans = f"签收扫描件 {attachments} 份" if attachments else "尚无签收扫描件"
    return f"{signed}；{scans}。"


def doc_confirm_correction(revision: int) -> str:
    return (
        f"更正将在第 {revision} 版的基础上修改，打印后生成第 {revision + 1} 版，文号不变。\n\n"
        f"新版打印前，第 {revision} 版仍然有效。是否开始更正？"
    )


def doc_void_prompt(number: str | None) -> str:
    kept = f"文号 {number} 将保留在案，不再使用。\n" if number else ""
    return f"{kept}请填写作废理由（将记入操作日志）："


def doc_problems_intro(total: int, hard: int) -> str:
    if hard:
        return f"发现 {total} 个问题，其中 {hard} 个不可打印，请先修改："
    return f"发现 {total} 个需要注意的问题（均为提醒）："


def doc_unreadable_value(value: str) -> str:
    return f"原值“{value}”无法识别，修改此项前保持原样"


def doc_money_printed(text: str) -> str:
    return f"打印为：{text}"


def doc_images(labels: list[str]) -> str:
    shown = "、".join(labels[:6]) + ("等" if len(labels) > 6 else "")
    return f"照片 {len(labels)} 张：{shown}（由检查的「证据」生成）"


def doc_qa_number(n: int) -> str:
    return f"第 {n} 组"


def doc_preview_title(title: str) -> str:
    return f"预览　{title}"


def doc_zoom(zoom: float) -> str:
    return f"{zoom * 100:.0f}%"


def doc_page_count(n: int) -> str:
    return f"共 {n} 页"


def doc_pdf_name(title: str, number: str | None) -> str:
    return f"{title}{number or ''}.pdf"


def doc_pdf_saved(path: str) -> str:
    return f"已保存 PDF：{path}"


def doc_form_heading(title: str, code: str) -> str:
    return f"{title}（代字：{code}）"


def doc_matter_summary(title: str, place: str) -> str:
    return "　".join(p for p in (title, place) if p)


def scan_filter(exts: str) -> str:
    return f"扫描件或照片 ({exts});;所有文件 (*)"


def sign_intro(title: str, number: str | None, revision: int) -> str:
    shown = f"　{number}" if number else ""
    return f"{title}{shown}　第 {revision} 版"


def signature_pad_title(role: str) -> str:
    return f"手写签名　{role}"


def signature_pad_intro(role: str) -> str:
    return f"请「{role}」在下方框内签名，签好后点「确定」；写错了点「清除」重签。"


def doc_more_problems(n: int) -> str:
    return f"……另有 {n} 个问题，已在对应填写项下用红字标出。"


# ---- 检查编辑器：文书
EDITOR_DOCUMENT = "文书…"
EDITOR_DOCUMENT_TIP = (
    "为本次检查制作现场笔录、询问笔录、责令改正通知书等文书（自动带入当事人、执法人员、时间地点）"
)

# ---- 空白文书、使用人
BLANK_BUTTON = "打印空白文书…"
BLANK_BUTTON_TIP = "电脑无法使用时，带纸质空白文书到现场手写填写"
BLANK_TITLE = "打印空白文书"
BLANK_PROMPT = "选择要打印的文书："
NUMBERED_BLANKS_BUTTON = "编号空白文书…"
NUMBERED_BLANKS_BUTTON_TIP = (
    "当场行政处罚决定书须编有号码（行政处罚法第五十二条）：发放带本机文号的空白文书，并登记使用或作废"
)
NB_TITLE = "编号空白文书"
NB_INTRO = (
    "当场行政处罚决定书应当是预定格式、编有号码的文书（行政处罚法第五十二条）。这里发放的空白文书，"
    "文号取自本机的文号序列，与电脑上制作的文书不会重号；每一份都要有去向：手写使用后「登记已使用」"
    "（转为该文号的草稿，录入手写内容后打印存档），填错、损毁或遗失的「作废」（文号保留在案，不再使用）。"
)
NB_FORM = "文书："
NB_COUNT_SUFFIX = " 份"
NB_ISSUE = "发放并打印"
NB_ISSUE_TIP = "从本机文号序列取号，打印编号空白文书；取出的文号即登记在案"
NB_USE = "登记已使用"
NB_USE_TIP = "这份空白文书已在现场手写使用：转为该文号的草稿，录入内容后打印存档"
NB_VOID = "作废…"
NB_REPRINT = "重印"
NB_COL_NUMBER = "文号"
NB_COL_FORM = "文书"
NB_COL_STATE = "去向"
NB_COL_ISSUED = "发放时间"
NB_COL_NOTE = "说明"
OPERATOR_NONE = "（请选择使用人）"
OPERATOR_TIP = "当前使用本机的执法人员：打印、作废、更正等操作记录在其名下"


def blank_doc_name(title: str) -> str:
    return f"空白{title}"


def status_operator(name: str) -> str:
    return f"使用人：{name}" if name else "使用人："


# ---- 签名版（手写签名印在签名栏上的文书副本）
DOC_SIGNED_COPY = "签名版"
DOC_SIGNED_COPY_TIP = "手写签名印在签名栏上的文书副本（原定稿文书不变，重印仍为原件）"
DOC_SIGNED_COPY_PREVIEW = "预览、打印…"
DOC_SIGNED_COPY_SAVE = "另存为 PDF…"
DOC_SIGNED_COPY_NOTE = "签名版：手写签名印在签名栏上；文号、校验码与定稿文书相同"
DOC_SIGNED_COPY_READY = "已生成签名版（手写签名印在签名栏上），可在「签名版」中预览、打印或另存"
DOC_SIGNED_COPY_RENDERING = "正在读取签名版…"


def doc_signed_copy_title(title: str) -> str:
    return f"{title}（签名版）"


def doc_signed_copy_pdf_name(title: str, number: str | None) -> str:
    return f"{title}{number or ''}（签名版）.pdf"


# ---- 登录、锁定、密码与角色（issue 13.1、13.2）
LOGIN_TITLE = "登录 FieldKit"
LOGIN_HEADING = "请选择执法人员并输入密码"
LOGIN_INTRO = "本机数据已加密，登录后才能查看和填写。"
RECOVERY_LABEL = "单位恢复公钥"
RECOVERY_NONE = "未登记：所有执法人员都忘记密码时，本机数据将无法恢复"
RECOVERY_SET = "登记单位恢复公钥…"
RECOVERY_CHOOSE = "选择单位恢复公钥文件（办公室提供的 .pem）"
RECOVERY_HINT = "办公室保管对应的私钥；所有人都忘记密码时，凭它在办公室恢复本机数据。"


def recovery_registered(fingerprint: str) -> str:
    return f"已登记（指纹 {fingerprint}）"


OLD_FILES_ENCRYPTING = "正在加密旧版本留下的证据文件（可以取消，下次启动时继续）……"


def old_files_encrypted(files: int) -> str:
    return f"已加密旧版本留下的 {files} 个证据文件：数据目录中不再有明文证据"


OLD_FILES_NOT_ENCRYPTED = "旧版本留下的证据文件尚未全部加密（已取消或出错，详见日志）：下次启动时继续"
LOGIN_OFFICER = "执法人员"
LOGIN_PASSWORD = "密码"
LOGIN_PASSWORD_PH = "密码或 6 位以上数字 PIN"
LOGIN_BUTTON = "登录"
LOGIN_QUIT = "退出"
LOGIN_EMPTY = "请输入密码"
LOGIN_NO_OFFICER = "请选择执法人员"
LOGIN_WORKING = "正在验证密码…"
LOGIN_NONE_HERE = "本机没有设置了密码的执法人员：请用单位恢复密钥恢复（fieldkit recover）"
LOCK_TITLE = "已锁定"
LOCK_INTRO = "数据已隐藏。本人输入密码解锁；本机其他执法人员也可以选择自己的姓名登录，切换使用人。"
LOCK_UNLOCK = "解锁"
LOCK_ACTION = "锁定"
LOCK_ACTION_TIP = "立即锁定窗口（Ctrl+L）：输入中的内容先自动保存"
SWITCH_ACTION = "切换人员"
SWITCH_ACTION_TIP = "锁定窗口，由本机另一名执法人员登录"
LOCK_NEEDS_PASSWORD = "本机还没有设置登录密码：设置后才能锁定（设置 → 执法人员 → 设置密码和角色）"
LOCK_REASONS = {
    "idle": "无操作时间已到，已自动锁定",
    "manual": "已手动锁定",
    "switch": "请选择要切换到的执法人员并输入其密码",
    "suspend": "系统休眠前已自动锁定",
    "screen": "系统锁屏时已自动锁定",
}
PASSWORD_NEW = "新密码"
PASSWORD_AGAIN = "再输一次"
PASSWORD_OLD = "原密码"
PASSWORD_MISMATCH = "两次输入的新密码不一致：请重新输入“再输一次”"
PASSWORD_RULE_HINT = "至少 6 个字符；数字 PIN 至少 6 位。忘记密码须由管理员重设。"
FIRST_PASSWORD_TITLE = "设置登录密码"
FIRST_PASSWORD_WHY = (
    "本版本起，本机数据已加密，须设置登录密码才能继续使用。"
    "请选择本机的管理员（可设置、管理执法人员和密码），并为其设置密码；"
    "其他执法人员的密码可在登录后由管理员在“设置”中设置。"
)
FIRST_PASSWORD_ADMIN = "管理员"
FIRST_PASSWORD_OK = "设置并登录"
WIZARD_ADMIN_TITLE = "管理员与登录密码"
WIZARD_ADMIN_SUB = (
    "本机数据加密保存，打开程序须登录。请指定管理员并设置其密码；其他人员的密码由管理员以后设置。"
)
OFFICER_PASSWORD_TITLE = "设置密码和角色"
OFFICER_PASSWORD_BUTTON = "设置密码和角色…"
OFFICER_PASSWORD_TIP = "为选中的执法人员设置或重设登录密码、修改角色（管理员）"
OFFICER_PASSWORD_KEEP = "密码不改时两栏留空，只修改角色"
OFFICER_PASSWORD_NEEDED = "该执法人员在本机还没有密码：请设置新密码"
OFFICER_ROLE = "角色"
OFFICER_HAS_PASSWORD = "已设置"
OFFICER_NO_PASSWORD = "未设置"
COL_ROLE = "角色"
COL_LOGIN = "登录密码"
MY_PASSWORD_BUTTON = "修改我的密码…"
MY_PASSWORD_TITLE = "修改我的密码"
MY_PASSWORD_TIP = "修改当前登录人员自己的密码（须输入原密码）"
MY_PASSWORD_NOT_LOGGED_IN = "尚未登录：本机设置登录密码后才能修改自己的密码"
PASSWORD_SAVED = "密码已保存。"
ROLE_SAVED = "角色已保存。"
SETTINGS_SECURITY = "自动锁定与数据恢复"
AUTO_LOCK_LABEL = "无操作自动锁定"
AUTO_LOCK_SUFFIX = " 分钟"
AUTO_LOCK_HINT = "离开电脑超过这段时间，窗口自动锁定；系统休眠或锁屏时也会锁定。修改后立即生效。"
AUTO_LOCK_SAVE = "保存"
AUTO_LOCK_SAVED = "自动锁定时间已保存。"
AUTO_LOCK_SYSTEM_UNAVAILABLE = "（未连接到系统总线：只按无操作时间锁定）"


def login_wait(seconds: float) -> str:
    return f"密码错误次数过多：请 {max(1, round(seconds))} 秒后再试"


def login_wrong(name: str) -> str:
    return f"{name}的密码不对：请注意大小写和输入法后重新输入" if name else "密码不对：请重新输入"


def logged_in_as(name: str, role_label: str) -> str:
    return f"登录人员：{name}（{role_label}）"


def only_roles(role_labels: list[str], work: str) -> str:
    """Tooltip of a control the logged-in officer's role may not use: who may."""
    return f"仅{'或'.join(role_labels)}可以{work}：请由{'或'.join(role_labels)}登录后操作"


def officer_password_title(name: str) -> str:
    return f"设置密码和角色：{name}"
