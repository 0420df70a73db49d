"""`blank` and `blanks`: blank forms for writing by hand, and the ledger of numbered ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit import paths
from fieldkit.cli.base import (
    EXIT_OK,
    EXIT_REFUSED,
    FORM_HELP,
    Subcommands,
    adder,
    missing,
    open_ctx,
    print_json,
    resolve,
    write_atomic,
)
from fieldkit.errors import ValidationFailed


def cmd_blank(args: argparse.Namespace) -> int:
    from fieldkit.services.documents import blank_pdf
    from fieldkit.services.lookup import resolve_form
    from fieldkit.services.settings import load_local_settings

    formdef = resolve_form(args.form)
    title = formdef.title
    # A blank copy still names the agency and its 复议机关 when this laptop is set up; the store is
    # only read when it exists, so printing a blank form never creates one.
    if args.numbered:
        return _numbered_blanks(args, title)
    ctx = open_ctx(args) if paths.db_path().exists() else None
    # no store: the data dir's settings.toml still chooses the font, as it would with one
    options = None if ctx is not None else load_local_settings(paths.data_dir()).printing
    try:
        pdf, pages = blank_pdf(ctx, formdef.id, args.agency, options=options)
    except ValidationFailed as exc:  # 当场处罚决定书: only numbered blanks (行政处罚法第五十二条)
        for problem in exc.problems:
            print(f"错误：{problem.message}", file=sys.stderr)
        return EXIT_REFUSED
    write_atomic(Path(args.output), pdf)
    print(f"已生成空白 {title}：{args.output}（{pages} 页）")
    return EXIT_OK


def _numbered_blanks(args: argparse.Namespace, title: str) -> int:
    """编有号码的空白文书 (行政处罚法第五十二条): numbers drawn from this device's series, on record."""
    from fieldkit.services import documents

    ctx = open_ctx(args)
    ids = documents.issue_numbered_blanks(ctx, args.form, args.numbered, actor=args.actor or "")
    pdf, pages = documents.numbered_blanks_pdf(ctx, ids, actor=args.actor or "")
    write_atomic(Path(args.output), pdf)
    numbers = [documents.load_document(ctx, i).number or "" for i in ids]
    shown = numbers[0] if len(numbers) == 1 else f"{numbers[0]} 至 {numbers[-1]}"
    print(f"已发放编号空白 {title} {len(ids)} 份（{shown}）：{args.output}（{pages} 页）")
    return EXIT_OK


def cmd_blanks_list(args: argparse.Namespace) -> int:
    from fieldkit.services.context import SHANGHAI
    from fieldkit.services.documents import BLANK_STATE_LABELS, list_numbered_blanks

    items = list_numbered_blanks(open_ctx(args), args.form)
    if args.json:
        print_json(
            [
                {
                    "id": b.id,
                    "form": b.form_id,
                    "number": b.number,
                    "state": b.state,
                    "issued_at": b.issued_at,
                    "note": b.note,
                }
                for b in items
            ]
        )
        return EXIT_OK
    for b in items:
        issued = b.issued_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        print(f"{b.number}\t{b.title}\t{BLANK_STATE_LABELS[b.state]}\t发放于 {issued}\t{b.note}")
    counts = {state: sum(1 for b in items if b.state == state) for state in BLANK_STATE_LABELS}
    print(f"共 {len(items)} 份：" + "，".join(f"{BLANK_STATE_LABELS[k]} {n} 份" for k, n in counts.items()))
    return EXIT_OK


def cmd_blanks_use(args: argparse.Namespace) -> int:
    from fieldkit.services import documents
    from fieldkit.services.lookup import resolve_numbered_blank

    ctx = open_ctx(args)
    document_id = resolve_numbered_blank(ctx, args.blank)
    inspection = resolve(ctx, "inspection", args.inspection) if args.inspection else None
    documents.use_numbered_blank(ctx, document_id, matter_id=inspection, actor=args.actor or "")
    doc = documents.load_document(ctx, document_id)
    print(f"已登记使用 {doc.number}：已转为草稿 {doc.id}，请录入手写内容后打印存档")
    return EXIT_OK


def cmd_blanks_void(args: argparse.Namespace) -> int:
    from fieldkit.services import documents
    from fieldkit.services.lookup import resolve_numbered_blank

    ctx = open_ctx(args)
    document_id = resolve_numbered_blank(ctx, args.blank)
    documents.void_document(ctx, document_id, args.reason, actor=args.actor or "")
    print(f"已作废 {documents.load_document(ctx, document_id).number}（文号保留在案，不再使用）")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    p = add("blank", cmd_blank, "生成空白文书（电脑故障时手写用）")
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument("--agency", help="机关名称（默认取本机设置）")
    p.add_argument(
        "--numbered",
        type=int,
        metavar="N",
        help="发放 N 份编有号码的空白文书（如当场行政处罚决定书，行政处罚法第五十二条），文号取自本机序列并登记在案",
    )
    p.add_argument("--actor", help="操作人")

    blanks = add("blanks", lambda a: missing(a, "blanks"), "编号空白文书的发放、使用和作废台账")
    bsub = blanks.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_blanks_list, "列出编号空白文书及其去向（已发放未使用、已使用、已作废）", bsub)
    p.add_argument("--form", help="只列出这一种文书（如 dangchang_chufa）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("use", cmd_blanks_use, "登记一份编号空白文书已手写使用（转为该文号的草稿，录入后打印存档）", bsub)
    p.add_argument("blank", help="文号、文号末尾（如 A1-3）或文书 ID")
    p.add_argument("--inspection", help="所属检查 ID（可选，用于预填当事人等）")
    p.add_argument("--actor", help="操作人")
    p = add("void", cmd_blanks_void, "作废一份编号空白文书（填错、损毁、遗失），文号保留在案", bsub)
    p.add_argument("blank", help="文号、文号末尾（如 A1-3）或文书 ID")
    p.add_argument("--reason", required=True, help="作废理由")
    p.add_argument("--actor", help="操作人")
