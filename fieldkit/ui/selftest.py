"""`fieldkit selftest`: start the GUI offscreen, visit every screen, check the database, time each step."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.errors import NotFound, environment_problem
from fieldkit.ui import strings

SELFTEST_DIR = "selftest"
SELFTEST_FORM = "xianchang_bilu"  # a record (笔录): running header, page footer with signature lines


@dataclass
class Step:
    name: str
    ms: float
    ok: bool
    error: str = ""


@dataclass
class SelfTest:
    steps: list[Step] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def run(self, name: str, fn: Callable[[], object]) -> bool:
        started = time.perf_counter()
        try:
            fn()
        except Exception as exc:
            detail = (
                environment_problem(exc) or "".join(traceback.format_exception_only(type(exc), exc)).strip()
            )
            self.steps.append(Step(name, (time.perf_counter() - started) * 1000, False, detail))
            return False
        self.steps.append(Step(name, (time.perf_counter() - started) * 1000, True))
        return True

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


def _use_offscreen_without_display() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_selftest(data_dir: Path, as_json: bool, credentials: Any = None) -> int:
    """Exit code 0 when every step passed, 1 otherwise (the failing step is printed).

    A protected data dir is opened with `credentials` (services.access) when given; without them
    the test runs on a scratch store of demo data, as before the first setup."""
    from fieldkit.logs import setup_logging

    _use_offscreen_without_display()
    setup_logging(data_dir / "logs")
    test = SelfTest()
    test.state["data_dir"] = data_dir
    test.state["credentials"] = credentials
    steps: list[tuple[str, Callable[[SelfTest], object]]] = [
        ("app", _start_app),
        ("data", _prepare_data),
        ("main_window", _open_main_window),
        ("page_dashboard", lambda t: _visit(t, "dashboard")),
        ("page_inspections", lambda t: _visit(t, "inspections")),
        ("page_documents", lambda t: _visit(t, "documents")),
        ("page_subjects", lambda t: _visit(t, "subjects")),
        ("page_exchange", lambda t: _visit(t, "exchange")),
        ("page_settings", lambda t: _visit(t, "settings")),
        ("editor", _open_editor),
        ("subject_dialog", _open_subject_dialog),
        ("print", _print_blank),
        ("integrity", _check_integrity),
    ]
    for name, fn in steps:
        if not test.run(name, lambda fn=fn: fn(test)):  # type: ignore[misc]
            break
    _close(test)
    _report(test, as_json)
    return 0 if test.ok else 1


def _start_app(test: SelfTest) -> None:
    from fieldkit.ui.app import create_application, route_qt_messages_to_log

    test.state["app"] = create_application([sys.argv[0]])
    route_qt_messages_to_log()


def _prepare_data(test: SelfTest) -> None:
    from fieldkit.services import access
    from fieldkit.services.context import open_context
    from fieldkit.services.settings import load_local_settings
    from fieldkit.services.setup import is_set_up

    data_dir: Path = test.state["data_dir"]
    credentials = test.state.get("credentials")
    ctx = None
    if credentials is not None or not access.is_protected(data_dir):
        ctx = open_context(data_dir, credentials=credentials)
    test.state["scratch"] = False
    if ctx is None or not is_set_up(ctx):
        # Not set up yet, or locked and no login given: exercise the screens on demo data in a
        # subfolder, never in the user's store.
        from fieldkit.services.demo import load_demo

        settings = load_local_settings(data_dir) if ctx is None else ctx.settings
        if ctx is not None:
            ctx.sessions.kw["bind"].dispose()
        work = data_dir / SELFTEST_DIR
        shutil.rmtree(work, ignore_errors=True)
        ctx = open_context(work, settings=settings)  # prints as this laptop would (its settings.toml)
        load_demo(ctx, subject_count=30, inspection_count=8)
        test.state["scratch"] = True
    test.state["ctx"] = ctx
    test.state["used_dir"] = ctx.data_dir


def _open_main_window(test: SelfTest) -> None:
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow(test.state["ctx"])  # no begin_session: a self-test is not a work session
    window.show()
    test.state["app"].processEvents()
    test.state["window"] = window


def _visit(test: SelfTest, key: str) -> None:
    window = test.state["window"]
    page = window.show_page(key)
    test.state["app"].processEvents()
    if not page.isVisible():
        raise RuntimeError(f"page {key} is not visible")


def _open_editor(test: SelfTest) -> None:
    from fieldkit.services import inspections

    window = test.state["window"]
    ctx = test.state["ctx"]
    if ctx.read_only:  # nothing can be made: open an existing record, read-only (issue 11.6)
        ids = inspections.inspection_ids(ctx)
        if ids:
            editor = window.open_inspection(ids[0])
            test.state["app"].processEvents()
            if not editor.form.place_edit.isReadOnly():
                raise RuntimeError("the editor is not read-only on a read-only data dir")
            editor.close_inspection()
        return
    editor = window.new_inspection()
    if editor is None or editor.inspection_id is None:
        raise RuntimeError("the editor did not open a draft")
    test.state["app"].processEvents()
    draft_id = editor.inspection_id
    editor.close_inspection()
    if not test.state["scratch"]:
        with contextlib.suppress(NotFound):  # an untouched new draft is already discarded on close
            inspections.delete_draft(test.state["ctx"], draft_id)  # leave the officer's list as it was


def _open_subject_dialog(test: SelfTest) -> None:
    from fieldkit.ui.dialogs.subject_dialog import SubjectDialog

    dialog = SubjectDialog(test.state["ctx"], parent=test.state["window"])
    dialog.show()
    test.state["app"].processEvents()
    dialog.reject()


def _print_blank(test: SelfTest) -> None:
    """A blank 现场笔录 with this laptop's print options: the fonts (shipped or the system 仿宋) load and embed."""
    from fieldkit.services.documents import blank_pdf

    pdf, pages = blank_pdf(test.state["ctx"], SELFTEST_FORM)
    if not pdf.startswith(b"%PDF") or pages < 1:
        raise RuntimeError(f"blank {SELFTEST_FORM} printed {pages} pages")


def _check_integrity(test: SelfTest) -> None:
    from fieldkit.services.integrity import check_database

    if problems := check_database(test.state["ctx"]):
        raise RuntimeError("；".join(problems))


def _close(test: SelfTest) -> None:
    window = test.state.get("window")
    if window is not None:
        window.close()
    ctx = test.state.get("ctx")
    if ctx is not None:
        ctx.sessions.kw["bind"].dispose()


def _report(test: SelfTest, as_json: bool) -> None:
    used = str(test.state.get("used_dir", test.state["data_dir"]))
    if as_json:
        json.dump(
            {
                "ok": test.ok,
                "data_dir": used,
                "steps": [
                    {"name": s.name, "ms": round(s.ms, 1), "ok": s.ok, "error": s.error} for s in test.steps
                ],
                "total_ms": round(sum(s.ms for s in test.steps), 1),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return
    print(strings.selftest_data_dir(used))
    for s in test.steps:
        print(strings.selftest_step(s.name, s.ms, s.ok))
        if s.error:
            print(f"    {s.error}")
    total = sum(s.ms for s in test.steps)
    print(strings.selftest_total(test.ok, total))
