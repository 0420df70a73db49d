"""The app's own messages name only buttons, pages and cards the app really shows (as the manual must,
tests/ui/test_manual.py): the office's trust offer sent the officer to 「本机签名密钥」 on the laptop, whose
card is 「本机公钥」 (found on a first-use walkthrough of the office import, issue 10 items 8 and 9)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.ui.test_manual import ROOT, _normal, ui_texts

# 「…」 in messages that is not a name on the screen: an example value, printed text, a README section.
NOT_UI = {
    "12 张",  # an example quantity
    "更正说明",  # printed at the end of a corrected document
    "样张",  # the watermark printed on a trial print (fieldkit render)
    "在全新的 Linux 上",  # README section
    "某市监处罚〔2026〕1号",  # an example number
    "某某市市场监督管理局",  # an example agency
    "姓名:执法证号",  # the CLI argument's format
    "%(filename)s",  # argparse's own text, translated
}


def _message_strings(path: Path) -> set[str]:
    """The string constants of a module that are not docstrings or comments-as-strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


def quoted_in_messages() -> dict[str, set[str]]:
    """name → files, for every 「name」 in a message of the app (templates with {…} left out)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "fieldkit").rglob("*.py"):
        for text in _message_strings(path):
            for name in re.findall(r"「([^」{}]+)」", text):
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def on_screen(name: str, texts: frozenset[str]) -> bool:
    """Exactly a UI text, or a button that adds an ellipsis or a count: 「添加文件」 is 添加文件…"""
    wanted = _normal(name)
    return wanted in texts or wanted + "…" in texts or any(t.startswith(wanted + "（") for t in texts)


def test_every_name_a_message_quotes_is_on_the_screen() -> None:
    texts = ui_texts()
    quoted = quoted_in_messages()
    assert len(quoted) > 30  # the messages do quote their buttons this way
    missing = {
        name: sorted(files)
        for name, files in quoted.items()
        if name not in NOT_UI and not on_screen(name, texts)
    }
    assert missing == {}, f"消息中引用了界面上没有的名称：{missing}"


def test_the_check_is_exact() -> None:
    texts = ui_texts()
    assert on_screen("添加文件", texts) and on_screen("本机公钥", texts)
    assert not on_screen("本机签名密钥", texts) and not on_screen("添加", texts)
