"""`forms` and `render`: the form definitions and trial prints of them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fieldkit import paths
from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    FORM_HELP,
    JSON_HELP,
    Subcommands,
    adder,
    missing,
    print_json,
    write_atomic,
)


def cmd_forms_list(args: argparse.Namespace) -> int:
    from fieldkit.services.documents import available_forms

    forms = available_forms()
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
    from fieldkit.services.form_views import check_forms

    count, problems = check_forms()
    for problem in problems:
        print(f"错误：{problem}", file=sys.stderr)
    if problems:
        return EXIT_FAILED
    print(f"全部 {count} 个文书定义检查通过")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from fieldkit.services.form_views import sample_pdf
    from fieldkit.services.lookup import resolve_form
    from fieldkit.services.settings import load_local_settings

    formdef = resolve_form(args.form)
    values = None  # without --data: the definition's own [example]
    if args.data is not None:
        try:
            values = json.loads(Path(args.data).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"错误：无法读取 {args.data}：{exc}", file=sys.stderr)
            return EXIT_USAGE
    # A trial print (样张 on every page), never a document: services.form_views.sample_pdf says why.
    options = load_local_settings(paths.data_dir()).printing  # the font this laptop prints with
    pdf, pages = sample_pdf(
        formdef, values, agency=args.agency, number=args.number, draft=args.draft, options=options
    )
    write_atomic(Path(args.output), pdf)
    print(f"已生成 {args.output}（{pages} 页）")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    forms = add("forms", lambda a: missing(a, "forms"), "文书定义")
    fsub = forms.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_forms_list, "列出文书定义", fsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("show", cmd_forms_show, "显示一个文书定义的字段", fsub)
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    add("check", cmd_forms_check, "校验全部文书定义", fsub)

    p = add("render", cmd_render, "按 JSON 字段值生成文书 PDF（不保存，供修改文书定义时试印）")
    p.add_argument("form", metavar="文书种类", help=FORM_HELP)
    p.add_argument("--data", help="字段值 JSON 文件（不给时用文书定义中的 [example] 示例值）")
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument("--agency", default="某某市市场监督管理局", help="文书抬头的机关名称")
    p.add_argument("--number", help="文号")
    p.add_argument(
        "--draft", action="store_true", help="加「草稿」水印（不加时每页印「样张」：试印件不是执法文书）"
    )
