"""argparse in Chinese: "usage", "options", "invalid choice", "the following arguments are required"…

argparse takes every text it prints through its module-level `_` / `ngettext` (gettext) at the moment
it prints. Installing a global gettext catalogue would change every argparse user in the process
(pytest's own options, for one), so `ChineseArgumentParser` swaps argparse's two functions only while
one of its own methods runs, and puts them back afterwards. Texts not in the table stay as argparse
wrote them, so a newer Python adds English, never a crash; tests/cli/test_cli_zh.py lists what must be
Chinese.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

# Keys are argparse's msgids (CPython 3.11–3.13); values keep the same %-placeholders.
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    'argument "-" with mode %r': "参数“-”不能以 %r 方式打开",
    " (default: %(default)s)": "（默认：%(default)s）",
    "%(prog)s: error: ": "%(prog)s：错误：",
}
PLURALS: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
    "conflicting option string: %s": "选项冲突：%s",
}
# `invalid %(type)s value` names the converter function: int → 整数.
TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文字"}

# Option values shown in usage lines ("-o 输出" rather than "-o OUTPUT"), by the option's dest; an
# option not listed here shows "值".
METAVARS = {
    "actor": "姓名",
    "agency": "机关全称",
    "code": "本机编号",
    "copies": "份数",
    "data": "JSON文件",
    "data_dir": "目录",
    "device_code": "本机编号",
    "device_id": "设备号",
    "encrypt_to": "公钥文件",
    "form": "文书种类",
    "government": "人民政府",
    "inspection": "检查ID",
    "key": "私钥文件",
    "limit": "数量",
    "name": "名称",
    "number": "文号",
    "officer": "执法人员",
    "output": "输出",
    "phone": "电话",
    "reason": "理由",
    "seed": "种子",
    "short": "简称",
    "unit": "承办机构",
    "status": "状态",
}

_lock = threading.RLock()
_depth = 0


def _zh(message: str) -> str:
    return MESSAGES.get(message, message)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def chinese() -> Iterator[None]:
    """argparse speaks Chinese inside this block (re-entrant; restored on exit)."""
    global _depth
    with _lock:
        if _depth == 0:
            saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
            argparse._, argparse.ngettext = _zh, _zh_n  # type: ignore[attr-defined]
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _in_chinese(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with chinese():
            return method(*args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Defaults shown in Chinese, section headings with a full-width colon ("选项：")."""

    def format_help(self) -> str:
        return re.sub(r"^(位置参数|选项):$", r"\1：", super().format_help(), flags=re.M)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, argparse.SUPPRESS, []):
            return text
        if action.option_strings and action.nargs != 0:
            return text + _zh(" (default: %(default)s)")
        return text


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts, errors and sub-parsers are Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with chinese():
            super().__init__(*args, **kwargs)

    def _add_action(self, action: argparse.Action) -> argparse.Action:
        # Every option passes here, also those of a mutually exclusive group.
        if action.option_strings and action.metavar is None and action.choices is None:
            action.metavar = METAVARS.get(action.dest, "值")
        return super()._add_action(action)

    add_argument_group = _in_chinese(argparse.ArgumentParser.add_argument_group)
    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with chinese():
            return super().parse_known_args(args, namespace)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)  # type: ignore[misc]
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES and exc.message:
                exc.message = exc.message.replace(f"无效的{name}值", f"无效的{TYPE_NAMES[name]}值")
            raise

    def error(self, message: str) -> NoReturn:
        with chinese():
            super().error(message)
