"""`subjects`: the register of market subjects (当事人)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    JSON_HELP,
    Subcommands,
    adder,
    missing,
    open_ctx,
    print_json,
)
from fieldkit.errors import ImportFileError


def cmd_subjects_import(args: argparse.Namespace) -> int:
    from fieldkit.services.subject_import import import_subjects

    try:
        report = import_subjects(
            open_ctx(args), Path(args.file), dry_run=args.dry_run, accept_warnings=args.accept_warnings
        )
    except ImportFileError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print_json(report.as_json())
    else:
        prefix = "（试导入，未保存）" if args.dry_run else ""
        print(
            f"{prefix}新增 {report.accepted} 户，更新 {report.updated} 户，未变 {report.unchanged} 户，"
            f"拒绝 {len({r['row'] for r in report.rejected})} 行，"
            f"待确认未导入 {len({r['row'] for r in report.held})} 行，警告 {len(report.warnings)} 条"
        )
        for kind, items in (("拒绝", report.rejected), ("待确认", report.held), ("警告", report.warnings)):
            for item in items:
                print(f"  {kind} 第 {item['row']} 行 {item['field']}：{item['reason']}")
        if report.held:
            print("待确认的行核对无误后，可加 --accept-warnings 重新导入以保留（已导入的行不会重复）")
    # 3 = not every row is in the store: rejected, or held back until --accept-warnings.
    return EXIT_OK if report.complete else EXIT_PARTIAL


def cmd_subjects_search(args: argparse.Namespace) -> int:
    from fieldkit.services.subjects import search_subject_ids, subject_items

    ctx = open_ctx(args)
    items = subject_items(ctx, search_subject_ids(ctx, args.text, limit=args.limit))
    if args.json:
        print_json(items)
    else:
        for s in items:
            print(f"{s.name}\t{s.uscc or '-'}\t{s.legal_rep or '-'}\t{s.address}")
        print(f"共 {len(items)} 户")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    subjects = add("subjects", lambda a: missing(a, "subjects"), "当事人")
    ssub = subjects.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("import", cmd_subjects_import, "从 CSV/XLSX 导入市场主体名录", ssub)
    p.add_argument("file", metavar="名录文件", help="名录文件（.csv 或 .xlsx，第一行为表头）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    p.add_argument(
        "--accept-warnings",
        action="store_true",
        help="保留只有警告的行（如统一社会信用代码校验位不符，按登记原样保留并注明）；不加则这些行不导入，退出码 3",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("search", cmd_subjects_search, "按名称、代码、地址、负责人搜索", ssub)
    p.add_argument("text", nargs="?", default="", metavar="文字", help="要找的文字（不填则列出全部）")
    p.add_argument("--limit", type=int, default=200, help="最多列出几户")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
