"""What every command shares: exit codes, opening the store, JSON output, usage errors, the parser's
`add` helper. A command module holds its handlers and a `register(sub)` that adds its parsers."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fieldkit import paths
from fieldkit.errors import FieldkitError

if TYPE_CHECKING:
    from fieldkit.services.context import Context

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_REFUSED = EXIT_PARTIAL  # `print`: the checks refused printing (0 printed, 2 bad input)

JSON_HELP = "以 JSON 输出（供脚本使用）"
FORM_HELP = "文书种类：标题（如 现场笔录）、编号（如 xianchang_bilu）或编号开头"
ID_HELP = "ID 或其开头几位（至少 4 位，不能对应多条）"
BUNDLE_HELP = "数据包文件（.fkb）"

Handler = Callable[[argparse.Namespace], int]


class Subcommands(Protocol):
    """What `add_subparsers()` returns (argparse keeps its class private)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


class AddCommand(Protocol):
    def __call__(
        self, name: str, handler: Handler, help_text: str, parent: Subcommands | None = None
    ) -> argparse.ArgumentParser: ...


def adder(top: Subcommands) -> AddCommand:
    """`add(name, handler, help)` adds a command under `top`, or under `parent` when given."""

    def add(
        name: str, handler: Handler, help_text: str, parent: Subcommands | None = None
    ) -> argparse.ArgumentParser:
        p = (parent or top).add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    return add


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Path):
        return str(value)
    return value


def print_json(value: Any) -> None:
    json.dump(_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


PASSWORD_FILE_ENV = "FIELDKIT_PASSWORD_FILE"  # for scripts: a file holding the password (issue 13.5)
OFFICER_ENV = "FIELDKIT_OFFICER"


def read_password_file(path: Path) -> str:
    """The password in a file: its first line, without the line end (never from the command line)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise Usage(f"无法读取密码文件 {path}：{os_reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise Usage(f"密码文件 {path} 不是 UTF-8 文本") from exc
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise Usage(f"密码文件 {path} 是空的：第一行应是密码")
    return lines[0]


def password_from(args: argparse.Namespace, *, prompt: str = "密码：") -> str | None:
    """The password given by --password-file (or FIELDKIT_PASSWORD_FILE), asked at a terminal, or None."""
    import os

    file = getattr(args, "password_file", None) or os.environ.get(PASSWORD_FILE_ENV)
    if file:
        return read_password_file(Path(file))
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return None


def credentials_for(args: argparse.Namespace) -> Any:
    """The login for a protected data dir: --officer (or FIELDKIT_OFFICER, or a terminal's answer)
    and the password; None for a data dir nobody has a password for yet."""
    import os

    from fieldkit.services import access

    data_dir = paths.data_dir()
    if not access.is_protected(data_dir):
        return None
    choices = access.login_choices(data_dir)
    officer = getattr(args, "login_officer", None) or os.environ.get(OFFICER_ENV)
    if not officer and len(choices) == 1:
        officer = choices[0].name
    if not officer and sys.stdin.isatty():
        names = "、".join(c.name for c in choices)
        officer = input(f"执法人员（{names}）：").strip()
    if not officer:
        raise Usage(
            "本机数据已加密：请用 --login 姓名 和 --password-file 文件 登录（或在终端中运行，按提示输入）"
        )
    password = password_from(args, prompt=f"{officer}的密码：")
    if password is None:
        raise Usage(
            "本机数据已加密：请用 --password-file 给出密码文件（不要在命令行上写密码），或在终端中运行"
        )
    return access.PasswordLogin(officer, password)


def open_ctx(args: argparse.Namespace, *, credentials: Any = None, daily_backup: bool = True) -> Context:
    """The store of the data dir, opened with the login the arguments give (or `credentials`), cleaned
    of what a killed run left, and backed up if today's snapshot is not there yet (issue 13.6)."""
    from fieldkit.logs import setup_logging
    from fieldkit.services import backup
    from fieldkit.services.context import open_context
    from fieldkit.services.housekeeping import clean_at_start

    # Logging first: a warning of open_context (a read-only data dir) goes to the log file, not to
    # stderr in English through Python's last-resort handler; the user is told below in Chinese.
    setup_logging(paths.data_dir() / "logs")
    ctx = open_context(paths.data_dir(), credentials=credentials or credentials_for(args))
    if ctx.read_only_reason:
        print(f"注意：{ctx.read_only_reason}", file=sys.stderr)
    left = clean_at_start(ctx)  # what a killed run left (issue 11.3); cheap when nothing died
    if left.anything:
        print(left.summary(), file=sys.stderr)
    # The day's first open copies the database (a date check otherwise; docs/backups.md has the cost).
    if (
        daily_backup
        and backup.daily_due(ctx)
        and backup.make_daily_if_due(ctx) is None
        and backup.daily_due(ctx)
    ):
        print("注意：今天的自动备份没有做成（详见日志），下次打开时再试", file=sys.stderr)
    encrypt_old_files(ctx)
    return ctx


def encrypt_old_files(ctx: Context) -> None:
    """Evidence files a release before encryption stored in the clear are encrypted now, in place
    (issue 13.4); one stat when there are none. Interrupted, the next command goes on."""
    from fieldkit.services import evidence

    if ctx.read_only or not evidence.plain_files_left(ctx):
        return
    show = stderr_progress("正在加密旧版本保存的证据文件")

    def progress(done: int, total: int) -> None:
        if total:  # a new, empty store: nothing to say
            show(done, total)

    done = evidence.encrypt_plain_files(ctx, progress=progress)
    if done.files:
        print(f"已加密 {done.files} 个旧版本保存的证据文件", file=sys.stderr)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def resolve(ctx: Any, kind: str, text: str) -> uuid.UUID:
    """The record `text` names: a whole id or an unambiguous prefix (services.lookup; exit 2 if not)."""
    from fieldkit.services.lookup import resolve_id

    return resolve_id(ctx, kind, text)


def stderr_progress(label: str) -> Callable[[int, int], None]:
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        if percent != last[0]:
            last[0] = percent
            print(
                f"\r{label} {percent:3d}%（{done / 1048576:.1f} / {total / 1048576:.1f} MB）",
                end="",
                file=sys.stderr,
            )
            if percent == 100:
                print(file=sys.stderr)

    return report


def os_reason(exc: OSError) -> str:
    """The reason a file could not be read, in Chinese (strerror is English)."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    return f"读取出错（{exc.strerror or exc}）"


class Usage(FieldkitError):
    """Wrong arguments: exit code 2."""


def read_public_key(path: str | Path) -> str:
    """A public key PEM file's text; Usage (exit 2) naming the file when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise Usage(f"无法读取公钥文件 {path}：{os_reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise Usage(f"公钥文件 {path} 不是 PEM 文本") from exc


def confirmed(prompt: str) -> bool:
    """Ask on a terminal; a script (stdin not a terminal) must say --yes instead."""
    if not sys.stdin.isatty():
        return False
    try:
        return input(prompt).strip().lower() in ("y", "yes", "是")
    except EOFError:
        return False


def missing(args: argparse.Namespace, name: str) -> int:
    print(f"错误：请指定 {name} 的子命令（fieldkit {name} --help 查看）", file=sys.stderr)
    return EXIT_USAGE
