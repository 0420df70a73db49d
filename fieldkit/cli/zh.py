"""argparse in Chinese: "usage", "options", "invalid choice", "the following arguments are required"…

argparse takes every text it prints through its module-level `_` / `ngettext` (gettext) at the moment
it prints. Installing a global gettext catalogue would change every argparse user in the process
(pytest's own options, for one), so `ChineseArgumentParser` swaps argparse's two functions only while
one of its own methods runs, and puts them back afterwards. Texts not in the table stay as argparse
wrote them, so a newer Python adds English, never a crash; tests/cli/test_cli_zh.py lists what must be
Chinese.

argparse also measures text with len(), but a 汉字 takes two terminal columns: `ChineseHelpFormatter`
pads, aligns and wraps by display width (unicodedata.east_asian_width); tests/cli/test_help_width.py.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import re
import threading
import unicodedata
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


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def display_width(text: str) -> int:
    """The columns a terminal gives `text`: 汉字 and full-width punctuation take two (len() counts one)."""
    return sum(2 if _is_wide(ch) else 1 for ch in text)


def _width_or_len(obj: Any) -> int:
    return display_width(obj) if isinstance(obj, str) else builtins.len(obj)


@contextlib.contextmanager
def _measured_in_columns() -> Iterator[None]:
    """argparse's usage wrapping measures with len(); inside this block its len() counts columns.
    Only around formatting a usage line (every len() of a string there is a width), never parsing."""
    with _lock:
        argparse.len = _width_or_len  # type: ignore[attr-defined]
        try:
            yield
        finally:
            del argparse.len  # type: ignore[attr-defined]


# Kinsoku: a line does not start with a closing mark nor end with an opening one.
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’,.;:!?)]}")
_NO_LINE_END = frozenset("（《「『【〔“‘([{")


def _tokens(text: str, width: int) -> Iterator[str]:
    """Latin words and runs of spaces whole, each wide character alone (a line may break between any
    two 汉字); a word wider than the line is cut, as textwrap does."""
    tokens: list[str] = []
    for ch in text:
        last = tokens[-1][-1] if tokens else ""
        if last and not _is_wide(ch) and not _is_wide(last) and last.isspace() == ch.isspace():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    for token in tokens:
        while display_width(token) > width and not token.isspace():
            yield token[:width]
            token = token[width:]
        yield token


def wrap_to_width(text: str, width: int) -> list[str]:
    """textwrap.wrap for mixed Chinese and latin text: lines of at most `width` columns."""
    lines: list[list[str]] = [[]]
    for token in _tokens(" ".join(text.split()), max(width, 1)):
        line = lines[-1]
        if token.isspace():
            if line:
                line.append(token)
            continue
        used = sum(display_width(t) for t in line)
        if line and used + display_width(token) > width:
            while line and line[-1].isspace():
                line.pop()
            carried: list[str] = []
            if token[0] in _NO_LINE_START:  # take the character before it along (and its marks)
                while len(line) > 1:
                    carried.insert(0, line.pop())
                    if carried[0][0] not in _NO_LINE_START:
                        break
            while len(line) > 1 and line[-1][-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            if sum(display_width(t) for t in carried) + display_width(token) > width:
                line += carried  # the rule gives way to the width
                carried = []
            lines.append(carried)
            line = lines[-1]
        line.append(token)
    return ["".join(line).rstrip() for line in lines if line]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Defaults shown in Chinese, section headings with a full-width colon ("选项："), and columns
    measured in terminal columns: argparse pads and wraps by len(), so an option with a Chinese
    value name (--agency 机关全称) pushed its help out of line, and help text ran past the width."""

    def format_help(self) -> str:
        return re.sub(r"^(位置参数|选项):$", r"\1：", super().format_help(), flags=re.M)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, argparse.SUPPRESS, []):
            return text
        if action.option_strings and action.nargs != 0:
            return text + _zh(" (default: %(default)s)")
        return text

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the help column starts after the widest option
            invocations = [action, *self._iter_indented_subactions(action)]
            widest = max(display_width(self._format_action_invocation(a)) for a in invocations)
            self._action_max_length = max(self._action_max_length, widest + self._current_indent)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_to_width(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_to_width(text, width - display_width(indent)))

    def _format_usage(self, *args: Any, **kwargs: Any) -> str:
        with _measured_in_columns():
            return super()._format_usage(*args, **kwargs)  # type: ignore[misc]

    def _format_action(self, action: argparse.Action) -> str:
        # argparse's own, with display_width() where it has len() and padding done here, not by %-*s
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent_first = 0
        if not action.help:  # no help: the option alone on its line
            header = f"{' ' * self._current_indent}{header}\n"
        elif display_width(header) <= action_width:  # short: the help follows on the same line
            header = f"{' ' * self._current_indent}{header}{' ' * (action_width - display_width(header))}  "
        else:  # long: the help starts on the next line
            header = f"{' ' * self._current_indent}{header}\n"
            indent_first = help_position
        parts = [header]
        if action.help and action.help.strip():
            help_text = self._expand_help(action)
            if help_text:
                help_lines = self._split_lines(help_text, help_width)
                parts.append(f"{' ' * indent_first}{help_lines[0]}\n")
                parts += [f"{' ' * help_position}{line}\n" for line in help_lines[1:]]
        elif not header.endswith("\n"):
            parts.append("\n")
        for subaction in self._iter_indented_subactions(action):
            parts.append(self._format_action(subaction))
        return self._join_parts(parts)


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
