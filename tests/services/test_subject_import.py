"""Importing the office's list of businesses from CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from fieldkit.domain.subjects import SubjectType
from fieldkit.errors import Cancelled, ImportFileError
from fieldkit.services.context import Context
from fieldkit.services.subject_import import import_subjects
from fieldkit.services.subjects import get_subject, search_subject_ids, subject_items

HEADER = ["企业名称", "统一社会信用代码", "负责人", "经营场所", "联系电话", "主体类型", "许可证编号"]
ROWS = [
    [
        "临沂市金源家超市有限公司",
        "91110000101623741K",
        "王喆",
        "兰山区人民路18号",
        "13905391234",
        "有限责任公司",
        "JY13713020001",
    ],
    ["兰山区张记小吃店", "92371302MA3C8UX41U", "张三", "兰山区解放路6号", "0539-8123456", "个体工商户", ""],
    ["厦门某贸易公司", "91350211M0000XUF46", "李四", "思明区某路1号", "", "", ""],
    ["", "911101066976941872", "缺名称", "", "", "", ""],
    ["短代码公司", "9111000010162374", "", "", "", "", ""],
    ["重复代码公司", "91110000101623741K", "", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n", encoding=encoding)
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append(["兰山区市场主体名录（2026年11月）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_csv_import_reports_rows_as_numbered_in_the_file(ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "名录.csv", ROWS)
    report = import_subjects(ctx, path)
    assert report.accepted == 2
    rejected = {(r["row"], r["field"]) for r in report.rejected}
    assert rejected == {(5, "名称（姓名）"), (6, "统一社会信用代码"), (7, "统一社会信用代码")}
    dup = next(r for r in report.rejected if r["row"] == 7)
    assert dup["reason"] == "与第 2 行重复"
    # A failing check character is held back until someone accepts it (CLI flag, GUI button).
    assert [(h["row"], h["field"]) for h in report.held] == [(4, "统一社会信用代码")]
    assert report.warnings == [] and not report.complete and search_subject_ids(ctx, "厦门") == []
    for item in (
        report.rejected + report.held
    ):  # the field is named once, not "统一社会信用代码：统一社会信用代码："
        assert not str(item["reason"]).startswith(f"{item['field']}："), item
    again = import_subjects(ctx, path, accept_warnings=True)
    assert (again.accepted, again.unchanged, again.held) == (1, 2, [])
    assert [(w["row"], w["field"]) for w in again.warnings] == [(4, "统一社会信用代码")]
    assert str(again.warnings[0]["reason"]).startswith("校验位应为“R”")
    kept = search_subject_ids(ctx, "厦门")
    assert get_subject(ctx, kept[0]).draft.uscc_note  # the failed check character is kept with a note
    small = subject_items(ctx, search_subject_ids(ctx, "小吃"))[0]
    assert small.subject_type is SubjectType.INDIVIDUAL_BUSINESS and small.legal_rep == "张三"


def test_reimporting_the_same_file_updates_rather_than_duplicates(ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ROWS[:3])
    import_subjects(ctx, path, accept_warnings=True)
    again = import_subjects(ctx, path, accept_warnings=True)
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 3)
    changed = [list(r) for r in ROWS[:3]]
    changed[0][3] = "兰山区人民路20号"
    changed[1][2] = ""  # an empty cell never erases what is stored
    third = import_subjects(ctx, write_csv(path, changed), accept_warnings=True)
    assert (third.accepted, third.updated, third.unchanged) == (0, 1, 2)
    assert len(search_subject_ids(ctx, "")) == 3
    assert subject_items(ctx, search_subject_ids(ctx, "小吃"))[0].legal_rep == "张三"


def test_a_corrected_uscc_updates_the_subject_found_by_name_and_address(ctx: Context, tmp_path: Path) -> None:
    wrong = ROWS[2]  # 厦门某贸易公司 with a failing check character, kept with a note
    import_subjects(ctx, write_csv(tmp_path / "a.csv", [wrong]), accept_warnings=True)
    fixed = [*wrong[:1], "91350211M0000XUF4R", *wrong[2:]]
    report = import_subjects(ctx, write_csv(tmp_path / "b.csv", [fixed]))
    assert (report.accepted, report.updated, report.rejected, report.held) == (0, 1, [], [])
    [only] = search_subject_ids(ctx, "")
    stored = get_subject(ctx, only).draft
    assert stored.uscc == "91350211M0000XUF4R" and stored.uscc_note == ""  # the old note went with the code
    # …and the fixed code finds it from now on, even at a new address.
    moved = [*fixed[:3], "思明区新路9号", *fixed[4:]]
    assert import_subjects(ctx, write_csv(tmp_path / "c.csv", [moved])).updated == 1
    assert len(search_subject_ids(ctx, "")) == 1


def test_an_ambiguous_match_is_reported_not_guessed(ctx: Context, tmp_path: Path) -> None:
    from fieldkit.domain.subjects import SubjectDraft, SubjectType, derived_type
    from fieldkit.services.subjects import add_subject

    for code in ("91110000101623741K", "92371302MA3C8UX41U"):
        kind = derived_type(code, "") or SubjectType.ENTERPRISE  # 92…: a 个体工商户, as the code says
        add_subject(
            ctx, SubjectDraft(name="兰山区某商行", subject_type=kind, uscc=code, address="兰山区通达路1号")
        )
    row = ["兰山区某商行", "", "赵六", "兰山区通达路1号", "", "", ""]
    report = import_subjects(ctx, write_csv(tmp_path / "a.csv", [row]))
    assert (report.accepted, report.updated) == (0, 0)
    [problem] = report.rejected
    assert problem["row"] == 2 and problem["field"] == "名称（姓名）"
    assert "已有 2 户与本行名称和住所都相同" in str(problem["reason"]) and "91110000101623741K" in str(
        problem["reason"]
    )
    assert {s.legal_rep for s in subject_items(ctx, search_subject_ids(ctx, ""))} == {""}


def test_a_person_is_matched_by_id_number(ctx: Context, tmp_path: Path) -> None:
    header = "姓名,身份证号码,住所,主体类型\n"
    first = tmp_path / "a.csv"
    first.write_text(header + "张三,11010519491231002X,兰山区解放路6号,自然人\n", encoding="utf-8")
    assert import_subjects(ctx, first).accepted == 1
    first.write_text(header + "张三,11010519491231002x,兰山区金雀山路2号,自然人\n", encoding="utf-8")
    report = import_subjects(ctx, first)
    assert (report.accepted, report.updated) == (0, 1)
    [person] = subject_items(ctx, search_subject_ids(ctx, ""))
    assert person.address == "兰山区金雀山路2号"
    # A mistyped number corrected in the list: found by name and address, updated, not duplicated.
    first.write_text(header + "张三,110105194912310038,兰山区金雀山路2号,自然人\n", encoding="utf-8")
    report = import_subjects(ctx, first)
    assert (report.accepted, report.updated, report.rejected) == (0, 1, [])
    [person] = subject_items(ctx, search_subject_ids(ctx, ""))
    assert get_subject(ctx, person.id).draft.id_number == "110105194912310038"


def test_gbk_csv_from_excel_on_windows(ctx: Context, tmp_path: Path) -> None:
    report = import_subjects(ctx, write_csv(tmp_path / "gbk.csv", ROWS[:2], encoding="gbk"))
    assert report.accepted == 2


def test_xlsx_with_a_title_row_and_numeric_cells(ctx: Context, tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in ROWS[:2]]
    rows[0][4] = 13905391234  # Excel keeps phone numbers as numbers
    report = import_subjects(ctx, write_xlsx(tmp_path / "名录.xlsx", rows))
    assert report.accepted == 2 and not report.rejected
    assert subject_items(ctx, search_subject_ids(ctx, "超市"))[0].phone == "13905391234"


def test_dry_run_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    report = import_subjects(ctx, write_csv(tmp_path / "a.csv", ROWS), dry_run=True, accept_warnings=True)
    assert report.accepted == 3
    assert search_subject_ids(ctx, "") == []


def test_cancel_keeps_nothing(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        import_subjects(ctx, write_csv(tmp_path / "a.csv", ROWS[:3]), cancelled=lambda: True)
    assert search_subject_ids(ctx, "") == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.7", "只支持"),
        ("a.xlsx", b"not a zip", "不是有效的 Excel"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "另存为"),
        ("a.csv", "名字,地址\n甲,乙\n".encode(), "没有找到表头"),
        ("a.csv", b"\xff\xfe\x00\x00\x81", "编码"),
    ],
)
def test_unreadable_files_give_one_clear_line(
    ctx: Context, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_subjects(ctx, tmp_path / name)


def test_missing_file(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="找不到文件"):
        import_subjects(ctx, tmp_path / "nope.csv")


def test_the_code_decides_the_type_and_a_type_column_against_it_is_refused(
    ctx: Context, tmp_path: Path
) -> None:
    """行政处罚法第五十一条 caps differ by party type, so the type follows the USCC / 身份证号."""
    path = tmp_path / "t.csv"
    path.write_text(
        "名称,统一社会信用代码,身份证号码,住所,主体类型\n"
        "张三,,11010519491231002X,兰山区解放路6号,\n"
        "临沂市某小吃店,92141182MA0KXXXX5A,,兰山区解放路8号,\n"
        "临沂市某便利店,92371302MA3C8UX41U,,兰山区解放路9号,企业\n",
        encoding="utf-8",
    )
    report = import_subjects(ctx, path)
    assert report.accepted == 2
    [rejected] = report.rejected
    assert rejected["row"] == 4 and "应为个体工商户，不能选「企业」" in str(rejected["reason"])
    kinds = {s.name: s.subject_type.label for s in subject_items(ctx, search_subject_ids(ctx, ""))}
    assert kinds == {"张三": "自然人", "临沂市某小吃店": "个体工商户"}
