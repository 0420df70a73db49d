"""Issue 11.4: a CSV with one stray quote or a cell over csv's field limit is a Chinese refusal, nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.errors import ImportFileError
from fieldkit.services.context import Context
from fieldkit.services.subject_import import import_subjects
from fieldkit.services.subjects import search_subject_ids
from tests.services.test_subject_import import HEADER, ROWS


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([",".join(HEADER), *lines]) + "\n", encoding="utf-8-sig")
    return path


GOOD = [",".join(r) for r in ROWS[:3]]


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ('"临沂市某某超市有限公司,91110000101623741K,王喆', ("引号没有配对",)),  # opened, never closed
        ('"临沂市某某"超市,91110000101623741K,王喆', ("引号用法不对",)),
        ("临沂市某某超市," + "一" * 140_000 + ",王喆", ("超过", "字符")),
    ],
    ids=["unclosed-quote", "quote-in-the-middle", "cell-over-131072"],
)
def test_a_broken_csv_is_refused_naming_the_row_and_imports_nothing(
    ctx: Context, tmp_path: Path, bad_line: str, words: tuple[str, ...]
) -> None:
    path = _csv(tmp_path / "名录.csv", [GOOD[0], bad_line, *GOOD[1:]])
    with pytest.raises(ImportFileError) as caught:
        import_subjects(ctx, path)
    text = str(caught.value)
    assert "第 3 行" in text and all(w in text for w in words), text
    assert "未导入任何记录" in text
    assert search_subject_ids(ctx, "") == []
    again = import_subjects(ctx, _csv(tmp_path / "ok.csv", GOOD), accept_warnings=True)
    assert again.accepted == 3  # nothing half-done before
