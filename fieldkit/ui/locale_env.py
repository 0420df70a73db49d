"""Qt's *system* locale in Chinese on Linux (dates, sizes): set in the environment before Qt reads it.

No Qt here: fieldkit.ui imports this before anything that touches Qt, because Qt reads LC_ALL / LC_TIME
/ LC_MESSAGES / LANG once, early (the first QObject already fixes it, as measured), and never again.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping


def prefer_chinese_locale(environ: MutableMapping[str, str]) -> None:
    """Make Qt's *system* locale Chinese (dates, sizes), before the QApplication exists.

    QLocale.setDefault (theme.install_translator) covers our own widgets, but Qt's file dialog dates
    its "修改日期" column and sizes its "体积" column with QLocale::system(), which on Linux Qt takes
    from LC_ALL / LC_TIME (dates) and LC_MESSAGES (the locale itself: "字节") / LANG: under
    LANG=C.UTF-8 (a fresh machine) it showed "2 12 2026" and "433 bytes". Character set, sorting and
    numbers stay as the machine has them. Windows and macOS take the locale from the OS, not the
    environment.
    """
    if sys.platform in ("win32", "darwin"):
        return
    lc_all = environ.get("LC_ALL", "")
    if (lc_all or environ.get("LC_TIME") or environ.get("LANG", "")).startswith("zh"):
        return
    if lc_all:  # LC_ALL overrides every category: keep what it said for the others, then free ours
        del environ["LC_ALL"]
        for category in ("LC_CTYPE", "LC_NUMERIC", "LC_COLLATE", "LC_MONETARY"):
            environ[category] = lc_all
    environ["LC_TIME"] = environ["LC_MESSAGES"] = "zh_CN.UTF-8"
