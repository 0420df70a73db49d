"""`device`, `export`, `bundle`, `office`: bundles between laptops and the office."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.cli.base import (
    BUNDLE_HELP,
    EXIT_FAILED,
    EXIT_OK,
    ID_HELP,
    JSON_HELP,
    Subcommands,
    Usage,
    adder,
    missing,
    open_ctx,
    print_json,
    read_public_key,
    resolve,
    stderr_progress,
    write_atomic,
)
from fieldkit.errors import FieldkitError

if TYPE_CHECKING:
    from fieldkit.services.context import Context
    from fieldkit.services.exchange import TrustOffer


def cmd_device_pubkey(args: argparse.Namespace) -> int:
    from fieldkit.services.exchange_views import device_public_key

    ctx = open_ctx(args)
    key = device_public_key(ctx)
    if args.json:
        print_json(
            {
                "device_id": ctx.device_id,
                "device_code": key.device_code,
                "fingerprint": key.hex_fingerprint,
                "pem": key.pem,
            }
        )
    else:
        sys.stdout.write(key.pem)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    ctx = open_ctx(args)
    matter = None
    if args.inspection:  # one inspection: a matter of that kind, by the inspection's id
        matter = resolve(ctx, "inspection", args.inspection)
    elif args.matter:
        from fieldkit.services.lookup import resolve_matter

        matter = resolve_matter(ctx, args.matter)
    try:
        result = exchange.export_bundle(
            ctx,
            Path(args.output),
            everything=args.all,
            matter_id=matter,
            encrypt_to=Path(args.encrypt_to) if args.encrypt_to else None,
            officer=args.officer or "",
            progress=None if args.json else stderr_progress("导出"),
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
        raise Usage(f"找不到包文件：{bundle}")
    return bundle


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


def _print_offer(offer: TrustOffer) -> None:
    print("该数据包来自尚未登记的电脑：", file=sys.stderr)
    print(f"  设备名称：{offer.name}", file=sys.stderr)
    print(f"  本机编号：{offer.device_code}", file=sys.stderr)
    print(f"  导出人：{offer.officer}", file=sys.stderr)
    print(f"  公钥指纹：{offer.grouped_fingerprint}", file=sys.stderr)
    print("请与该电脑「数据交换」页「本机公钥」处显示的指纹逐组核对。", file=sys.stderr)


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def _confirm_trust(args: argparse.Namespace, ctx: Context, offer: TrustOffer) -> bool:
    """Register the laptop of an untrusted bundle: only with the fingerprint given on the command
    line, or confirmed at the terminal after reading it (audited as a `trust`)."""
    from fieldkit.services import exchange

    _print_offer(offer)
    given = getattr(args, "trust_fingerprint", None)
    if given:
        if not offer.matches(given):
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
    exchange.trust_offered(ctx, offer)  # the key of the offer: its fingerprint is the one shown above
    print(
        f"已登记受信任设备「{offer.name}」（本机编号 {offer.device_code}），指纹 {offer.grouped_fingerprint}",
        file=sys.stderr,
    )
    return True


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange_views

    ctx = open_ctx(args)
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
    from fieldkit.services import exchange, exchange_views

    ctx = open_ctx(args)
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
    except exchange.BundleRefused as exc:
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
    from fieldkit.services import at_rest, exchange

    key = Path(args.key)
    # The office key kept in a data dir is encrypted under its data key (issue 13.4): open the store.
    wrap = at_rest.key_wrap(open_ctx(args).data_key) if at_rest.is_encrypted_key_file(key) else None
    out = exchange.decrypt(_bundle_arg(args.file), key, Path(args.output), wrap_key=wrap)
    if args.json:
        print_json({"path": out})
    else:
        print(out)
    return EXIT_OK


def cmd_office_keygen(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    ctx = open_ctx(args)
    pem = exchange.office_keygen(ctx)
    if args.output:
        write_atomic(Path(args.output), pem.encode())
    if args.private_out:
        from fieldkit.services import at_rest

        at_rest.export_office_key(ctx, Path(args.private_out))
    if args.json:
        print_json({"pem": pem, "public_key_file": args.output})
    else:
        sys.stdout.write(pem)
    return EXIT_OK


def cmd_office_export_key(args: argparse.Namespace) -> int:
    from fieldkit.services import at_rest

    path = at_rest.export_office_key(open_ctx(args), Path(args.output))
    print(f"已另存办公室私钥：{path}（请离线保管，持有它即可打开登记过的所有笔记本）")
    return EXIT_OK


def cmd_office_trust(args: argparse.Namespace) -> int:
    from fieldkit.services import exchange

    pem = read_public_key(args.pem)
    fp = exchange.trust_device(
        open_ctx(args), pem, args.name, device_code=args.code, device_id=args.device_id
    )
    if args.json:
        print_json({"fingerprint": fp, "name": args.name})
    else:
        print(f"已登记受信任设备「{args.name}」，指纹 {fp}")
    return EXIT_OK


def register(sub: Subcommands) -> None:
    add = adder(sub)

    dev = add("device", lambda a: missing(a, "device"), "本机")
    dvsub = dev.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("pubkey", cmd_device_pubkey, "输出本机签名公钥（PEM），交办公室登记", dvsub)
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    p = add("export", cmd_export, "导出数据包（默认只导出上次导出以来的新增和修改）")
    p.add_argument("-o", "--output", required=True, help="输出目录（如 U 盘）")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="导出全部记录")
    scope.add_argument("--inspection", help=f"只导出一次检查：{ID_HELP}")
    scope.add_argument("--matter", help=f"只导出一个案卷（检查等，编号即检查的编号）：{ID_HELP}")
    p.add_argument("--encrypt-to", help="办公室公钥 PEM：加密整个包")
    p.add_argument("--officer", help="导出人")
    p.add_argument("--json", action="store_true", help=JSON_HELP)

    bu = add("bundle", lambda a: missing(a, "bundle"), "数据包")
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

    of = add("office", lambda a: missing(a, "office"), "办公室模式")
    osub = of.add_subparsers(dest="subcommand", metavar="子命令")
    p = add("keygen", cmd_office_keygen, "生成办公室加密密钥对，输出公钥", osub)
    p.add_argument("-o", "--output", help="另存公钥到文件")
    p.add_argument(
        "--private-out", metavar="文件", help="另存一份明文私钥（离线保存，用于恢复笔记本和另一台办公室电脑）"
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p = add("export-key", cmd_office_export_key, "另存办公室私钥的明文副本（离线保存，用于恢复笔记本）", osub)
    p.add_argument("-o", "--output", required=True, metavar="文件", help="私钥 PEM 文件（不会覆盖已有文件）")
    p = add("trust-device", cmd_office_trust, "登记受信任的执法终端（其公钥 PEM）", osub)
    p.add_argument("pem", metavar="公钥文件", help="执法终端的公钥文件（fieldkit device pubkey 的输出）")
    p.add_argument("--name", required=True, help="设备名称，如 兰山一中队 1 号笔记本")
    p.add_argument("--code", help="该电脑的本机编号（文号中的设备编号，如 A1）；不填则以其导出的第一个包为准")
    p.add_argument("--device-id", help="该电脑的设备号（fieldkit device pubkey --json 中的 device_id）")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
