"""Shared fixtures: offscreen Qt, a temp FIELDKIT_HOME for every test, a clock and Contexts on temp stores."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.domain.agency import AgencyDraft, OfficerDraft
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup

# A fixed moment (Beijing 2026-03-02 10:00) so dates, deadlines and 文号 years are stable.
FIXED_NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)

TEST_AGENCY = AgencyDraft(
    full_name="临沂市兰山区市场监督管理局",
    short_name="兰",
    government_name="临沂市兰山区人民政府",
    unit="综合行政执法大队",
    phone="0539-8123456",
)
TEST_OFFICERS = [
    OfficerDraft("张建国", "37130219001", "综合行政执法大队"),
    OfficerDraft("李晓梅", "37130219002", "综合行政执法大队"),
    OfficerDraft("王喆", "37130219003", "食品药品稽查中队"),
]


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: dt.datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def fieldkit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real user dirs."""
    monkeypatch.setenv("FIELDKIT_HOME", str(tmp_path))
    paths.set_data_dir(None)  # a `--data-dir` given to cli.main() in an earlier test must not leak
    return tmp_path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(tmp_path: Path, clock: Clock) -> Context:
    """A Context on a temp file store (not :memory: — worker threads need to see the same data)."""
    return open_context(tmp_path / "data", clock=clock)


@pytest.fixture
def set_up_ctx(ctx: Context) -> Context:
    """A Context whose agency, officers and device code are set up."""
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    return ctx


@pytest.fixture
def make_ctx(tmp_path: Path, clock: Clock) -> Callable[[str], Context]:
    """More stores (a second laptop, the office) in the same test."""

    def make(name: str) -> Context:
        return open_context(tmp_path / name, clock=clock)

    return make
