"""PySide6 6.12.0 on Python 3.11 loses references to None and True; the workaround keeps Python alive."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal

from fieldkit.ui import qtfix


class Emitter(QObject):
    fired = Signal(int)


def test_singletons_cannot_run_out_of_references() -> None:
    if qtfix.leaks_singleton_references() and sys.version_info < (3, 12):
        for singleton in (None, True, False):
            assert sys.getrefcount(singleton) > 2**39
    emitter = Emitter()
    for i in range(5000):
        emitter.fired.emit(i)
        emitter.setObjectName("x")
        QCoreApplication.processEvents()
    assert emitter.objectName() == "x"
