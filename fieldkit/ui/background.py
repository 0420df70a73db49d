"""Modules the next screens need, imported in a background thread once the first screen is drawn.

Start-up imports only what the dashboard needs (issue 14); the other pages, the editor and the printing
stack (reportlab, pypdfium2, PIL: ~0.4 s of CPU for 文书 alone) would otherwise be imported on the GUI
thread at the officer's first click. A daemon thread imports them while the window sits idle.

Two threads importing the same package at once can meet a circular import from both ends and see a
half-initialised module, so background imports and the GUI thread's building of a page take `IMPORTS`
in turn: a page is never built while a background import is half done. Only module-level code runs in
the thread; FieldKit's UI modules make no QObject or QPixmap at import (tests/ui/test_startup_imports.py).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable

log = logging.getLogger(__name__)

# Held by a background thread for one module's import, and by the GUI thread while it builds a page.
IMPORTS = threading.RLock()
_started = False


def import_modules(names: Iterable[str]) -> None:
    for name in names:
        with IMPORTS:
            try:
                importlib.import_module(name)
            except Exception:  # the page imports it again when first shown, and reports the error then
                log.warning("background import of %s failed", name, exc_info=True)


def start_preload(names: Iterable[str]) -> threading.Thread | None:
    """Import `names` in a daemon thread (once per process: later windows find them loaded)."""
    global _started
    if _started:
        return None
    _started = True
    thread = threading.Thread(target=import_modules, args=(tuple(names),), name="preload", daemon=True)
    thread.start()
    return thread
