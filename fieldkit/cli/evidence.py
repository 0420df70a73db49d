"""`evidence`: evidence items and their files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from fieldkit.domain.evidence import EvidenceKind


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from fieldkit.services import evidence

    ctx = open_ctx(args)
    inspection_id = resolve(ctx, "inspection", args.inspection)
    new = evidence.add_evidence_from_files(
        ctx,
        inspection_id,
        [Path(p) for p in args.paths],
        kind=args.kind,  # an EvidenceKind already (_evidence_kind), or None
        name=args.name or "",
        progress=stderr_progress("添加证据文件"),
    )
    item_id, name, kind, report = new.item_id, new.name, new.kind, new.report
    if args.json:
        print_json({"item": item_id, **report.__dict__})
    else:
        print(
            f"证据「{name}」（{kind.label}）：新增文件 {report.added} 个，已存在 {report.already_attached} 个，失败 {len(report.failed)} 个"
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
                f"{item.seq}. {item.draft.name}（{item.draft.kind.label}，{len(item.files)} 个文件，{STATUS_LABELS.get(item.status, item.status)}）"
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


def _evidence_kind(text: str) -> EvidenceKind:
    """--kind 视听资料 (or its code, audiovisual, as --json prints it)."""
    from fieldkit.domain.evidence import EvidenceKind

    try:
        return EvidenceKind.from_text(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 {'、'.join(EvidenceKind.labels())}，收到「{text}」") from None


def register(sub: Subcommands) -> None:
    from fieldkit.domain.evidence import EvidenceKind

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
        type=_evidence_kind,
        metavar="种类",
        help=f"证据种类：{'、'.join(EvidenceKind.labels())}（默认按文件类型判断）",
    )
    p.add_argument("--name", help="证据名称（默认取文件名）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("list", cmd_evidence_list, "列出一次检查的证据", esub)
    p.add_argument("inspection", metavar="检查ID", help=f"检查：{ID_HELP}")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("verify", cmd_evidence_verify, "重新计算全部证据文件的哈希，报告缺失或被改动的文件", esub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
