"""Cells a spreadsheet program would run as a formula are written as text (CSV / formula injection).

Officers type what parties and shops say; a name like `=HYPERLINK("http://…","点此")` or a phone
`+86…` must reach Excel or WPS as the text it is, never as a formula that runs on the office PC
(OWASP "CSV Injection"). Every spreadsheet FieldKit writes passes each text cell through
safe_cell(); tests/domain/test_spreadsheet.py fails if a module writes one any other way.
"""

from __future__ import annotations

# What Excel, LibreOffice and WPS start a formula with, plus tab and carriage return, which some
# of them strip before looking (OWASP's list). Full-width ＝ ＋ － ＠ are not formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value` unchanged unless it is text a spreadsheet would evaluate; then prefixed with `'`,
    which Excel and WPS show as nothing and read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list[object] | tuple[object, ...]) -> list[object]:
    return [safe_cell(v) for v in values]
