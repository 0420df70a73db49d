"""PySide6 user interface (the only layer that imports Qt)."""

import os as _os

from fieldkit.ui.locale_env import prefer_chinese_locale as _prefer_chinese_locale

_prefer_chinese_locale(_os.environ)  # before Qt reads the locale (the qtfix probe makes the first QObject)

from fieldkit.ui import qtfix as _qtfix  # noqa: E402, F401  (must run before any signal is emitted)
