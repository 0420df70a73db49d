"""Start-up loads only what the first screen needs (issue 14 §2).

A fresh process runs the real start-up path (`run_gui`) on a store with data, and lists the modules
loaded when the main window is shown: the printing stack, PDF preview, spreadsheets, migrations, bundles
and the pages other than the dashboard must not be among them — each is loaded the first time it is
used. This runs in a child process because the test process has long imported all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fieldkit.services.context import Context
from fieldkit.services.demo import load_demo

CHILD = r"""
import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from fieldkit.ui.app import create_application, run_gui

seen = {}


def on_shown():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:  # not shown yet: look again
        QTimer.singleShot(10, on_shown)
        return
    seen["modules"] = sorted(sys.modules)
    seen["page"] = windows[0].current_key()
    windows[0].close()


create_application([sys.argv[0]])
QTimer.singleShot(0, on_shown)  # runs once run_gui's event loop has started, i.e. after window.show()
code = run_gui(Path(sys.argv[1]))
print(json.dumps({"code": code, **seen}))
"""

# Packages the first screen (工作台) never uses. A page, the editor or a print loads them on first use.
NOT_AT_START = (
    "reportlab",
    "pypdfium2",
    "PIL",
    "openpyxl",
    "alembic",
    "fieldkit.bundle",
    "fieldkit.printing.pdf",
    "fieldkit.printing.fonts",
    "fieldkit.printing.thumbs",
    "fieldkit.services.documents",
    "fieldkit.services.exchange",
    "fieldkit.services.integrity",
    "fieldkit.services.subject_import",
    "fieldkit.ui.widgets.inspections_page",
    "fieldkit.ui.widgets.inspection_editor",
    "fieldkit.ui.widgets.documents_page",
    "fieldkit.ui.widgets.subjects_page",
    "fieldkit.ui.widgets.exchange_page",
    "fieldkit.ui.widgets.settings_page",
    "fieldkit.ui.dialogs",
)


def loaded_at_start(data_dir: Path) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_main_window_shown_without_the_heavy_modules(set_up_ctx: Context) -> None:
    load_demo(set_up_ctx, subject_count=6, inspection_count=5)  # the dashboard has rows to show
    result = loaded_at_start(set_up_ctx.data_dir)
    assert result["code"] == 0
    assert result["page"] == "dashboard"
    modules = set(result["modules"])  # type: ignore[arg-type]
    assert "fieldkit.ui.widgets.dashboard" in modules  # listed at the right moment: the first screen is up
    loaded = sorted(m for m in modules for heavy in NOT_AT_START if m == heavy or m.startswith(heavy + "."))
    assert loaded == []
