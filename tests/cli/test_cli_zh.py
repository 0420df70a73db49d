"""The command line is Chinese (issue 10 item 6): argparse's own texts, help on every option, status
words, forms named by title, and ids given by an unambiguous prefix through one resolver."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.cli import build_parser, main
from tests import rawdb

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ARGPARSE = (
    "usage:",
    "options:",
    "positional arguments",
    "error:",
    "invalid choice",
    "required:",
    "show this help",
    "show program",
    "expected one argument",
    "unrecognized arguments",
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own exits (errors, --help)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def test_every_option_and_argument_has_chinese_help() -> None:
    missing = []
    parsers = list(_parsers(build_parser()))
    assert len(parsers) > 30  # the walk reaches every sub-command
    for parser in parsers:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            name = "/".join(action.option_strings) or action.dest
            if not action.help or not HAN.search(action.help):
                missing.append(f"{parser.prog} {name}")
    assert missing == []


def test_help_of_every_command_is_chinese() -> None:
    for parser in _parsers(build_parser()):
        text = parser.format_help()
        assert text.startswith("用法：") and "\n选项：\n" in text, parser.prog
        assert not any(word in text for word in ENGLISH_ARGPARSE), (parser.prog, text)
        usage = text.split("\n\n", 1)[0]  # values are named in Chinese: "-o 输出", not "-o OUTPUT"
        assert not re.search(r"\b[A-Z][A-Z_]+\b", usage), (parser.prog, usage)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["foo"], "无效的选项 'foo'"),
        (["print"], "缺少必需的参数：文书ID, -o/--output"),
        (["inspections", "list", "--status", "open"], "参数 --status：应为 草稿、已完成，收到「open」"),
        (["demo", "--seed", "x"], "参数 --seed：无效的整数值：'x'"),
        (["evidence", "add", "abcd", "f", "--kind", "照片"], "参数 --kind：应为 书证、物证、视听资料"),
        (["docs", "list", "--bogus"], "无法识别的参数：--bogus"),
        (["export", "-o", "x", "--all", "--inspection", "abcd"], "不能与参数 --all 同时使用"),
    ],
)
def test_argparse_errors_are_chinese(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("用法：fieldkit") and "：错误：" in err and expected in err, err
    assert not any(word in err for word in ENGLISH_ARGPARSE), err


def test_argparse_is_english_again_outside_fieldkit(capsys: pytest.CaptureFixture[str]) -> None:
    """The Chinese texts are swapped in only while FieldKit's parser runs (pytest parses with argparse too)."""
    run(capsys, "foo")
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


def test_status_words_and_kinds_are_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    run(capsys, "--data-dir", data, "demo")
    code, out, _ = run(capsys, "--data-dir", data, "inspections", "list", "--status", "草稿", "--json")
    drafts = json.loads(out)
    assert code == 0 and drafts and {i["status"] for i in drafts} == {"draft"}
    code, out, _ = run(capsys, "--data-dir", data, "inspections", "list", "--status", "已完成")
    assert code == 0 and "已完成" in out and "草稿" not in out
    inspection = drafts[0]["id"]
    photo = tmp_path / "IMG_1.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    assert run(capsys, "--data-dir", data, "evidence", "add", inspection[:8], str(photo))[0] == 0
    code, out, _ = run(capsys, "--data-dir", data, "evidence", "list", inspection[:8])
    assert code == 0 and "未定稿" in out
    for line in out.splitlines():
        words = re.findall(r"[A-Za-z]{3,}", line.split("  ")[-1] if "…" in line else line)
        assert words in ([], ["IMG", "JPG"]), line  # file names only, never "draft"/"final"
    code, out, _ = run(capsys, "--data-dir", data, "docs", "list")
    assert code == 0 and not re.search(r"\b(draft|final|void|correcting)\b", out)


def test_forms_by_title_code_or_prefix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "blank", "现场笔录", "-o", str(tmp_path / "a.pdf"))
    assert (
        code == 0 and "已生成空白 现场笔录" in out and (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    )
    for name in ("现笔", "xianchang", "xianchang_bilu"):
        code, out, _ = run(capsys, "forms", "show", name, "--json")
        assert code == 0 and json.loads(out)["id"] == "xianchang_bilu", name
    code, out, err = run(capsys, "blank", "不存在的文书", "-o", str(tmp_path / "b.pdf"))
    assert code == 2 and "文书种类：没有「不存在的文书」" in err and "现场笔录" in err
    code, out, err = run(capsys, "render", "询", "--data", "x.json", "-o", str(tmp_path / "c.pdf"))
    assert code == 2 and "同时对应" in err and not (tmp_path / "c.pdf").exists()


def test_inspection_ids_take_a_prefix_everywhere(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    run(capsys, "--data-dir", data, "demo")
    code, out, _ = run(capsys, "--data-dir", data, "inspections", "list", "--json")
    first, second = (i["id"] for i in json.loads(out)[:2])
    # Make the two share a prefix: the resolver must refuse it, in Chinese, with exit 2.
    with rawdb.connect(Path(data) / "fieldkit.db") as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for old, new in ((first, "beef0001" + "0" * 24), (second, "beef0002" + "0" * 24)):
            for table, column in (
                ("inspection", "id"),
                ("matter", "id"),
                ("document", "matter_id"),
                ("evidence_item", "matter_id"),
                ("measure", "matter_id"),
                ("follow_up", "matter_id"),
            ):
                conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, old.replace("-", ""))
                )
    for args in (
        ["evidence", "list", "beef"],
        ["export", "-o", str(tmp_path / "usb"), "--inspection", "beef"],
        ["docs", "new", "现场笔录", "--inspection", "beef"],
    ):
        code, out, err = run(capsys, "--data-dir", data, *args)
        assert code == 2 and "检查 ID：「beef」同时对应多条检查" in err, args
    code, out, err = run(capsys, "--data-dir", data, "evidence", "list", "bee")
    assert code == 2 and "太短" in err
    code, out, err = run(capsys, "--data-dir", data, "evidence", "list", "beef0002", "--json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, err = run(
        capsys, "--data-dir", data, "export", "-o", str(tmp_path / "usb"), "--inspection", "beef0001"
    )
    assert code == 0, err
    # --matter names a matter of any kind by the same id (an inspection's matter has its id).
    code, out, err = run(
        capsys, "--data-dir", data, "export", "-o", str(tmp_path / "usb"), "--matter", "beef"
    )
    assert code == 2 and "同时对应多条检查" in err
    code, out, err = run(
        capsys, "--data-dir", data, "export", "-o", str(tmp_path / "usb2"), "--matter", "beef0002"
    )
    assert code == 0, err
