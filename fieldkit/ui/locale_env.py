"""Chinese dates from Qt's *system* locale on Linux: set in the environment before Qt first reads it.

No Qt here: fieldkit.ui imports this before anything that touches Qt, because Qt reads LC_ALL / LC_TIME
/ LANG once, early (the first QObject already fixes it, as measured), and never again.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping


def prefer_chinese_dates(environ: MutableMapping[str, str]) -> None:
    """Make Qt's *system* locale format dates in Chinese, before the QApplication exists.

    QLocale.setDefault (theme.install_translator) covers our own widgets, but Qt's file dialog dates
    its "修改日期" column with QLocale::system(), which on Linux comes from LC_ALL / LC_TIME / LANG:
    under LANG=C.UTF-8 (a fresh machine) it showed "2 12 2026". Only the time category changes, so
    messages, sorting and character set stay as the machine has them. Windows and macOS take the
    locale from the OS, not the environment.
    """
    if sys.platform in ("win32", "darwin"):
        return
    lc_all = environ.get("LC_ALL", "")
    if (lc_all or environ.get("LC_TIME") or environ.get("LANG", "")).startswith("zh"):
        return
    if lc_all:  # LC_ALL overrides every category: keep what it said for the others, then free LC_TIME
        del environ["LC_ALL"]
        for category in ("LC_CTYPE", "LC_NUMERIC", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES"):
            environ[category] = lc_all
    environ["LC_TIME"] = "zh_CN.UTF-8"
