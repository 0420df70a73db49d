"""Issue 11.9: a short run of the kill -9 harness (bench/kill_harness.py; a full run is ≥ 100 trials)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.kill_harness import run_trials, summary

# The short run: the writes issue 11 found leaving plaintext or leftovers. The full run has all six.
SHORT = ("export_encrypted", "import_encrypted", "evidence_add")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_every_write_killed_once_leaves_a_sound_store(tmp_path: Path) -> None:
    lines: list[str] = []
    results = run_trials(
        len(SHORT),
        seed=int(os.environ.get("FIELDKIT_KILL_SEED", "3")),
        work=tmp_path,
        demo=False,
        scenarios=SHORT,
        report=lines.append,
    )
    assert [t.scenario for t in results] == list(SHORT)
    assert not [t for t in results if t.problems], "\n".join(lines)
    assert summary(results)["trials"] == len(SHORT)
