"""`font`: the font this laptop prints documents with (settings.toml in the data dir)."""

from __future__ import annotations

import argparse

from fieldkit import paths
from fieldkit.cli.base import EXIT_OK, JSON_HELP, Subcommands, adder, print_json


def cmd_font(args: argparse.Namespace) -> int:
    from fieldkit.services.settings import FONT_LABELS, FontChoice, load_local_settings, write_print_font

    # The data dir's file only, no store: a settings file so bad that nothing opens can be replaced here.
    if args.choice is None:
        current = load_local_settings(paths.data_dir())
    else:
        current = write_print_font(paths.data_dir(), FontChoice(args.choice))
    font = current.printing.font
    if args.json:
        print_json(
            {
                "font": font.value,
                "label": FONT_LABELS[font],
                "file": str(current.file) if current.file else None,
                "system_fonts": [str(f.path) for f in current.printing.system_fonts],
            }
        )
        return EXIT_OK
    verb = "已设置" if args.choice is not None else "当前"
    where = f"（{current.file}）" if current.file else "（未设置，默认）"
    print(f"{verb}文书字体：{FONT_LABELS[font]}{where}")
    if font == FontChoice.SYSTEM and not current.printing.system_fonts:
        print("注意：本机不是 Windows，没有可用的系统仿宋/宋体，打印仍用随程序附带的字体")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)
    p = add("font", cmd_font, "查看或设置本机打印文书所用的字体（数据目录下的 settings.toml）")
    p.add_argument(
        "choice",
        nargs="?",
        choices=["bundled", "system"],
        metavar="字体",
        help="bundled：随程序附带的字体；system：系统的仿宋/宋体（Windows）。不写则显示当前设置",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
