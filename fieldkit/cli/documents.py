"""`docs` and `print`: documents (文书) from draft to the printed, numbered copy."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fieldkit.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_REFUSED,
    EXIT_USAGE,
    FORM_HELP,
    ID_HELP,
    JSON_HELP,
    Subcommands,
    Usage,
    adder,
    missing,
    open_ctx,
    os_reason,
    print_json,
    resolve,
    write_atomic,
)
from fieldkit.errors import ValidationFailed


def cmd_docs_list(args: argparse.Namespace) -> int:
    from fieldkit.domain.documents import STATE_LABELS, DocState
    from fieldkit.services.documents import list_documents

    items = list_documents(open_ctx(args))
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "form": d.form_id,
                    "title": d.title,
                    "number": d.number,
                    "status": d.status,
                    "revision": d.revision,
                    "inspection": d.matter_id,
                    "party": d.party,
                }
                for d in items
            ]
        )
    else:
        from fieldkit.services.form_views import numbered_forms

        numbered_ids = numbered_forms()
        for d in items:
            # a 笔录 or 清单 never has a 文号 (无文号); a decision or notice gets one when first printed
            numbered = d.form_id in numbered_ids
            number = d.number or ("（未编号）" if numbered else "（无文号）")
            print(f"{d.id}\t{d.title}\t{number}\t{STATE_LABELS[DocState(d.status)]}\t{d.party}")
        print(f"共 {len(items)} 份")
    return EXIT_OK


def _read_values(path: str) -> dict[str, Any]:
    """A JSON object of field values (`docs new --data`); anything else is a usage error."""
    try:
        values = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise Usage(f"--data：无法读取 {path}：{os_reason(exc)}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Usage(f"--data：{path} 不是 UTF-8 的 JSON：{exc}") from exc
    if not isinstance(values, dict):
        raise Usage(f"--data：{path} 应为一个 JSON 对象（字段键 → 值）")
    return values


def cmd_docs_new(args: argparse.Namespace) -> int:
    from fieldkit.services import documents, issuing
    from fieldkit.services.lookup import resolve_form

    ctx = open_ctx(args)
    formdef = resolve_form(args.form)
    values = _read_values(args.data) if args.data else {}
    known = {f.key for f in formdef.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise Usage(
            f"--data：{formdef.title}没有字段 {'、'.join(unknown)}（fieldkit forms show {formdef.id} 可查字段）"
        )
    inspection = resolve(ctx, "inspection", args.inspection) if args.inspection else None
    document_id = issuing.new_document(ctx, formdef.id, inspection)
    if values:
        try:
            documents.save_values(
                ctx, document_id, {**documents.load_document(ctx, document_id).values, **values}
            )
        except Exception:
            documents.delete_draft(ctx, document_id)  # bad input leaves no half-made draft behind
            raise
    if args.json:
        print_json({"id": document_id, "form": formdef.id, "title": formdef.title, "inspection": inspection})
    else:
        print(document_id)
    return EXIT_OK


def cmd_docs_correct(args: argparse.Namespace) -> int:
    """更正笔误 from the command line: same number, non-substantive fields only (then `print --reason`)."""
    from fieldkit.domain.documents import DocState
    from fieldkit.services import documents

    ctx = open_ctx(args)
    document_id = resolve(ctx, "document", args.doc)
    values = _read_values(args.data)
    doc = documents.load_document(ctx, document_id)
    started = doc.status == DocState.FINAL
    if started:
        documents.start_correction(ctx, document_id, actor=args.actor or "")
    try:
        documents.save_values(
            ctx, document_id, {**documents.load_document(ctx, document_id).values, **values}
        )
    except ValidationFailed as exc:
        if started:  # refused: the document stays as it was
            documents.cancel_correction(ctx, document_id, actor=args.actor or "")
        for problem in exc.problems:
            print(f"错误：{problem.message}", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"已更正（未打印）：打印时文号不变并印更正说明，请执行 fieldkit print {document_id} -o 文件.pdf --reason 更正理由"
    )
    return EXIT_OK


def cmd_docs_reissue(args: argparse.Namespace) -> int:
    """重新作出: a new draft in place of a printed document; printing it gives a new number and voids the old."""
    from fieldkit.services import documents

    ctx = open_ctx(args)
    old_id = resolve(ctx, "document", args.doc)
    values = _read_values(args.data) if args.data else {}
    new_id = documents.reissue_document(ctx, old_id, actor=args.actor or "")
    if values:
        documents.save_values(ctx, new_id, {**documents.load_document(ctx, new_id).values, **values})
    if args.json:
        print_json({"id": new_id, "replaces": old_id})
    else:
        print(new_id)
    return EXIT_OK


def _problem_json(problem: Any) -> dict[str, str]:
    return {
        "field": problem.field,
        "message": problem.message,
        "rule": problem.code,
        "severity": str(problem.severity),
    }


def cmd_docs_check(args: argparse.Namespace) -> int:
    from fieldkit.services import documents

    ctx = open_ctx(args)
    problems = documents.check_document(ctx, resolve(ctx, "document", args.doc))
    if args.json:
        print_json([_problem_json(p) for p in problems])
    else:
        for problem in problems:
            print(f"{'错误' if problem.is_error else '提示'}：{problem.message}")
        print(f"共 {len(problems)} 个问题" if problems else "检查通过，可以打印")
    # The exit code says what `print` would do: 0 prints, 3 is refused (提示 alone: unless --force).
    return EXIT_PARTIAL if problems else EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from fieldkit.services import documents, issuing

    ctx = open_ctx(args)
    document_id = resolve(ctx, "document", args.doc)
    if args.copies < 1:
        raise Usage("--copies：打印份数至少 1 份")
    try:
        if args.preview:  # nothing is finalised or recorded; a finalised document gives its stored PDF
            result = documents.view(ctx, document_id)
        else:
            result = issuing.print_for_signature(
                ctx,
                document_id,
                copies=args.copies,
                accept_warnings=args.force,
                reason=args.reason or "",
                actor=args.actor or "",
            )
    except documents.PrintBlocked as exc:
        for problem in exc.problems:
            kind = "错误" if problem.is_error else "提示"
            print(f"{kind}：{problem.message}", file=sys.stderr)
        if not exc.hard:
            print("以上提示确认无误后，可加 --force 继续打印", file=sys.stderr)
        return EXIT_REFUSED
    except documents.DocumentLocked as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(f"错误：{problem.message}", file=sys.stderr)
        # A missing --reason is the command line's fault (2); a correction that changes nothing or
        # touches substantive content is refused by the rules (3).
        return EXIT_USAGE if all(p.field == "reason" for p in exc.problems) else EXIT_REFUSED
    write_atomic(Path(args.output), result.pdf)
    if result.action == "preview" and result.number:  # a 笔误 correction keeps its number
        done = "已生成更正预览（草稿，更正版本尚未打印）"
    else:
        done = _PRINT_DONE[result.action]
    # an unnumbered form (笔录, 清单 …) or a draft has no 文号: no "：" with nothing after it
    number = f"：{result.number}" if result.number else ""
    print(f"{done}{number} → {args.output}（{result.pages} 页，SHA-256 {result.pdf_sha256[:16]}…）")
    return EXIT_OK


_PRINT_DONE = {
    "preview": "已生成预览（草稿，未定稿，不产生文号）",
    "stored": "该文书已定稿，已输出存档的定稿 PDF（与重印所得相同，未记为重印）",
    "stored_void": "该文书已作废，已输出作废件（每页印“作废”，未记为重印）",
    "stored_blank": "已输出编号空白文书（未记为重印）",
    "finalise": "已定稿并打印",
    "reprint": "已重印",
    "correct": "已打印更正版本",
    "reissue": "已重新作出并打印（原文书已作废）",
    "reprint_void": "已重印作废件（每页印“作废”）",
    "blank": "已重印编号空白文书",
}


def register(sub: Subcommands) -> None:
    add = adder(sub)

    docs = add("docs", lambda a: missing(a, "docs"), "文书")
    dsub = docs.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_docs_list, "列出文书", dsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("new", cmd_docs_new, "新建文书草稿，输出其 ID", dsub)
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("--inspection", help=f"所属检查：{ID_HELP}（按检查预填）")
    p.add_argument("--data", help="字段值 JSON 文件（字段键见 fieldkit forms show 表单）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add(
        "correct",
        cmd_docs_correct,
        "更正笔误：文号不变，只能改非实质内容；实质内容须 docs reissue（退出码 3：拒绝，未作任何修改）",
        dsub,
    )
    p.add_argument("doc", metavar="文书ID", help=f"文书：{ID_HELP}（fieldkit docs list 查看）")
    p.add_argument("--data", required=True, help="要更正的字段值 JSON 文件")
    p.add_argument("--actor", help="操作人")
    p = add(
        "reissue",
        cmd_docs_reissue,
        "重新作出：以原文书内容新建草稿，打印时取得新文号并作废原文书（行政处罚法第四十四、四十五条），输出新草稿 ID",
        dsub,
    )
    p.add_argument("doc", metavar="文书ID", help=f"原文书：{ID_HELP}（fieldkit docs list 查看）")
    p.add_argument("--data", help="新文书中要修改的字段值 JSON 文件")
    p.add_argument("--actor", help="操作人")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("check", cmd_docs_check, "打印前检查：列出全部问题（退出码 0 可打印，3 有问题）", dsub)
    p.add_argument("doc", metavar="文书ID", help=f"文书：{ID_HELP}（fieldkit docs list 查看）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 [{field, message, rule, severity}]")

    p = add(
        "print",
        cmd_print,
        "打印文书（首次打印即定稿编号；--preview 只生成草稿预览）。退出码：0 已打印，2 输入有误，3 检查未通过、拒绝打印",
    )
    p.add_argument("doc", metavar="文书ID", help=f"文书：{ID_HELP}（fieldkit docs list 查看）")
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument(
        "--preview",
        action="store_true",
        help="只生成预览，不定稿、不编号、不记为打印：草稿印「草稿」水印；已定稿的文书输出其存档 PDF",
    )
    p.add_argument("--copies", type=int, default=1, help="打印份数")
    p.add_argument("--force", action="store_true", help="确认提示性问题后仍然打印（法律禁止的情形不可）")
    p.add_argument("--reason", help="更正理由（打印更正版本时必填）")
    p.add_argument("--actor", help="操作人")
