"""Which Debian/Ubuntu package holds a missing system library (no Qt: used before Qt can load).

The GUI needs system libraries that PySide6 does not ship: the xcb platform plugin's (platform_guard
explains those once QtCore is loaded) and QtCore's own, above all GLib. When QtCore itself cannot load,
`import PySide6.QtCore` raises ImportError naming the library; errors.environment_problem turns that
into the Chinese cause and the apt-get line, through `missing_library_message` here.
"""

from __future__ import annotations

import re

# sonames whose Debian package does not follow the policy rule in debian_package().
PACKAGE_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
}
# "libglib-2.0.so.0: cannot open shared object file: No such file or directory", also with a path
# or with "file too short" / "wrong ELF class" for a broken copy.
_SONAME = re.compile(r"(?:^|/)([A-Za-z0-9_.+-]+\.so(?:\.\d+)*)\s*:")


def debian_package(soname: str) -> str:
    """libxcb-cursor.so.0 → libxcb-cursor0; libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (Debian policy
    §8.1: the package is the soname's name plus its version, with a hyphen after a trailing digit)."""
    if soname in PACKAGE_EXCEPTIONS:
        return PACKAGE_EXCEPTIONS[soname]
    match = re.fullmatch(r"(.+?)\.so\.(\d+)(?:\..*)?", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def missing_library_message(exc: BaseException) -> str | None:
    """The Chinese cause and fix for an ImportError of a system library, None for any other error."""
    if not isinstance(exc, ImportError) or isinstance(exc, ModuleNotFoundError):
        return None
    match = _SONAME.search(str(exc))
    if match is None:
        return None
    soname = match.group(1)
    return (
        f"图形界面无法启动：缺少系统库 {soname}（或已损坏）。"
        f"解决：在 Debian/Ubuntu 上运行 sudo apt-get install -y {debian_package(soname)} 后重新启动 FieldKit"
        "（全新系统需要的全部软件包见 README「在全新的 Linux 上」）；不需要界面的工作可用命令行（fieldkit --help）"
    )
