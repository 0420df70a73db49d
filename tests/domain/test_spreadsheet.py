"""Issue 11.8: every spreadsheet cell FieldKit writes is escaped against formula injection."""

from __future__ import annotations

import ast
from pathlib import Path

import openpyxl
import pytest

from fieldkit.domain.spreadsheet import safe_cell, safe_row

PACKAGE = Path(__file__).resolve().parents[2] / "fieldkit"
# Calls that write a spreadsheet; a module using one must also escape through safe_cell/safe_row.
WRITERS = {"Workbook", "writer", "DictWriter", "to_excel", "to_csv", "writerow", "writerows", "append"}


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/x","点此查看")',
        "=1+1",
        "+86 139 0539 1234",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_like_text_is_written_as_text(text: str, tmp_path: Path) -> None:
    assert safe_cell(text) == "'" + text
    book = openpyxl.Workbook()
    book.active.append(safe_row(["当事人", text]))  # type: ignore[union-attr]
    path = tmp_path / "x.xlsx"
    book.save(path)
    cell = openpyxl.load_workbook(path).active["B1"]  # type: ignore[index]
    # a string, never a formula ("f"); XML reads a lone CR back as LF
    assert cell.data_type == "s" and cell.value == ("'" + text).replace("\r", "\n")


@pytest.mark.parametrize("value", ["临沂市金源家超市", "0539-8123456", "＝全角等号", "", 12, None, 1.5])
def test_ordinary_values_are_untouched(value: object) -> None:
    assert safe_cell(value) == value


def test_every_module_that_writes_a_spreadsheet_escapes_its_cells() -> None:
    """Today no module writes one (the subject list is only read); the day one does, it must escape."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
        }
        if not imports & {"csv", "openpyxl", "xlsxwriter", "pandas"}:
            continue
        calls = {
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
        }
        writes = calls & WRITERS - ({"append"} if "Workbook" not in calls else set())
        if writes and not calls & {"safe_cell", "safe_row"}:
            offenders.append(f"{path.relative_to(PACKAGE.parent)}: {sorted(writes)}")
    assert not offenders, "spreadsheet written without safe_cell/safe_row:\n" + "\n".join(offenders)
