"""Logging to a rotating file in the data dir's logs/ folder."""

from __future__ import annotations

import logging
import logging.handlers
import tempfile
from pathlib import Path


def setup_logging(log_dir: Path, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_fieldkit", False) for h in root.handlers):
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "fieldkit.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        # A read-only or full data dir: the program still runs (read-only); the log goes to the
        # system's temp folder instead of stopping the start with an OSError (issue 11.6).
        fallback = Path(tempfile.gettempdir()) / "fieldkit-logs"
        try:
            fallback.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                fallback / "fieldkit.log", maxBytes=2_000_000, backupCount=2, encoding="utf-8"
            )
        except OSError:
            handler = logging.NullHandler()  # type: ignore[assignment]
    handler._fieldkit = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
