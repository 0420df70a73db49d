"""The laptop itself: first setup, demo data, the GUI and the self-test."""

from __future__ import annotations

import argparse
import sys

from fieldkit import paths
from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    JSON_HELP,
    Subcommands,
    adder,
    confirmed,
    open_ctx,
    print_json,
)
from fieldkit.domain.agency import AGENCY_LABELS, AgencyDraft, AgencyLevel, IndividualCap, OfficerDraft
from fieldkit.domain.coded import Coded


def cmd_gui(args: argparse.Namespace) -> int:
    from fieldkit.ui.app import run_gui  # Qt is imported only for the GUI

    return run_gui(paths.data_dir())


def cmd_setup(args: argparse.Namespace) -> int:
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
        level=AgencyLevel.from_text(args.level).value if args.level else "",
        individual_cap=IndividualCap.from_text(args.individual_cap).value,
    ).completed()  # level and 本级人民政府 derived from the full name when not given
    ctx = open_ctx(args)
    admin_password = _admin_password(args, officers) if not ctx.login.who and officers else None
    if admin_password == "":
        return EXIT_USAGE
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
        if not args.yes and not confirmed("确认修改？输入 y 确认："):
            print("未确认，未作任何修改（非交互运行时加 --yes 确认）", file=sys.stderr)
            return EXIT_FAILED
    run_setup(ctx, agency, officers, args.device_code, new_series=args.new_series)
    print(f"已完成设置：{args.agency}，执法人员 {len(officers)} 名，本机编号 {args.device_code.upper()}")
    if admin_password is not None:
        from fieldkit.services import access

        admin = _admin_of(args, officers)
        access.set_password(ctx, access.officer_id_by_cert(ctx, admin.cert_no), admin_password)
        print(f"已设置管理员{admin.name}的登录密码：本机数据只有登录后才能打开")
    elif not ctx.login.who:
        print(
            "注意：还没有设置登录密码，数据密钥仍未受保护；请运行 fieldkit officers passwd 设置",
            file=sys.stderr,
        )
    level = AgencyLevel(agency.level).label if agency.level else "未确定"
    print(
        f"{AGENCY_LABELS['level']}：{level}；复议机关：{agency.government_name}"
        "（本级人民政府，行政复议法第二十四条）"
    )
    return EXIT_OK


def _admin_of(args: argparse.Namespace, officers: list[OfficerDraft]) -> OfficerDraft:
    named = [o for o in officers if o.name == (args.admin or "").strip()]
    return named[0] if named else officers[0]


def _admin_password(args: argparse.Namespace, officers: list[OfficerDraft]) -> str | None:
    """The first password (the administrator's) for a store nobody has one for: from --password-file,
    or asked twice at a terminal; None when neither (a warning follows); "" after a refused one."""
    from fieldkit.cli.base import password_from
    from fieldkit.domain.access import password_problem

    if args.admin and args.admin.strip() not in {o.name for o in officers}:
        print(f"错误：--admin {args.admin} 不是 --officer 中的执法人员", file=sys.stderr)
        return ""
    admin = _admin_of(args, officers)
    password = password_from(args, prompt=f"管理员{admin.name}的登录密码（至少 6 位）：")
    if password is None:
        return None
    if problem := password_problem(password, field="管理员密码"):
        print(f"错误：{problem}", file=sys.stderr)
        return ""
    if not (args.password_file or _env_password_file()) and sys.stdin.isatty():
        import getpass

        if getpass.getpass("再输入一次：") != password:
            print("错误：两次输入的密码不一致", file=sys.stderr)
            return ""
    return password


def _env_password_file() -> str | None:
    import os

    from fieldkit.cli.base import PASSWORD_FILE_ENV

    return os.environ.get(PASSWORD_FILE_ENV)


def _choices(coded: type[Coded]) -> list[str]:
    return [*coded.labels(), *(member.value for member in coded)]


def cmd_demo(args: argparse.Namespace) -> int:
    from fieldkit.services.demo import load_demo

    summary = load_demo(open_ctx(args), seed=args.seed)
    if args.json:
        print_json(summary)
    else:
        print(
            f"已生成演示数据：当事人 {summary['subjects']} 户，检查 {summary['inspections']} 次（其中草稿 {summary['drafts']} 份）"
        )
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    import os

    from fieldkit.cli.base import OFFICER_ENV, PASSWORD_FILE_ENV, credentials_for
    from fieldkit.ui.selftest import run_selftest

    # A protected store is checked itself only when a login is given; otherwise on a scratch store.
    asked = (
        args.login_officer
        or args.password_file
        or os.environ.get(OFFICER_ENV)
        or os.environ.get(PASSWORD_FILE_ENV)
    )
    credentials = credentials_for(args) if asked else None
    return run_selftest(paths.data_dir(), as_json=args.json, credentials=credentials)


def register(sub: Subcommands) -> None:
    add = adder(sub)

    add("gui", cmd_gui, "打开图形界面（默认）")

    p = add("setup", cmd_setup, "首次设置：执法机关、执法人员、本机编号")
    p.add_argument("--agency", required=True, help="执法机关全称，如 某某市市场监督管理局")
    p.add_argument("--short", required=True, help="文号中的机关简称，如 某")
    p.add_argument(
        "--government", help="本级人民政府名称（复议机关），如 某某市人民政府；不填则按机关全称推定"
    )
    # Typed as the label (or the stored code); the choices list the labels.
    p.add_argument(
        "--level",
        choices=_choices(AgencyLevel),
        metavar="{" + ",".join(AgencyLevel.labels()) + "}",
        help="机关层级；不填则按机关全称推定",
    )
    p.add_argument(
        "--individual-cap",
        choices=_choices(IndividualCap),
        metavar="{" + ",".join(IndividualCap.labels()) + "}",
        default=IndividualCap.CITIZEN.label,
        help="个体工商户适用的当场罚款限额（行政处罚法第五十一条），默认按公民",
    )
    p.add_argument("--unit", help="承办机构，如 综合行政执法大队")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--officer", action="append", required=True, help="执法人员「姓名:执法证号」，至少两名")
    p.add_argument("--device-code", required=True, help="本机编号（2–6 位字母数字，各台电脑不重复）")
    p.add_argument(
        "--admin",
        help="本机管理员（--officer 中的姓名，默认第一名）；其登录密码用 --password-file 给出或按提示输入",
    )
    p.add_argument(
        "--new-series",
        action="store_true",
        help="本机已开具文号后修改机关简称或本机编号：开始新的文号序列，已开具的文号继续有效",
    )
    p.add_argument("--yes", action="store_true", help="再次设置时不再询问，直接确认所列修改")

    p = add("demo", cmd_demo, "生成演示数据")
    p.add_argument("--seed", type=int, default=2026, help="随机种子（同一种子生成同样的数据）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)


def register_selftest(sub: Subcommands) -> None:
    add = adder(sub)

    p = add("selftest", cmd_selftest, "自检：离屏启动界面、打开各页面、检查数据库")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
