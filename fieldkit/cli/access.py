"""`lock-status`, `officers`, `recover`, `keys`: login, passwords and keys on the command line (issue 13.5).

A password is never an argument: it comes from a file (`--password-file` to log in,
`--new-password-file` for a new one) or is asked at a terminal (a new one twice).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit import paths
from fieldkit.cli.base import (
    EXIT_OK,
    JSON_HELP,
    Subcommands,
    Usage,
    adder,
    missing,
    open_ctx,
    print_json,
    read_password_file,
    read_public_key,
)

if TYPE_CHECKING:
    from fieldkit.domain.access import Role

NEW_PASSWORD_FILE_HELP = "从文件第一行读新密码（供脚本使用）；不给则在终端中输入两次。不在命令行上写密码"


def new_password(args: argparse.Namespace, name: str) -> str:
    """The new password: from --new-password-file, or typed twice at a terminal."""
    if args.new_password_file:
        return read_password_file(Path(args.new_password_file))
    if not sys.stdin.isatty():
        raise Usage("请用 --new-password-file 给出新密码所在的文件（不要在命令行上写密码），或在终端中运行")
    import getpass

    first = getpass.getpass(f"{name}的新密码（至少 6 位）：")
    if getpass.getpass("再输入一次：") != first:
        raise Usage("两次输入的新密码不一致，未作修改")
    return first


def _role(text: str) -> Role:
    from fieldkit.domain.access import Role

    try:
        return Role.from_text(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 {'、'.join(Role.labels())}，收到「{text}」") from None


def _role_labels() -> tuple[str, ...]:
    from fieldkit.domain.access import Role

    return Role.labels()


def _role_metavar() -> str:
    return "{" + ",".join(_role_labels()) + "}"


def cmd_lock_status(args: argparse.Namespace) -> int:
    from fieldkit.services import keys_admin

    status = keys_admin.lock_status(paths.data_dir())
    if args.json:
        print_json(
            {
                "data_dir": status.data_dir,
                "database": status.database,
                "keyring": status.keyring,
                "protected": status.protected,
                "officers": status.officers,
                "recovery_key": status.recovery_fingerprint is not None,
                "recovery_fingerprint": status.recovery_fingerprint,
            }
        )
        return EXIT_OK
    print(f"数据目录：{status.data_dir}")
    print(f"数据库：{status.database_label}")
    if not status.keyring:
        print("登录保护：无（还没有密钥文件；首次打开时建立）")
    elif status.protected:
        print("登录保护：已设置（须选择执法人员并输入密码，或用单位恢复私钥）")
    else:
        print(
            "登录保护：未设置（还没有任何登录密码，数据密钥未受保护：请运行 fieldkit officers passwd 设置）"
        )
    if status.officers:
        print("可登录的执法人员：")
        for o in status.officers:
            wait = (
                f"（密码错误次数过多，须等 {keys_admin.wait_text(o.wait_seconds)}）"
                if o.wait_seconds > 0
                else ""
            )
            print(f"  {o.name}{wait}")
    elif status.keyring:
        print("可登录的执法人员：无")
    if status.recovery_fingerprint:
        print(f"单位恢复公钥：已登记，指纹 {keys_admin.format_fingerprint(status.recovery_fingerprint)}")
    elif status.keyring:
        print(
            "单位恢复公钥：未登记（所有人都忘记密码时将无法恢复：请运行 fieldkit keys recovery set 公钥文件）"
        )
    return EXIT_OK


def cmd_officers_list(args: argparse.Namespace) -> int:
    from fieldkit.services import keys_admin

    officers = keys_admin.officer_logins(open_ctx(args))
    if args.json:
        print_json(officers)
        return EXIT_OK
    for o in officers:
        login = "已设置密码" if o.has_password else "未设置密码"
        me = "（当前登录）" if o.logged_in else ""
        print(f"{o.name}  {o.role.label}  {login}{me}")
    return EXIT_OK


def cmd_officers_passwd(args: argparse.Namespace) -> int:
    from fieldkit.services import access, keys_admin

    ctx = open_ctx(args)
    if args.officer:
        target = keys_admin.find_officer(ctx, args.officer)
    elif ctx.login.who is not None:
        target = keys_admin.find_officer(ctx, ctx.login.who.officer_id)
    else:
        raise Usage("请写出要设置密码的执法人员姓名：fieldkit officers passwd 姓名")
    if args.role is not None or target.officer_id != (ctx.login.who.officer_id if ctx.login.who else None):
        from fieldkit.domain.access import Duty

        access.require(ctx, Duty.OFFICERS)  # before the password is asked, not after
    password = new_password(args, target.name)
    access.set_password(ctx, target.officer_id, password, role=args.role)
    after = keys_admin.find_officer(ctx, target.officer_id)
    if args.json:
        print_json({"officer_id": after.officer_id, "name": after.name, "role": after.role})
    else:
        print(f"已设置{after.name}的登录密码（{after.role.label}）")
    return EXIT_OK


def cmd_officers_role(args: argparse.Namespace) -> int:
    from fieldkit.services import access, keys_admin

    ctx = open_ctx(args)
    target = keys_admin.find_officer(ctx, args.officer)
    access.set_role(ctx, target.officer_id, args.role)
    if args.json:
        print_json({"officer_id": target.officer_id, "name": target.name, "role": args.role})
    else:
        print(f"{target.name}的角色已改为{args.role.label}")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from fieldkit.services import keys_admin

    credentials = keys_admin.load_office_key(Path(args.office_key))
    ctx = open_ctx(args, credentials=credentials)
    target = keys_admin.find_officer(ctx, args.officer)  # named before the new password is asked
    done = keys_admin.recover(ctx, target.officer_id, new_password(args, target.name))
    if args.json:
        print_json({"officer_id": done.officer_id, "name": done.name, "role": done.role})
    else:
        print(f"已用单位恢复私钥打开本机数据，并为{done.name}设置了新的登录密码（已记入审计日志）")
    return EXIT_OK


def cmd_keys_recovery_set(args: argparse.Namespace) -> int:
    from fieldkit.services import access, keys_admin

    pem = read_public_key(args.pem)
    fp = access.wrap_for_office(open_ctx(args), pem)
    if args.json:
        print_json({"fingerprint": fp})
    else:
        print(f"已用单位恢复公钥保存本机数据密钥，指纹 {keys_admin.format_fingerprint(fp)}")
        print("请与单位保存的恢复私钥核对指纹；所有人都忘记密码时，可用 fieldkit recover 恢复")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    p = add("lock-status", cmd_lock_status, "本机数据的加密和登录状态（无须登录）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    of = add("officers", lambda a: missing(a, "officers"), "执法人员的登录密码和角色")
    osub = of.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("list", cmd_officers_list, "列出本机执法人员、角色和是否已设置密码", osub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("passwd", cmd_officers_passwd, "设置或修改登录密码（本人，或由管理员为他人设置）", osub)
    p.add_argument("officer", nargs="?", metavar="姓名", help="执法人员姓名（默认为登录的本人）")
    p.add_argument("--role", type=_role, metavar=_role_metavar(), help="同时设定角色（管理员的工作）")
    p.add_argument("--new-password-file", type=Path, metavar="文件", help=NEW_PASSWORD_FILE_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("role", cmd_officers_role, "设定执法人员的角色（管理员的工作）", osub)
    p.add_argument("officer", metavar="姓名", help="执法人员姓名")
    p.add_argument("role", type=_role, metavar="角色", help="、".join(_role_labels()))
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    p = add(
        "recover", cmd_recover, "所有人都忘记密码时：用单位恢复私钥打开本机数据，为一名执法人员设置新密码"
    )
    p.add_argument("--office-key", required=True, metavar="私钥文件", help="单位恢复私钥 PEM 文件")
    p.add_argument("--officer", required=True, metavar="姓名", help="要设置新密码的执法人员")
    p.add_argument("--new-password-file", type=Path, metavar="文件", help=NEW_PASSWORD_FILE_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    ke = add("keys", lambda a: missing(a, "keys"), "本机数据密钥")
    ksub = ke.add_subparsers(dest="subcommand", metavar="子命令")
    rec = add("recovery", lambda a: missing(a, "keys recovery"), "单位恢复公钥", ksub)
    rsub = rec.add_subparsers(dest="subcommand2", metavar="子命令")
    p = add("set", cmd_keys_recovery_set, "用单位恢复公钥保存本机数据密钥（管理员的工作）", rsub)
    p.add_argument("pem", metavar="公钥文件", help="单位恢复公钥 PEM 文件（fieldkit office keygen 的输出）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
