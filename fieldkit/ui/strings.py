"""All user-visible UI text: constants and small functions for texts with parameters (STYLE §7)."""

from __future__ import annotations

import datetime as dt

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
COL_SUBJECT_TYPE = "主体类型"
COL_USCC = "统一社会信用代码"
COL_LEGAL_REP = "法定代表人（负责人）"
COL_ADDRESS = "住所（经营场所）"
COL_PHONE = "联系电话"
COL_START = "检查时间"
COL_SUBJECT = "当事人"
COL_TYPE = "检查类型"
COL_DOMAINS = "检查领域"
COL_FAILED = "不符合项"
COL_OUTCOME = "处理结果"
COL_STATUS = "状态"
COL_OFFICERS = "执法人员"
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
IMPORT_ALL_GOOD = "所有行均已导入，没有问题。"
SELECT_SUBJECT_FIRST = "请先在列表中选择一个当事人。"


def subject_count(n: int) -> str:
    return f"共 {n} 户"


def confirm_delete_subject(name: str) -> str:
    return f"确定删除当事人「{name}」吗？\n\n已有的检查记录仍会保留该当事人的名称。"


def import_summary(accepted: int, updated: int, unchanged: int, rejected_rows: int, warnings: int) -> str:
    return (
        f"新增 {accepted} 户，更新 {updated} 户，未变 {unchanged} 户；"
        f"拒绝 {rejected_rows} 行，警告 {warnings} 条。"
    )


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
EDITOR_KEY_HINT = "选中一行后按键盘 1 符合、2 不符合、3 不涉及、Delete 清除；双击「备注」可填写。"
EDITOR_NO_DOMAINS = "请在左侧勾选检查领域，检查事项会列在这里。"
EDITOR_FINDINGS_PLACEHOLDER = "记录现场检查的情况：检查了什么、看到了什么、发现了什么问题……"
EDITOR_NOTE_PLACEHOLDER = "轻微免罚须写明对当事人的教育情况；立案、移送须写明事由"
EDITOR_NO_FAILED = "没有不符合项。"
EDITOR_COMPLETED_BANNER = "此检查已完成，内容已锁定。如需更正，请点「撤回完成」。"
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
AGENCY_FULL_NAME = "执法机关全称"
AGENCY_SHORT_NAME = "文号机关简称"
AGENCY_GOVERNMENT = "本级人民政府"
AGENCY_UNIT = "承办机构"
AGENCY_PHONE = "联系电话"
AGENCY_ADDRESS = "机关地址"
AGENCY_FULL_NAME_PH = "如：某某市市场监督管理局"
AGENCY_SHORT_NAME_PH = "如：某"
AGENCY_GOVERNMENT_PH = "如：某某市人民政府（告知复议机关时使用）"
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
    return f"文书中将告知：可向 {shown} 申请行政复议"


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
    "page_subjects": "打开「当事人」",
    "page_settings": "打开「设置」",
    "editor": "在检查编辑器中打开新草稿",
    "subject_dialog": "打开当事人对话框",
    "integrity": "检查数据库完整性",
}


def selftest_step(name: str, ms: float, ok: bool) -> str:
    mark = "通过" if ok else "失败"
    return f"{SELFTEST_STEPS.get(name, name)}：{mark}（{ms:.0f} 毫秒）"


def selftest_total(ok: bool, ms: float) -> str:
    return f"{SELFTEST_OK if ok else SELFTEST_FAILED}（共 {ms:.0f} 毫秒）"


def selftest_data_dir(path: str) -> str:
    return f"数据目录：{path}"
