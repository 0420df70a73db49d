"""`backup`: encrypted backups of the database — make one now, list them, restore one (issue 13.6)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from fieldkit.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    JSON_HELP,
    Subcommands,
    adder,
    confirmed,
    missing,
    open_ctx,
    print_json,
)

if TYPE_CHECKING:
    from fieldkit.services.backup import Backup


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, n // 1024)} KB"


def _line(number: int, b: Backup) -> str:
    keys = "" if b.has_keyring else "，用本机密钥文件打开"
    return f"{number:>3}. {b.name}  {b.kind_label}  {b.taken_at:%Y-%m-%d %H:%M:%S}  {_size(b.size)}{keys}"


def cmd_backup_create(args: argparse.Namespace) -> int:
    from fieldkit.services import backup

    made = backup.create_backup(open_ctx(args, daily_backup=False), backup.MANUAL)
    if args.json:
        print_json(backup.describe(made))
    else:
        print(f"已备份：{made.db_file}（{_size(made.size)}，已加密）")
    return EXIT_OK


def cmd_backup_list(args: argparse.Namespace) -> int:
    from fieldkit import paths
    from fieldkit.services import backup

    # No login: names, times and sizes only; nothing is opened.
    backups = backup.list_backups(paths.data_dir())
    if args.json:
        print_json([{"number": n, **backup.describe(b)} for n, b in enumerate(backups, 1)])
        return EXIT_OK
    if not backups:
        print("还没有任何备份（fieldkit backup create 可立即备份）")
        return EXIT_OK
    print("序号  名称  类别  时间  大小")
    for n, b in enumerate(backups, 1):
        print(_line(n, b))
    return EXIT_OK


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from fieldkit.services import backup

    ctx = open_ctx(args, daily_backup=False)
    chosen = backup.find_backup(ctx.data_dir, args.backup)
    if not args.yes:
        print(
            f"将用备份 {chosen.name}（{chosen.kind_label}，{chosen.taken_at:%Y-%m-%d %H:%M}）替换现在的数据库；"
        )
        print("现在的数据会先另存为一份备份，备份之后新增和修改的记录将不在恢复后的数据中。")
        if not confirmed("确认恢复？输入 y 确认："):
            print("未确认，未作任何修改（非交互运行时加 --yes 确认）", file=sys.stderr)
            return EXIT_FAILED
    result = backup.restore_backup(ctx, chosen.name)
    if args.json:
        print_json(
            {
                "restored": backup.describe(result.restored),
                "saved_as": backup.describe(result.saved_as),
                "keyring_restored": result.keyring_restored,
                "lost_numbers": result.lost_numbers,
            }
        )
    else:
        print(f"已从备份 {result.restored.name} 恢复数据库")
        print(
            f"恢复前的数据已另存为备份 {result.saved_as.name}（需要时可用 fieldkit backup restore 恢复回来）"
        )
        if result.keyring_restored:
            print("登录密码恢复为备份时的密码；备份之后设置或修改的密码不再有效")
    if result.lost_numbers:
        print(
            f"注意：备份之后开具的文号 {'、'.join(result.lost_numbers)} 不在恢复后的数据中，"
            "这些纸质文书仍然有效；这些文号不会再次使用，新文书从其后续编",
            file=sys.stderr,
        )
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    bk = add("backup", lambda a: missing(a, "backup"), "数据库的加密备份（每天首次打开时自动备份一次）")
    bsub = bk.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("create", cmd_backup_create, "立即备份数据库（加密，连同密钥文件副本）", bsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("list", cmd_backup_list, "列出本机的备份（序号 1 为最新）", bsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add(
        "restore",
        cmd_backup_restore,
        "用一份备份替换现在的数据库（现在的数据先另存为备份；管理员的工作）",
        bsub,
    )
    p.add_argument("backup", metavar="备份", help="备份的序号（fieldkit backup list 中的）或名称")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
