"""`evidence`: evidence items and their files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    ID_HELP,
    JSON_HELP,
    Subcommands,
    adder,
    missing,
    open_ctx,
    print_json,
    resolve,
    stderr_progress,
)


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from fieldkit.domain.evidence import EvidenceKind
    from fieldkit.services import evidence

    ctx = open_ctx(args)
    inspection_id = resolve(ctx, "inspection", args.inspection)
    new = evidence.add_evidence_from_files(
        ctx,
        inspection_id,
        [Path(p) for p in args.paths],
        kind=EvidenceKind(args.kind) if args.kind else None,
        name=args.name or "",
        progress=stderr_progress("添加证据文件"),
    )
    item_id, name, kind, report = new.item_id, new.name, new.kind, new.report
    if args.json:
        print_json({"item": item_id, **report.__dict__})
    else:
        print(
            f"证据「{name}」（{kind}）：新增文件 {report.added} 个，已存在 {report.already_attached} 个，失败 {len(report.failed)} 个"
        )
        for failure in report.failed:
            print(f"  失败 {failure['file']}：{failure['reason']}", file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_evidence_list(args: argparse.Namespace) -> int:
    from fieldkit.domain.evidence import STATUS_LABELS
    from fieldkit.services import evidence

    ctx = open_ctx(args)
    items = evidence.list_evidence(ctx, resolve(ctx, "inspection", args.inspection))
    if args.json:
        print_json(items)
    else:
        for item in items:
            print(
                f"{item.seq}. {item.draft.name}（{item.draft.kind}，{len(item.files)} 个文件，{STATUS_LABELS.get(item.status, item.status)}）"
            )
            for f in item.files:
                print(f"     {f.sha256[:16]}…  {f.size:>12,}  {f.original_name}")
    return EXIT_OK


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    from fieldkit.services import evidence

    ctx = open_ctx(args)
    problems = evidence.verify_files(ctx, progress=None if args.json else stderr_progress("校验证据文件"))
    if args.json:
        print_json(
            {
                "ok": not problems,
                "problems": [{"sha256": p.sha256, "kind": p.kind, "message": p.message} for p in problems],
            }
        )
    else:
        for p in problems:
            print(f"错误：{p.message}", file=sys.stderr)
        if not problems:
            print("全部证据文件与登记的哈希一致")
    return EXIT_FAILED if problems else EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    ev = add("evidence", lambda a: missing(a, "evidence"), "证据")
    esub = ev.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("add", cmd_evidence_add, "把文件或整个文件夹（如相机存储卡）作为一项证据添加到检查", esub)
    p.add_argument(
        "inspection", metavar="检查ID", help=f"检查：{ID_HELP}（fieldkit inspections list --json 查看）"
    )
    p.add_argument(
        "paths", nargs="+", metavar="文件或文件夹", help="要添加的文件，或整个文件夹（如相机存储卡）"
    )
    p.add_argument(
        "--kind",
        help="证据种类（默认按文件类型判断）",
        choices=[
            "书证",
            "物证",
            "视听资料",
            "电子数据",
            "证人证言",
            "当事人陈述",
            "鉴定意见",
            "勘验笔录、现场笔录",
        ],
    )
    p.add_argument("--name", help="证据名称（默认取文件名）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("list", cmd_evidence_list, "列出一次检查的证据", esub)
    p.add_argument("inspection", metavar="检查ID", help=f"检查：{ID_HELP}")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("verify", cmd_evidence_verify, "重新计算全部证据文件的哈希，报告缺失或被改动的文件", esub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
