"""`due`: deadlines of measures and follow-ups (到期事项)."""

from __future__ import annotations

import argparse

from fieldkit.cli.base import EXIT_OK, JSON_HELP, Subcommands, adder, open_ctx, print_json


def cmd_due(args: argparse.Namespace) -> int:
    from fieldkit.services.due import open_deadlines
    from fieldkit.services.form_views import form_title

    items = open_deadlines(open_ctx(args))
    if args.json:
        print_json(items)
    else:
        for d in items:
            mark = "！" if d.urgency == "overdue" else ("*" if d.urgency == "due_soon" else " ")
            print(f"{mark}{d.due.isoformat()}  {d.label:<10}  {d.subject_name}  {d.title}  依据：{d.basis}")
            if d.forms:  # the documents that settle it (延长/解除)
                print(f"    办理文书：{'、'.join(form_title(f) for f in d.forms)}")
            for warning in d.warnings:
                print(f"    提示：{warning}")
        print(f"共 {len(items)} 项")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    p = add("due", cmd_due, "到期事项：先行登记保存、查封扣押、复查，最近的在前")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
