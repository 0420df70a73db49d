"""The `fieldkit` command: the GUI by default, and subcommands for scripting and tests.

One module per command group; each has its handlers and a `register(sub)` adding its parsers. Every
handler works through `fieldkit.services` (tests/cli/test_cli_layers.py keeps the store out of here).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fieldkit import __version__, paths
from fieldkit.cli import (
    access,
    audit,
    backup,
    blanks,
    documents,
    due,
    evidence,
    exchange,
    forms,
    inspections,
    settings,
    setup,
    subjects,
)
from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_REFUSED,
    EXIT_USAGE,
    Usage,
    print_json,
)
from fieldkit.errors import FieldkitError, ValidationFailed

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "build_parser",
    "main",
    "print_json",
]

# In the order `fieldkit --help` lists the commands.
REGISTER = (
    setup.register,  # gui, setup, demo
    subjects.register,
    inspections.register,
    forms.register,  # forms, render
    blanks.register,  # blank, blanks
    documents.register,  # docs, print
    evidence.register,
    audit.register,
    due.register,
    exchange.register,  # device, export, bundle, office
    settings.register,  # font
    access.register,  # lock-status, officers, recover, keys
    backup.register,
    setup.register_selftest,
)


def build_parser() -> argparse.ArgumentParser:
    from fieldkit.cli.zh import ChineseArgumentParser

    parser = ChineseArgumentParser(prog="fieldkit", description="FieldKit 现场执法助手")
    parser.add_argument(
        "--version", action="version", version=f"FieldKit {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="数据目录（默认为用户数据目录，或环境变量 FIELDKIT_HOME）"
    )
    parser.add_argument(
        "--login",
        dest="login_officer",
        metavar="姓名",
        help="以哪名执法人员登录（也可用环境变量 FIELDKIT_OFFICER）",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="文件",
        help="从文件第一行读密码（供脚本使用；也可用环境变量 FIELDKIT_PASSWORD_FILE）。不在命令行上写密码",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for register in REGISTER:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        paths.set_data_dir(args.data_dir)
    handler = getattr(args, "handler", setup.cmd_gui)
    from fieldkit.services.lookup import IdNotResolved

    try:
        return handler(args)
    except (Usage, IdNotResolved) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"错误：{problem.message}", file=sys.stderr)
        return EXIT_FAILED
    except FieldkitError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `fieldkit … | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (
        Exception
    ) as exc:  # no traceback reaches the officer (issue 11.4): a sentence, the log has the rest
        from fieldkit.errors import environment_problem

        text = environment_problem(exc)
        if text is None:
            logging.getLogger("fieldkit.cli").error("unexpected error", exc_info=exc)
            text = f"程序内部错误（{type(exc).__name__}），未做任何修改；详细信息已写入日志，请联系技术支持"
        print(f"错误：{text}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
