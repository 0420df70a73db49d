"""`inspections`: the list of on-site inspections (现场检查)."""

from __future__ import annotations

import argparse

from fieldkit.cli.base import EXIT_OK, JSON_HELP, Subcommands, adder, missing, open_ctx, print_json

# `inspections list --sort`: the list's columns by their Chinese names → services.inspections sort keys.
INSPECTION_SORTS = {
    "时间": "start",
    "当事人": "subject",
    "类型": "type",
    "领域": "domains",
    "不符合": "failed",
    "处理结果": "outcome",
    "状态": "status",
    "执法人员": "officers",
    "来源": "origin",
}


def _inspection_status(text: str) -> str:
    """--status 草稿/已完成 (the English values are accepted too, for old scripts)."""
    from fieldkit.domain.inspections import STATUS_LABELS

    for status, label in STATUS_LABELS.items():
        if text in (label, status.value):
            return status.value
    raise argparse.ArgumentTypeError(f"应为 {'、'.join(STATUS_LABELS.values())}，收到「{text}」")


def cmd_inspections_list(args: argparse.Namespace) -> int:
    from fieldkit.domain.inspections import STATUS_LABELS, InspectionStatus
    from fieldkit.services.context import SHANGHAI
    from fieldkit.services.inspections import inspection_ids, inspection_items

    ctx = open_ctx(args)
    status = InspectionStatus(args.status) if args.status else None
    sort = INSPECTION_SORTS[args.sort]
    ids = inspection_ids(ctx, status=status, sort=sort, descending=not args.asc)
    items = inspection_items(ctx, ids[: args.limit])
    if args.json:
        print_json(items)
    else:
        for i in items:
            start = i.start_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if i.start_at else "-"
            print(
                f"{start}\t{STATUS_LABELS[i.status]}\t{i.subject_name or '（未选当事人）'}\t{i.domain_names}\t{i.outcome.label if i.outcome else ''}"
            )
        print(f"共 {len(items)} 次")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    inspections = add("inspections", lambda a: missing(a, "inspections"), "现场检查")
    isub = inspections.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_inspections_list, "列出检查记录（默认按检查时间，最新在前）", isub)
    p.add_argument(
        "--status", type=_inspection_status, metavar="{草稿,已完成}", help="只列出草稿或已完成的检查"
    )
    p.add_argument(
        "--sort",
        choices=list(INSPECTION_SORTS),
        default="时间",
        metavar="{" + ",".join(INSPECTION_SORTS) + "}",
        help="按哪一列排序（默认：时间）",
    )
    p.add_argument("--asc", action="store_true", help="从小到大、从早到晚排列（默认从大到小、最新在前）")
    p.add_argument("--limit", type=int, default=1000, help="最多列出几次")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
