"""Run by test_kill_and_recover: the real GUI start-up, a new draft, typed text, then "READY" and wait.

Usage: python -m tests.ui.kill_target DATA_DIR   (from the repository root; the data dir is set up)
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from fieldkit.logs import setup_logging
from fieldkit.services.context import open_context
from fieldkit.services.inspections import load_inspection
from fieldkit.ui.app import (
    acquire_instance_lock,
    create_application,
    install_excepthooks,
    start_main_window,
)
from tests.ui.keys import type_text

TYPED = "负责人王喆堃在场，冷藏柜温度显示12℃　已当场调整（ABC-123）"
SAVE_TIMEOUT_S = 15


def main() -> int:
    data_dir = Path(sys.argv[1])
    setup_logging(data_dir / "logs")
    app = create_application([])
    install_excepthooks()
    lock = acquire_instance_lock(data_dir)
    if lock is None:
        print("LOCKED", flush=True)
        return 1
    ctx = open_context(data_dir)
    window = start_main_window(ctx)
    window.show()
    editor = window.new_inspection()
    assert editor is not None and editor.inspection_id is not None
    editor.outcome.findings_edit.setFocus()
    type_text(editor.outcome.findings_edit, TYPED)
    # No button, no focus change: only the autosave timer may store the text.
    deadline = time.monotonic() + SAVE_TIMEOUT_S
    while load_inspection(ctx, editor.inspection_id).draft.findings != TYPED:
        if time.monotonic() > deadline:
            print("TIMEOUT", flush=True)
            return 1
        app.processEvents()
        time.sleep(0.05)
    print(f"READY {editor.inspection_id}", flush=True)
    return app.exec()  # keeps running until killed


if __name__ == "__main__":
    sys.exit(main())
