"""When Qt's platform plugin cannot load, say so in Chinese with the fix, and exit instead of aborting.

On a fresh Debian/Ubuntu the xcb plugin needs libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 … that a
desktop may lack; without a display it cannot connect at all. Qt then prints English and calls
qFatal(), which aborts the process (a core dump for the officer). Qt hands the qFatal message to the
installed message handler *before* aborting, so the handler below explains the cause in Chinese —
which plugin, which system libraries are missing and the apt-get line that installs them — and leaves
with exit code 1 (os._exit: nothing of the app has started yet, nothing is lost).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QMessageLogContext, QtMsgType, qInstallMessageHandler

from fieldkit.syslibs import debian_package

log = logging.getLogger(__name__)

EXIT_NO_PLATFORM = 1
# What a fresh Debian 12 / Ubuntu 22.04+ desktop may lack for PySide6's xcb plugin (README lists it).
XCB_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxkbcommon-x11-0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",  # QtCore itself (not a plugin): errors.environment_problem names it when missing
)
_messages: list[str] = []


def missing_libraries(library: Path) -> list[str]:
    """The system libraries `library` needs that the loader cannot find (ldd; else the first, by dlopen).
    Qt's own libraries come with PySide6 (and are loaded already), so they are never the system's fault."""
    return [s for s in _not_found(library) if not s.startswith("libQt6")]


def _not_found(library: Path) -> list[str]:
    if not library.is_file():
        return []
    ldd = shutil.which("ldd")
    if ldd is not None:
        try:
            done = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            done = None
        if done is not None:
            return sorted({m.group(1) for m in re.finditer(r"^\s*(\S+)\s*=>\s*not found", done.stdout, re.M)})
    import ctypes

    try:
        ctypes.CDLL(str(library))
    except OSError as exc:
        first = str(exc).split(":", 1)[0].strip()
        return [first] if ".so" in first else []
    return []


def _requested(environ: Mapping[str, str]) -> list[str]:
    names = [n.split(":", 1)[0].strip() for n in environ.get("QT_QPA_PLATFORM", "").split(";")]
    return [n for n in names if n] or ["xcb"]


def explain(messages: Iterable[str], environ: Mapping[str, str], plugin_dirs: Iterable[Path]) -> str:
    """The Chinese message for a platform plugin that did not load: cause and fix."""
    text = "\n".join(messages)
    lines = ["错误：图形界面无法启动：Qt 的图形平台插件无法加载。"]
    available = re.search(r"Available platform plugins are: (.*?)\.?\s*$", text, re.M)
    unknown = re.findall(r'Could not find the Qt platform plugin "([^"]*)"', text)
    for name in dict.fromkeys(unknown):
        shown = f"（可用的有：{available.group(1)}）" if available else ""
        lines.append(f"原因：没有名为“{name}”的平台插件{shown}。")
        if environ.get("QT_QPA_PLATFORM"):
            lines.append(
                f"解决：环境变量 QT_QPA_PLATFORM={environ['QT_QPA_PLATFORM']} 有误，请删除或改正后重新启动。"
            )
    missing: list[str] = []
    for name in _requested(environ):
        for folder in plugin_dirs:
            missing += missing_libraries(folder / f"libq{name}.so")
    if missing:
        packages = sorted(dict.fromkeys(debian_package(s) for s in missing))
        lines.append(f"原因：缺少系统库 {'、'.join(dict.fromkeys(missing))}。")
        lines.append("解决：在 Debian/Ubuntu 上运行下面的命令安装，然后重新启动 FieldKit：")
        lines.append(f"    sudo apt-get install -y {' '.join(packages)}")
        lines.append("（全新系统需要的全部软件包见 README「在全新的 Linux 上」。）")
    elif "could not connect to display" in text or (
        "xcb" in _requested(environ) and not environ.get("DISPLAY") and not unknown
    ):
        lines.append("原因：连接不到图形显示（环境变量 DISPLAY 未设置，或显示服务器不可用）。")
        lines.append(
            "解决：请在桌面环境中启动；远程登录时可用 ssh -X。不需要界面的工作可用命令行（fieldkit --help）。"
        )
    elif not unknown:
        lines.append(
            f"解决：请安装图形界面所需的系统软件包：sudo apt-get install -y {' '.join(XCB_PACKAGES)}"
        )
    lines.append("Qt 的原始信息已写入日志。")
    return "\n".join(lines)


def _on_startup_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    _messages.append(message)
    if kind != QtMsgType.QtFatalMsg:
        return
    plugin_dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"]
    if extra := os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        plugin_dirs.insert(0, Path(extra))
    log.error("Qt platform plugin failed to load:\n%s", "\n".join(_messages))
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stderr.write(explain(_messages, os.environ, plugin_dirs) + "\n")
    sys.stderr.flush()
    os._exit(EXIT_NO_PLATFORM)  # before Qt's abort(); nothing of the app has started


def install() -> None:
    """Guard the QApplication constructor; `uninstall()` once it returned."""
    _messages.clear()
    qInstallMessageHandler(_on_startup_message)


def uninstall() -> None:
    qInstallMessageHandler(None)
