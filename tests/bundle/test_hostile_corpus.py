"""Issue 11.9: the whole container corpus is refused by verify — a Chinese problem each, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fieldkit.bundle import verify_bundle
from tests.hostile_corpus import Case, container_cases

from .conftest import Device

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def corpus(written: tuple[Path, object, Device], tmp_path: Path) -> list[Case]:
    path, _sample, device = written
    return list(container_cases(path, device, tmp_path / "corpus"))


def test_every_container_case_is_refused_in_chinese(
    corpus: list[Case], written: tuple[Path, object, Device]
) -> None:
    device = written[2]
    failures = []
    for case in corpus:
        try:
            report = verify_bundle(case.path, trusted_devices=device.trusted)
        except Exception as exc:  # the point: nothing may escape as a traceback
            failures.append(f"{case.name}: raised {type(exc).__name__}: {exc}")
            continue
        if report.ok:
            failures.append(f"{case.name}: accepted")
        elif not all(CHINESE.search(p) for p in report.problems):
            failures.append(f"{case.name}: a problem not in Chinese: {report.problems}")
        elif not all(any(w in p for p in report.problems) for w in case.words):
            failures.append(f"{case.name}: expected {case.words} in {report.problems}")
    assert not failures, "\n".join(failures)
    assert len(corpus) >= 30


def test_the_corpus_can_be_written_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.hostile_corpus import main

    assert main([str(tmp_path / "c")]) == 0
    assert "container cases" in capsys.readouterr().out
    assert len(list((tmp_path / "c").glob("*.fkb"))) >= 30
