"""`audit`: the hash-chained audit log."""

from __future__ import annotations

import argparse
import sys

from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    JSON_HELP,
    Subcommands,
    adder,
    missing,
    open_ctx,
    print_json,
)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from fieldkit.services import integrity

    report = integrity.verify_audit(open_ctx(args))
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "broken": None if report.broken is None else report.broken.__dict__,
                "anchored_seq": report.head_seq,
                "unanchored": report.unanchored,
                "problems": report.problems,
            }
        )
    elif report.ok:
        tail = f"，其后 {report.unanchored} 条尚未锚定" if report.unanchored else ""
        print(
            f"审计日志完整：共 {report.entries} 条，哈希链无断裂，与本机签名的锚点一致{tail}；定稿文书与证据记录均与日志相符"
        )
    else:
        for problem in report.problems:
            print(f"错误：{problem}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def register(sub: Subcommands) -> None:
    add = adder(sub)

    au = add("audit", lambda a: missing(a, "audit"), "审计日志")
    asub = au.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("verify", cmd_audit_verify, "校验审计日志哈希链", asub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
