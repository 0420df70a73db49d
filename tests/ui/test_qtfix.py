"""Signals can be emitted any number of times without corrupting Python's True (PySide6 6.12.0 bug)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import fieldkit.ui  # noqa: F401  (installs the fix)


class Emitter(QObject):
    fired = Signal(int)


def test_emit_keeps_the_refcount_of_true() -> None:
    emitter = Emitter()
    before = sys.getrefcount(True)
    for i in range(5000):
        emitter.fired.emit(i)
    assert sys.getrefcount(True) - before > -10
