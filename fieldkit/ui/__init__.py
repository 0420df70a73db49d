"""PySide6 user interface (the only layer that imports Qt)."""

from fieldkit.ui import qtfix as _qtfix  # noqa: F401  (must run before any signal is emitted)
