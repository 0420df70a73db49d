"""Work around a PySide6 6.12.0 refcount bug: SignalInstance.emit() drops a reference to True.

Each `signal.emit(...)` made from Python returns `True` without owning a reference, so every emit
lowers True's refcount by one; after a few thousand emits Python 3.11 aborts with "Fatal Python
error: bool_dealloc". We measure the leak once at import and, only if it is there, wrap emit so it
takes back the reference it should have returned.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)
_PROBES = 8


class _Probe(QObject):
    fired = Signal()


def emit_leaks_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    leaked = before - sys.getrefcount(True) >= _PROBES
    if leaked:  # give back what the probe took
        for _ in range(_PROBES):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked


def install() -> bool:
    """Patch SignalInstance.emit if (and only if) this PySide6 leaks; idempotent."""
    if getattr(SignalInstance.emit, "_fieldkit_fixed", False) or not emit_leaks_a_reference():
        return False
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        incref(ctypes.py_object(result))
        return result

    emit._fieldkit_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    log.info("PySide6 SignalInstance.emit refcount fix installed")
    return True


install()
