"""Shared fixtures: offscreen Qt, a temp FIELDKIT_HOME for every test, and a Context on a temp store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import datetime as dt
from pathlib import Path

import pytest

from fieldkit.services.context import Context, open_context

# A fixed moment (Beijing 2026-03-02 10:00) so dates, deadlines and 文号 years are stable.
FIXED_NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fieldkit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real user dirs."""
    monkeypatch.setenv("FIELDKIT_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    """A Context on a temp file store (not :memory: — worker threads need to see the same data)."""
    return open_context(tmp_path / "data", clock=lambda: FIXED_NOW)
