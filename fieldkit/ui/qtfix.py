"""Work around a refcount bug of PySide6 6.12.0 (abi3 wheel) on Python 3.11: lost references to None/True.

On Python 3.11 every PySide6 call that returns nothing (`label.setText(...)`, `app.processEvents()`,
`widget.parent()` when there is none …) hands back `None` without a reference, and every
`signal.emit(...)` does the same with `True`. Each call lowers the singleton's refcount by one; after
some ten thousand calls Python aborts ("Fatal Python error: none_dealloc" / "bool_dealloc") or crashes
later in the garbage collector. Python 3.12+ makes these singletons immortal, which is presumably why
the wheel gets away with it there.

We measure the leak once at import and, only when it is there on a Python without immortal objects,
raise the refcounts of None, True and False by 2**40: they are never freed anyway, and no session
makes a trillion calls. Nothing is changed on Python 3.12+ or on a PySide6 without the bug.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
_PROBES = 16
_HEADROOM = 1 << 40
_SINGLETONS = (None, True, False)


class _Probe(QObject):
    fired = Signal()


def leaks_singleton_references() -> bool:
    """True when void calls lose a reference to None or emits one to True (measured, then repaid)."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.setObjectName("probe")  # void: returns None
        probe.fired.emit()
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    for obj, lost in ((None, lost_none), (True, lost_true)):
        for _ in range(max(0, lost)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))
    return lost_none >= _PROBES or lost_true >= _PROBES


def _refcount_cell(obj: object) -> ctypes.c_ssize_t:
    # CPython < 3.12: PyObject starts with Py_ssize_t ob_refcnt.
    return ctypes.c_ssize_t.from_address(id(obj))


def install() -> bool:
    """Apply the fix if needed; idempotent. Returns whether it was applied now."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if _refcount_cell(None).value > _HEADROOM // 2 or not leaks_singleton_references():
        return False
    for obj in _SINGLETONS:
        _refcount_cell(obj).value += _HEADROOM
    log.info("PySide6 refcount workaround installed (None/True/False made practically immortal)")
    return True


install()
