"""The `fieldkit` command: the GUI by default, and subcommands for scripting and tests."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import json
import logging
import mimetypes
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fieldkit import __version__, paths
from fieldkit.errors import FieldkitError, ImportFileError, ValidationFailed

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_REFUSED = EXIT_PARTIAL  # `print`: the checks refused printing (0 printed, 2 bad input)


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


def _context(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from fieldkit.logs import setup_logging
    from fieldkit.services.context import open_context
    from fieldkit.services.housekeeping import clean_at_start

    # Logging first: a warning of open_context (a read-only data dir) goes to the log file, not to
    # stderr in English through Python's last-resort handler; the user is told below in Chinese.
    setup_logging(paths.data_dir() / "logs")
    ctx = open_context(paths.data_dir())
    if ctx.read_only_reason:
        print(f"注意：{ctx.read_only_reason}", file=sys.stderr)
    left = clean_at_start(ctx)  # what a killed run left (issue 11.3); cheap when nothing died
    if left.anything:
        print(left.summary(), file=sys.stderr)
    return ctx


# ---- subcommands -------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from fieldkit.ui.app import run_gui  # Qt is imported only for the GUI

    return run_gui(paths.data_dir())


def cmd_setup(args: argparse.Namespace) -> int:
    from fieldkit.domain.agency import AgencyDraft, OfficerDraft
    from fieldkit.services.setup import plan_setup, run_setup

    officers = []
    for spec in args.officer:
        name, sep, cert = spec.replace("：", ":").partition(":")
        if not sep:
            print(f"错误：--officer 应写成「姓名:执法证号」，收到「{spec}」", file=sys.stderr)
            return EXIT_USAGE
        officers.append(OfficerDraft(name=name.strip(), cert_no=cert.strip(), unit=args.unit or ""))
    agency = AgencyDraft(
        full_name=args.agency,
        short_name=args.short,
        government_name=args.government or "",
        unit=args.unit or "",
        phone=args.phone or "",
        level=args.level or "",
        individual_cap=args.individual_cap,
    ).completed()  # level and 本级人民政府 derived from the full name when not given
    ctx = _context(args)
    plan = plan_setup(ctx, agency, officers, args.device_code)
    if plan.locked and not args.new_series:
        for problem in plan.locked:
            print(f"错误：{problem.message}", file=sys.stderr)
        print(
            "未作任何修改。确需修改的，加 --new-series 开始新的文号序列（见 docs/numbering.md）",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if not plan.first_time:
        # A re-run never rewrites this laptop's identity silently (issue 10 item 7): say what changes, ask.
        if not plan.changes:
            print("设置没有变化，未作修改")
            return EXIT_OK
        print("将修改以下设置：")
        for line in plan.lines():
            print(f"  {line}")
        if plan.locked:
            print(f"  （开始新的文号序列：本机已开具的 {plan.issued} 个文号继续有效）")
        if not args.yes and not _confirmed("确认修改？输入 y 确认："):
            print("未确认，未作任何修改（非交互运行时加 --yes 确认）", file=sys.stderr)
            return EXIT_FAILED
    run_setup(ctx, agency, officers, args.device_code, new_series=args.new_series)
    print(f"已完成设置：{args.agency}，执法人员 {len(officers)} 名，本机编号 {args.device_code.upper()}")
    print(
        f"机关层级：{agency.level}；复议机关：{agency.government_name}（本级人民政府，行政复议法第二十四条）"
    )
    return EXIT_OK


def _confirmed(prompt: str) -> bool:
    """Ask on a terminal; a script (stdin not a terminal) must say --yes instead."""
    if not sys.stdin.isatty():
        return False
    try:
        return input(prompt).strip().lower() in ("y", "yes", "是")
    except EOFError:
        return False


def cmd_demo(args: argparse.Namespace) -> int:
    from fieldkit.services.demo import load_demo

    summary = load_demo(_context(args), seed=args.seed)
    if args.json:
        print_json(summary)
    else:
        print(
            f"已生成演示数据：当事人 {summary['subjects']} 户，检查 {summary['inspections']} 次（其中草稿 {summary['drafts']} 份）"
        )
    return EXIT_OK


def cmd_subjects_import(args: argparse.Namespace) -> int:
    from fieldkit.services.subject_import import import_subjects

    try:
        report = import_subjects(
            _context(args), Path(args.file), dry_run=args.dry_run, accept_warnings=args.accept_warnings
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

    ctx = _context(args)
    items = subject_items(ctx, search_subject_ids(ctx, args.text, limit=args.limit))
    if args.json:
        print_json(items)
    else:
        for s in items:
            print(f"{s.name}\t{s.uscc or '-'}\t{s.legal_rep or '-'}\t{s.address}")
        print(f"共 {len(items)} 户")
    return EXIT_OK


def cmd_inspections_list(args: argparse.Namespace) -> int:
    from fieldkit.domain.inspections import STATUS_LABELS, InspectionStatus
    from fieldkit.services.context import SHANGHAI
    from fieldkit.services.inspections import inspection_ids, inspection_items

    ctx = _context(args)
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
                f"{start}\t{STATUS_LABELS[i.status]}\t{i.subject_name or '（未选当事人）'}\t{i.domain_names}\t{i.outcome}"
            )
        print(f"共 {len(items)} 次")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from fieldkit.ui.selftest import run_selftest

    return run_selftest(paths.data_dir(), as_json=args.json)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def cmd_forms_list(args: argparse.Namespace) -> int:
    from fieldkit.printing.formdefs import load_formdefs

    forms = sorted(load_formdefs().values(), key=lambda f: f.id)
    if args.json:
        print_json([{"id": f.id, "title": f.title, "code": f.code} for f in forms])
    else:
        for f in forms:
            print(f"{f.id}\t{f.code}\t{f.title}")
    return EXIT_OK


def cmd_forms_show(args: argparse.Namespace) -> int:
    from fieldkit.services.lookup import resolve_form

    formdef = resolve_form(args.form)
    fields = [
        {"key": f.key, "label": f.label, "type": str(f.type), "required": f.required} for f in formdef.fields
    ]
    if args.json:
        print_json({"id": formdef.id, "title": formdef.title, "code": formdef.code, "fields": fields})
    else:
        print(f"{formdef.title}（{formdef.id}，代字「{formdef.code}」）")
        for field in fields:
            required = "\t必填" if field["required"] else ""
            print(f"  {field['key']}\t{field['label']}\t{field['type']}{required}")
    return EXIT_OK


def cmd_forms_check(args: argparse.Namespace) -> int:
    from fieldkit.printing.formdefs import check_all, load_formdefs

    problems = check_all()
    for problem in problems:
        print(f"错误：{problem}", file=sys.stderr)
    if problems:
        return EXIT_FAILED
    print(f"全部 {len(load_formdefs())} 个文书定义检查通过")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    import io

    from fieldkit.printing.pdf import DocumentMeta, render_pdf
    from fieldkit.services.lookup import resolve_form

    formdef = resolve_form(args.form)
    try:
        values = json.loads(Path(args.data).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"错误：无法读取 {args.data}：{exc}", file=sys.stderr)
        return EXIT_USAGE
    buffer = io.BytesIO()
    # A trial print of a form definition, unchecked, unnumbered by the series and on no record: every page
    # says so (样张), so it can never pass for a document served on a party (行政处罚法第五十二条).
    meta = DocumentMeta(
        agency_name=args.agency, number=args.number, doc_id="render", stamp="" if args.draft else "样张"
    )
    result = render_pdf(formdef, values, buffer, meta=meta, draft=args.draft)
    _write_atomic(Path(args.output), buffer.getvalue())
    print(f"已生成 {args.output}（{result.pages} 页）")
    return EXIT_OK


def cmd_blank(args: argparse.Namespace) -> int:
    from fieldkit.services.documents import blank_pdf
    from fieldkit.services.lookup import resolve_form

    formdef = resolve_form(args.form)
    title = formdef.title
    # A blank copy still names the agency and its 复议机关 when this laptop is set up; the store is
    # only read when it exists, so printing a blank form never creates one.
    if args.numbered:
        return _numbered_blanks(args, title)
    ctx = _context(args) if paths.db_path().exists() else None
    try:
        pdf, pages = blank_pdf(ctx, formdef.id, args.agency)
    except ValidationFailed as exc:  # 当场处罚决定书: only numbered blanks (行政处罚法第五十二条)
        for problem in exc.problems:
            print(f"错误：{problem.message}", file=sys.stderr)
        return EXIT_REFUSED
    _write_atomic(Path(args.output), pdf)
    print(f"已生成空白 {title}：{args.output}（{pages} 页）")
    return EXIT_OK


def _numbered_blanks(args: argparse.Namespace, title: str) -> int:
    """编有号码的空白文书 (行政处罚法第五十二条): numbers drawn from this device's series, on record."""
    from fieldkit.services import documents

    ctx = _context(args)
    ids = documents.issue_numbered_blanks(ctx, args.form, args.numbered, actor=args.actor or "")
    pdf, pages = documents.numbered_blanks_pdf(ctx, ids, actor=args.actor or "")
    _write_atomic(Path(args.output), pdf)
    numbers = [documents.load_document(ctx, i).number or "" for i in ids]
    shown = numbers[0] if len(numbers) == 1 else f"{numbers[0]} 至 {numbers[-1]}"
    print(f"已发放编号空白 {title} {len(ids)} 份（{shown}）：{args.output}（{pages} 页）")
    return EXIT_OK


def _numbered_blank_id(ctx: Any, text: str) -> uuid.UUID:
    """A numbered blank by its full number, the end of it (e.g. A1-3), or its document id (or prefix)."""
    from fieldkit.services.documents import list_numbered_blanks

    text = text.strip()
    blanks = list_numbered_blanks(ctx)
    found = [b for b in blanks if b.number == text or b.number.endswith((f"〕{text}号", f"〕{text}"))]
    if len(found) == 1:
        return found[0].id
    if found:
        raise FieldkitError(
            f"编号空白文书「{text}」：有 {len(found)} 份符合，请写完整文号（fieldkit blanks list 查看）"
        )
    try:
        document_id = _resolve(ctx, "document", text)
    except FieldkitError:
        raise FieldkitError(f"编号空白文书「{text}」：没有这个编号（fieldkit blanks list 查看）") from None
    if document_id not in {b.id for b in blanks}:
        raise FieldkitError(f"编号空白文书「{text}」：这份文书不是编号空白文书（fieldkit blanks list 查看）")
    return document_id


def cmd_blanks_list(args: argparse.Namespace) -> int:
    from fieldkit.services.context import SHANGHAI
    from fieldkit.services.documents import BLANK_STATE_LABELS, list_numbered_blanks

    items = list_numbered_blanks(_context(args), args.form)
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

    ctx = _context(args)
    document_id = _numbered_blank_id(ctx, args.blank)
    inspection = _resolve(ctx, "inspection", args.inspection) if args.inspection else None
    documents.use_numbered_blank(ctx, document_id, inspection_id=inspection, actor=args.actor or "")
    doc = documents.load_document(ctx, document_id)
    print(f"已登记使用 {doc.number}：已转为草稿 {doc.id}，请录入手写内容后打印存档")
    return EXIT_OK


def cmd_blanks_void(args: argparse.Namespace) -> int:
    from fieldkit.services import documents

    ctx = _context(args)
    document_id = _numbered_blank_id(ctx, args.blank)
    documents.void_document(ctx, document_id, args.reason, actor=args.actor or "")
    print(f"已作废 {documents.load_document(ctx, document_id).number}（文号保留在案，不再使用）")
    return EXIT_OK


def cmd_docs_list(args: argparse.Namespace) -> int:
    from fieldkit.services.documents import STATUS_LABELS, list_documents

    items = list_documents(_context(args))
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
                    "inspection": d.inspection_id,
                    "party": d.party,
                }
                for d in items
            ]
        )
    else:
        from fieldkit.printing.formdefs import load_formdefs

        forms = load_formdefs()
        for d in items:
            # a 笔录 or 清单 never has a 文号 (无文号); a decision or notice gets one when first printed
            numbered = d.form_id in forms and forms[d.form_id].numbered
            number = d.number or ("（未编号）" if numbered else "（无文号）")
            print(f"{d.id}\t{d.title}\t{number}\t{STATUS_LABELS[d.status]}\t{d.party}")
        print(f"共 {len(items)} 份")
    return EXIT_OK


def _os_reason(exc: OSError) -> str:
    """The reason a file could not be read, in Chinese (strerror is English)."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    return f"读取出错（{exc.strerror or exc}）"


def _read_values(path: str) -> dict[str, Any]:
    """A JSON object of field values (`docs new --data`); anything else is a usage error."""
    try:
        values = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Usage(f"--data：无法读取 {path}：{_os_reason(exc)}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _Usage(f"--data：{path} 不是 UTF-8 的 JSON：{exc}") from exc
    if not isinstance(values, dict):
        raise _Usage(f"--data：{path} 应为一个 JSON 对象（字段键 → 值）")
    return values


def cmd_docs_new(args: argparse.Namespace) -> int:
    from fieldkit.services import documents, issuing
    from fieldkit.services.lookup import resolve_form

    ctx = _context(args)
    formdef = resolve_form(args.form)
    values = _read_values(args.data) if args.data else {}
    known = {f.key for f in formdef.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise _Usage(
            f"--data：{formdef.title}没有字段 {'、'.join(unknown)}（fieldkit forms show {formdef.id} 可查字段）"
        )
    inspection = _resolve(ctx, "inspection", args.inspection) if args.inspection else None
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
    from fieldkit.services import documents

    ctx = _context(args)
    document_id = _resolve(ctx, "document", args.doc)
    values = _read_values(args.data)
    doc = documents.load_document(ctx, document_id)
    started = doc.status == documents.DocumentStatus.FINAL
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

    ctx = _context(args)
    old_id = _resolve(ctx, "document", args.doc)
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

    ctx = _context(args)
    problems = documents.check_document(ctx, _resolve(ctx, "document", args.doc))
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

    ctx = _context(args)
    document_id = _resolve(ctx, "document", args.doc)
    if args.copies < 1:
        raise _Usage("--copies：打印份数至少 1 份")
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
    _write_atomic(Path(args.output), result.pdf)
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


def _resolve(ctx: Any, kind: str, text: str) -> uuid.UUID:
    """The record `text` names: a whole id or an unambiguous prefix (services.lookup; exit 2 if not)."""
    from fieldkit.services.lookup import resolve_id

    return resolve_id(ctx, kind, text)


def _stderr_progress(label: str) -> Callable[[int, int], None]:
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


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind, kind_for_media
    from fieldkit.services import evidence, housekeeping
    from fieldkit.store.evidence_files import scan_folder

    ctx = _context(args)
    inspection_id = _resolve(ctx, "inspection", args.inspection)
    sources = [Path(p) for p in args.paths]
    evidence.check_sources(sources)  # a pipe or a device is refused before any item is made
    first = next((f for src in sources for f in (scan_folder(src) if src.is_dir() else [src])), sources[0])
    kind = EvidenceKind(args.kind) if args.kind else kind_for_media(mimetypes.guess_type(first.name)[0])
    name = args.name or ("、".join(p.name for p in sources[:3]) + ("等" if len(sources) > 3 else ""))
    # Marked from before the item exists: killed at any point, the next start removes an item
    # left without files (housekeeping), and any file stored without its record.
    with housekeeping.in_flight(ctx, "evidence_add", inspection_id=str(inspection_id), item_name=name):
        item_id = evidence.add_evidence_item(ctx, inspection_id, EvidenceDraft(name=name, kind=kind))
        report = evidence.add_files(
            ctx, item_id, sources, progress=_stderr_progress("添加证据文件"), made_for_these_files=True
        )
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

    ctx = _context(args)
    items = evidence.list_evidence(ctx, _resolve(ctx, "inspection", args.inspection))
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

    ctx = _context(args)
    problems = evidence.verify_files(ctx, progress=None if args.json else _stderr_progress("校验证据文件"))
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


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from fieldkit.services import integrity

    report = integrity.verify_audit(_context(args))
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


def cmd_due(args: argparse.Namespace) -> int:
    from fieldkit.services.due import open_deadlines

    items = open_deadlines(_context(args))
    if args.json:
        print_json(items)
    else:
        for d in items:
            mark = "！" if d.urgency == "overdue" else ("*" if d.urgency == "due_soon" else " ")
            print(f"{mark}{d.due.isoformat()}  {d.label:<10}  {d.subject_name}  {d.title}  依据：{d.basis}")
            if d.forms:  # the documents that settle it (延长/解除)
                print(f"    办理文书：{'、'.join(_form_title(f) for f in d.forms)}")
            for warning in d.warnings:
                print(f"    提示：{warning}")
        print(f"共 {len(items)} 项")
    return EXIT_OK


def _form_title(form_id: str) -> str:
    from fieldkit.printing.formdefs import load_formdefs

    formdef = load_formdefs().get(form_id)
    return formdef.title if formdef is not None else form_id


def _device_code(ctx: Any) -> str:
    from fieldkit.services.context import get_meta

    with ctx.sessions() as session:
        return get_meta(session, "device_code") or ""


def cmd_device_pubkey(args: argparse.Namespace) -> int:
    from fieldkit.bundle import keys
    from fieldkit.services.exchange import ensure_device_key

    ctx = _context(args)
    pem = ensure_device_key(ctx)
    if args.json:
        print_json(
            {
                "device_id": ctx.device_id,
                "device_code": _device_code(ctx),
                "fingerprint": keys.fingerprint(keys.load_device_public_key(pem)),
                "pem": pem,
            }
        )
    else:
        sys.stdout.write(pem)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    ctx = _context(args)
    inspection = _resolve(ctx, "inspection", args.inspection) if args.inspection else None
    try:
        result = exchange.export_bundle(
            ctx,
            Path(args.output),
            everything=args.all,
            inspection_id=inspection,
            encrypt_to=Path(args.encrypt_to) if args.encrypt_to else None,
            officer=args.officer or "",
            progress=None if args.json else _stderr_progress("导出"),
        )
    except exchange.NothingNew as exc:
        if args.json:
            print_json({"path": None, "message": str(exc)})
        else:
            print(str(exc))
        return EXIT_OK
    if args.json:
        print_json(
            {
                "path": result.path,
                "bundle_id": result.bundle_id,
                "records": result.record_count,
                "files": result.file_count,
                "bytes": result.bytes,
            }
        )
    else:
        print(result.path)
    return EXIT_OK


def _bundle_arg(path: str) -> Path:
    bundle = Path(path)
    if not bundle.is_file():
        raise _Usage(f"找不到包文件：{bundle}")
    return bundle


class _Usage(FieldkitError):
    """Wrong arguments: exit code 2."""


def _local_time(text: str) -> str:
    """An ISO time from a manifest as Beijing time, the way officers read times."""
    from fieldkit.services.context import SHANGHAI

    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M（北京时间）")


def _merge_summary(report: Any, verb: str) -> str:
    """The same counts for `bundle verify` (what would happen) and `bundle import` (what happened)."""
    text = (
        f"{verb}新增 {report.inserted} 条，更新 {report.updated} 条，相同 {report.unchanged} 条，"
        f"本库较新而忽略 {report.older_ignored} 条，冲突 {len(report.conflicts)} 条；"
        f"审计记录 {report.audit_entries} 条，新文件 {report.files_added} 个"
    )
    return text


def _print_offer(offer: Any) -> None:
    from fieldkit.bundle import keys

    print("该数据包来自尚未登记的电脑：", file=sys.stderr)
    print(f"  设备名称：{offer.name}", file=sys.stderr)
    print(f"  本机编号：{offer.device_code}", file=sys.stderr)
    print(f"  导出人：{offer.officer}", file=sys.stderr)
    print(f"  公钥指纹：{keys.format_fingerprint(offer.fingerprint)}", file=sys.stderr)
    print("请与该电脑「数据交换」页「本机公钥」处显示的指纹逐组核对。", file=sys.stderr)


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def _confirm_trust(args: argparse.Namespace, ctx: Any, offer: Any) -> bool:
    """Register the laptop of an untrusted bundle: only with the fingerprint given on the command
    line, or confirmed at the terminal after reading it (audited as a `trust`)."""
    from fieldkit.bundle import keys
    from fieldkit.services import exchange

    _print_offer(offer)
    given = getattr(args, "trust_fingerprint", None)
    if given:
        if keys.normalize_fingerprint(given) != offer.fingerprint:
            raise FieldkitError("--trust-fingerprint 与包中公钥的指纹不一致，未登记该电脑，未导入任何记录")
    elif _interactive():
        answer = input("指纹一致，登记该电脑为受信任设备并导入？[y/N] ").strip().lower()
        if answer not in ("y", "yes", "是"):
            print("未登记，未导入任何记录", file=sys.stderr)
            return False
    else:
        print(
            "如指纹一致，请加上 --trust-fingerprint <指纹> 重新运行，即登记该电脑并导入；未导入任何记录",
            file=sys.stderr,
        )
        return False
    fp = exchange.trust_offered(ctx, offer)
    print(
        f"已登记受信任设备「{offer.name}」（本机编号 {offer.device_code}），指纹 {keys.format_fingerprint(fp)}",
        file=sys.stderr,
    )
    return True


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange_views

    ctx = _context(args)
    key = Path(args.key) if args.key else None
    check = exchange_views.check_file(ctx, _bundle_arg(args.file), key_path=key)
    manifest = check.report.manifest
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "problems": check.problems,
                "device_trusted": check.report.device_trusted,
                "bundle_id": manifest.bundle_id if manifest else None,
                "device": manifest.device if manifest else None,
                "created_at": manifest.created_at if manifest else None,
                "records": len(manifest.records) if manifest else 0,
                "files": len(manifest.files) if manifest else 0,
                "import": None if check.preview is None else check.preview.__dict__,
                "untrusted_device": None if check.offer is None else check.offer.__dict__,
            }
        )
    elif check.ok:
        assert manifest is not None and check.preview is not None
        audit_count = sum(1 for r in manifest.records if r.type == "audit_log")
        print(
            f"校验通过：{manifest.device.name}（{manifest.device.device_code}），导出人 {manifest.officer}，"
            f"于 {_local_time(manifest.created_at)}导出；包中记录 {len(manifest.records)} 条"
            f"（其中审计记录 {audit_count} 条），文件 {len(manifest.files)} 个"
        )
        if check.preview.already_imported:
            print("该包此前已导入，再次导入不会作任何改动")
        else:
            print(_merge_summary(check.preview, "导入将："))
    elif check.offer is not None:
        _print_offer(check.offer)
        print("用 fieldkit bundle import 导入时可当场核对指纹并登记该电脑", file=sys.stderr)
    else:
        print("包被拒收：", file=sys.stderr)
        for problem in check.problems:
            print(f"  {problem}", file=sys.stderr)
    return EXIT_OK if check.ok else EXIT_FAILED


CONFLICT_REASONS = {
    "version": "与本库同版本但内容不同，已保留两份待核对",
    "owner": "改动的是其他电脑的记录，未写入，待办公室核对",
    "frozen": "改动了已定稿的文书（内容、文号、PDF 或定稿状态），未写入",
    "bound": "把证据记录改指另一个文件（证据文件一经添加不能更换），未写入",
}


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from fieldkit.bundle.errors import BundleRefused
    from fieldkit.services import exchange, exchange_views

    ctx = _context(args)
    path = _bundle_arg(args.file)
    key = Path(args.key) if args.key else None
    try:
        try:
            report = exchange_views.import_file(ctx, path, key_path=key)
        except exchange.UntrustedDevice as exc:
            if args.json and not args.trust_fingerprint:
                raise
            if not _confirm_trust(args, ctx, exc.offer):
                return EXIT_FAILED
            report = exchange_views.import_file(ctx, path, key_path=key)
    except BundleRefused as exc:
        if args.json:
            offer = getattr(exc, "offer", None)
            print_json(
                {
                    "ok": False,
                    "problems": exc.problems,
                    "untrusted_device": None if offer is None else offer.__dict__,
                }
            )
        else:
            print("包被拒收，未导入任何记录：", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print_json({"ok": True, **report.__dict__})
    elif report.already_imported:
        print(f"该包（{report.bundle_id}）此前已导入，本次未作任何改动")
    else:
        print(_merge_summary(report, "已导入："))
        for conflict in report.conflicts:
            what = f"{exchange.RECORD_NAMES.get(conflict['type'], conflict['type'])} {conflict['id']} 第 {conflict['version']} 版"
            print(f"  冲突：{what}{CONFLICT_REASONS.get(conflict.get('reason', 'version'), '')}")
    return EXIT_OK


def cmd_bundle_decrypt(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    out = exchange.decrypt(_bundle_arg(args.file), Path(args.key), Path(args.output))
    if args.json:
        print_json({"path": out})
    else:
        print(out)
    return EXIT_OK


def cmd_office_keygen(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    pem = exchange.office_keygen(_context(args))
    if args.output:
        _write_atomic(Path(args.output), pem.encode())
    if args.json:
        print_json({"pem": pem, "public_key_file": args.output})
    else:
        sys.stdout.write(pem)
    return EXIT_OK


def cmd_office_trust(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    try:
        pem = Path(args.pem).read_text(encoding="utf-8")
    except OSError as exc:
        raise _Usage(f"无法读取公钥文件 {args.pem}：{_os_reason(exc)}") from exc
    fp = exchange.trust_device(
        _context(args), pem, args.name, device_code=args.code, device_id=args.device_id
    )
    if args.json:
        print_json({"fingerprint": fp, "name": args.name})
    else:
        print(f"已登记受信任设备「{args.name}」，指纹 {fp}")
    return EXIT_OK


# ---- parser ------------------------------------------------------------------------------------

JSON_HELP = "以 JSON 输出（供脚本使用）"
FORM_HELP = "文书种类：标题（如 现场笔录）、编号（如 xianchang_bilu）或编号开头"
ID_HELP = "ID 或其开头几位（至少 4 位，不能对应多条）"
BUNDLE_HELP = "数据包文件（.fkb）"


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


def build_parser() -> argparse.ArgumentParser:
    from fieldkit.cli_zh import ChineseArgumentParser

    parser = ChineseArgumentParser(prog="fieldkit", description="FieldKit 现场执法助手")
    parser.add_argument(
        "--version", action="version", version=f"FieldKit {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="数据目录（默认为用户数据目录，或环境变量 FIELDKIT_HOME）"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str, parent=sub):  # type: ignore[no-untyped-def]
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    add("gui", cmd_gui, "打开图形界面（默认）")

    p = add("setup", cmd_setup, "首次设置：执法机关、执法人员、本机编号")
    p.add_argument("--agency", required=True, help="执法机关全称，如 某某市市场监督管理局")
    p.add_argument("--short", required=True, help="文号中的机关简称，如 某")
    p.add_argument(
        "--government", help="本级人民政府名称（复议机关），如 某某市人民政府；不填则按机关全称推定"
    )
    p.add_argument("--level", choices=["省级", "设区的市级", "县级"], help="机关层级；不填则按机关全称推定")
    p.add_argument(
        "--individual-cap",
        choices=["公民", "法人或者其他组织"],
        default="公民",
        help="个体工商户适用的当场罚款限额（行政处罚法第五十一条），默认按公民",
    )
    p.add_argument("--unit", help="承办机构，如 综合行政执法大队")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--officer", action="append", required=True, help="执法人员「姓名:执法证号」，至少两名")
    p.add_argument("--device-code", required=True, help="本机编号（2–6 位字母数字，各台电脑不重复）")
    p.add_argument(
        "--new-series",
        action="store_true",
        help="本机已开具文号后修改机关简称或本机编号：开始新的文号序列，已开具的文号继续有效",
    )
    p.add_argument("--yes", action="store_true", help="再次设置时不再询问，直接确认所列修改")

    p = add("demo", cmd_demo, "生成演示数据")
    p.add_argument("--seed", type=int, default=2026, help="随机种子（同一种子生成同样的数据）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    subjects = add("subjects", lambda a: _missing(a, "subjects"), "当事人")
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

    inspections = add("inspections", lambda a: _missing(a, "inspections"), "现场检查")
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

    forms = add("forms", lambda a: _missing(a, "forms"), "文书定义")
    fsub = forms.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_forms_list, "列出文书定义", fsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("show", cmd_forms_show, "显示一个文书定义的字段", fsub)
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    add("check", cmd_forms_check, "校验全部文书定义", fsub)

    p = add("render", cmd_render, "按 JSON 字段值生成文书 PDF（不保存，供修改文书定义时试印）")
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("--data", required=True, help="字段值 JSON 文件")
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument("--agency", default="某某市市场监督管理局", help="文书抬头的机关名称")
    p.add_argument("--number", help="文号")
    p.add_argument(
        "--draft", action="store_true", help="加「草稿」水印（不加时每页印「样张」：试印件不是执法文书）"
    )

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

    blanks = add("blanks", lambda a: _missing(a, "blanks"), "编号空白文书的发放、使用和作废台账")
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

    docs = add("docs", lambda a: _missing(a, "docs"), "文书")
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

    ev = add("evidence", lambda a: _missing(a, "evidence"), "证据")
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

    au = add("audit", lambda a: _missing(a, "audit"), "审计日志")
    asub = au.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("verify", cmd_audit_verify, "校验审计日志哈希链", asub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    p = add("due", cmd_due, "到期事项：先行登记保存、查封扣押、复查，最近的在前")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    dev = add("device", lambda a: _missing(a, "device"), "本机")
    dvsub = dev.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("pubkey", cmd_device_pubkey, "输出本机签名公钥（PEM），交办公室登记", dvsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    p = add("export", cmd_export, "导出数据包（默认只导出上次导出以来的新增和修改）")
    p.add_argument("-o", "--output", required=True, help="输出目录（如 U 盘）")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="导出全部记录")
    scope.add_argument("--inspection", help=f"只导出一次检查：{ID_HELP}")
    p.add_argument("--encrypt-to", help="办公室公钥 PEM：加密整个包")
    p.add_argument("--officer", help="导出人")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    bu = add("bundle", lambda a: _missing(a, "bundle"), "数据包")
    bsub = bu.add_subparsers(dest="subcommand", metavar="子命令")
    p = add(
        "verify",
        cmd_bundle_verify,
        "校验数据包（格式、哈希、签名、设备），并统计导入将新增、更新、不变多少条",
        bsub,
    )
    p.add_argument("file", metavar="数据包", help=BUNDLE_HELP)
    p.add_argument("--key", help="办公室私钥文件（加密的包；默认用本机的办公室密钥）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("import", cmd_bundle_import, "校验并导入数据包（办公室）", bsub)
    p.add_argument("file", metavar="数据包", help=BUNDLE_HELP)
    p.add_argument("--key", help="办公室私钥文件（加密的包；默认用本机的办公室密钥）")
    p.add_argument(
        "--trust-fingerprint",
        metavar="指纹",
        help="包来自尚未登记的电脑时：与该电脑屏幕上核对过的公钥指纹，一致即登记该电脑并导入",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("decrypt", cmd_bundle_decrypt, "用办公室私钥解密加密的数据包", bsub)
    p.add_argument("file", metavar="加密包", help="加密的数据包文件")
    p.add_argument("--key", required=True, help="办公室私钥文件")
    p.add_argument("-o", "--output", required=True, help="解密后的数据包存放目录")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    of = add("office", lambda a: _missing(a, "office"), "办公室模式")
    osub = of.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("keygen", cmd_office_keygen, "生成办公室加密密钥对，输出公钥", osub)
    p.add_argument("-o", "--output", help="另存公钥到文件")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("trust-device", cmd_office_trust, "登记受信任的执法终端（其公钥 PEM）", osub)
    p.add_argument("pem", metavar="公钥文件", help="执法终端的公钥文件（fieldkit device pubkey 的输出）")
    p.add_argument("--name", required=True, help="设备名称，如 兰山一中队 1 号笔记本")
    p.add_argument("--code", help="该电脑的本机编号（文号中的设备编号，如 A1）；不填则以其导出的第一个包为准")
    p.add_argument("--device-id", help="该电脑的设备号（fieldkit device pubkey --json 中的 device_id）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    p = add("selftest", cmd_selftest, "自检：离屏启动界面、打开各页面、检查数据库")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    return parser


def _missing(args: argparse.Namespace, name: str) -> int:
    print(f"错误：请指定 {name} 的子命令（fieldkit {name} --help 查看）", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        paths.set_data_dir(args.data_dir)
    handler = getattr(args, "handler", cmd_gui)
    from fieldkit.services.lookup import IdNotResolved

    try:
        return handler(args)
    except (_Usage, IdNotResolved) as exc:
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
