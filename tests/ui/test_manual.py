"""The manual (docs/使用手册.md) names only buttons, menus and labels the app really shows (issue 10.9).

Convention of the manual: a name on the screen is quoted 「like this」; **bold** is a UI name too, unless it
is one of the few emphasised phrases listed below. Every such name must be, exactly (keyboard
accelerators and a trailing colon aside), a text of the UI: a string of fieldkit/ui (or a label it takes
from domain and services), a form title or field label, or a checklist domain.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from fieldkit.catalog import load_checklists, load_formdefs

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "使用手册.md"

# Bold that emphasises a point of the text, not a name on the screen.
EMPHASIS = {
    "不需要联网",
    "至少两名",
    "任意两个字",
    "1 = 符合、2 = 不符合、3 = 不涉及",
    "Ctrl+Enter",
    "fieldkit.exe",
    "日期和时间都可以直接输入",
    "自动保存",
    "第一次打印即定稿",
    "哈希值",
    "写明处理理由",
    "核对显示的指纹与笔记本屏幕上的指纹一致",
    "按时导出并在办公室导入",
    "第 1 步 执法机关。",
    "第 2 步 执法人员。",
    "第 3 步 管理员与登录密码。",
    "第 4 步 本机编号。",
    # the paragraphs of 登录、锁定和切换人员 (issue 13.1, 13.2), and of 数据和备份
    "登录。",
    "锁定。",
    "切换人员。",
    "角色。",
    "从旧版本升级。",
    "单位恢复公钥。",
    "自动备份",
    # the tasks of the office chapter, each followed by the button that does it
    "登记受信任设备",
    "生成办公室密钥",
    "导入",
}


def _normal(text: str) -> str:
    text = re.sub(r"\(&\w\)", "", text).replace("&", "")
    return text.strip().rstrip("：:").strip()


def _python_strings(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.add(node.value)
    return out


@cache
def ui_texts() -> frozenset[str]:
    """Every text the UI can show: its own strings, and the labels it takes from domain and services
    (outcomes, statuses, field labels), form titles and their field labels, checklist domains. A label followed by an
    explanation in brackets ("加密到办公室公钥（U 盘遗失也不会泄露数据）") is named without it."""
    texts: set[str] = set()
    for layer in ("ui", "domain", "services"):
        for path in (ROOT / "fieldkit" / layer).rglob("*.py"):
            texts |= _python_strings(path)
    formdefs = load_formdefs().values()
    texts |= {f.title for f in formdefs} | {field.label for f in formdefs for field in f.fields}
    texts |= {d.name for d in load_checklists()}
    normal = {_normal(t) for t in texts}
    return frozenset(normal | {re.sub(r"（[^（）]*）$", "", t) for t in normal})


def quoted_names(markdown: str) -> list[tuple[str, str]]:
    """(how it is marked, the name) for every 「…」 and **…** of the manual, code blocks excluded."""
    prose = re.sub(r"```.*?```", "", markdown, flags=re.S)
    names = [("「」", m) for m in re.findall(r"「([^」]+)」", prose)]
    names += [("**", m) for m in re.findall(r"\*\*([^*]+)\*\*", prose) if m not in EMPHASIS]
    return names


def test_every_name_the_manual_quotes_is_in_the_ui() -> None:
    texts = ui_texts()
    names = quoted_names(MANUAL.read_text(encoding="utf-8"))
    assert len(names) > 40  # the manual does quote its buttons this way
    missing = sorted({f"{mark}{name}" for mark, name in names if _normal(name.strip("「」")) not in texts})
    assert missing == [], f"使用手册中引用了界面上没有的名称：{missing}"


def test_the_check_is_exact_not_a_substring() -> None:
    """「常用语」 is not the button 「插入常用语」, 「重新打开」 is not 「撤回完成」."""
    texts = ui_texts()
    assert "插入常用语" in texts and "常用语" not in texts
    assert "重新打开" not in texts and "复制哈希值" not in texts and "仍然保存" not in texts
