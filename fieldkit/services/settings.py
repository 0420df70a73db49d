"""This laptop's settings file, `settings.toml` in the data dir, read once when the Context opens.

Where each kind of setting lives (issue 12 §8):
- `settings.toml` (here): how this laptop prints — `[printing] font` — and after how many idle minutes the
  window locks — `[security] auto_lock_minutes` (issue 13.2). Loaded into `Context.settings`, a frozen
  value every print takes its `PrintOptions` from; printing itself never reads a file, the data dir or the
  environment. Changing it goes through `set_print_font` / `set_auto_lock` (a new Context) or, with no store
  open, `write_print_font` (`fieldkit font`); each writes the whole file, keeping the other keys.
- the database (services/setup.py): the agency, its officers and the device code. They are records (audited,
  some travel in bundles, changed at any time on the settings page), so each service reads them inside its
  own transaction, with the data they number and print; a copy frozen at start-up would go stale.
- `window.ini` (ui/main_window.py, QSettings): window geometry only — nothing that changes a document.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.catalog.errors import CatalogError
from fieldkit.catalog.reader import read_toml
from fieldkit.domain.access import AUTO_LOCK_DEFAULT_MINUTES, Duty
from fieldkit.errors import FieldkitError, StoreUnavailable
from fieldkit.printing.options import FontChoice, PrintOptions, SystemFont

if TYPE_CHECKING:  # context.py imports this module to load the settings it holds
    from fieldkit.services.context import Context

SETTINGS_FILE = "settings.toml"
# Windows system faces in order of preference (file name, index inside a .ttc collection): 仿宋, then 宋体.
WINDOWS_FONTS = (("simfang.ttf", 0), ("simsun.ttc", 0))
FONT_LABELS = {FontChoice.BUNDLED: "随程序附带的字体", FontChoice.SYSTEM: "系统的仿宋/宋体"}
__all__ = [
    "FONT_LABELS",
    "FontChoice",
    "LocalSettings",
    "PrintOptions",
    "SettingsError",
    "auto_lock_problem",
    "load_local_settings",
    "print_options",
    "set_auto_lock",
    "set_print_font",
    "system_fonts",
    "write_print_font",
]
KNOWN = {
    "printing": ("font",),
    "security": ("auto_lock_minutes",),
}  # table → its keys; anything else is a typo that would be silently ignored


class SettingsError(FieldkitError):
    """settings.toml cannot be read or holds a bad value: names the file, the key and the problem."""

    def __init__(self, file: Path, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        where = f"{file}：{key}" if key else str(file)
        super().__init__(f"设置文件 {where}：{problem}（请改正或删除该文件后重新打开）")


@dataclass(frozen=True)
class LocalSettings:
    """What settings.toml says (its defaults when there is none)."""

    printing: PrintOptions = field(default_factory=PrintOptions)
    # Idle minutes before the window is covered by the lock screen (issue 13.2).
    auto_lock_minutes: int = AUTO_LOCK_DEFAULT_MINUTES
    file: Path | None = None  # where they were read from; None for the built-in defaults


def system_fonts(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[SystemFont, ...]:
    """The system 仿宋/宋体 files to try; only Windows ships them (nothing is looked for elsewhere)."""
    if (platform or sys.platform) != "win32":
        return ()
    env = os.environ if environ is None else environ
    folder = Path(env.get("WINDIR") or r"C:\Windows") / "Fonts"
    return tuple(SystemFont(folder / name, index) for name, index in WINDOWS_FONTS)


def print_options(font: FontChoice) -> PrintOptions:
    """The options for a font choice on this machine (the system font files are looked up here, once)."""
    return PrintOptions(font=font, system_fonts=system_fonts() if font == FontChoice.SYSTEM else ())


def load_local_settings(data_dir: Path) -> LocalSettings:
    """Read `<data_dir>/settings.toml`; no file gives the defaults. Raises SettingsError naming file and key."""
    path = data_dir / SETTINGS_FILE
    # The catalog's one TOML reader (byte order mark, encoding and syntax errors said the same way).
    try:
        doc, _ = read_toml(path, what="设置文件", file=str(path))
    except CatalogError as exc:
        if isinstance(exc.__cause__, FileNotFoundError):
            return LocalSettings(printing=print_options(FontChoice.BUNDLED), file=None)
        raise SettingsError(path, exc.key, exc.problem) from exc
    _check_known(path, doc)
    printing: dict[str, Any] = doc.get("printing", {})
    raw = printing.get("font", FontChoice.BUNDLED.value)
    choices = "或".join(f'"{c.value}"（{FONT_LABELS[c]}）' for c in FontChoice)
    if not isinstance(raw, str) or raw not in {c.value for c in FontChoice}:
        raise SettingsError(path, "[printing] font", f"取值 {_shown(raw)} 无效，应为 {choices}")
    security: dict[str, Any] = doc.get("security", {})
    minutes = security.get("auto_lock_minutes", AUTO_LOCK_DEFAULT_MINUTES)
    if (problem := auto_lock_problem(minutes)) is not None:
        raise SettingsError(path, "[security] auto_lock_minutes", f"取值 {_shown(minutes)} 无效：{problem}")
    return LocalSettings(printing=print_options(FontChoice(raw)), auto_lock_minutes=minutes, file=path)


# A lock after a minute of reading a long 笔录 would be a nuisance; beyond two hours the lock no longer
# guards a laptop left in a car or on a desk, which is what it is for.
AUTO_LOCK_MIN_MINUTES = 1
AUTO_LOCK_MAX_MINUTES = 120


def auto_lock_problem(minutes: object) -> str | None:
    """Why an auto-lock value is refused (Chinese), or None."""
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        return "应为整数分钟"
    if not AUTO_LOCK_MIN_MINUTES <= minutes <= AUTO_LOCK_MAX_MINUTES:
        return f"应在 {AUTO_LOCK_MIN_MINUTES}～{AUTO_LOCK_MAX_MINUTES} 分钟之间"
    return None


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _check_known(path: Path, doc: Mapping[str, Any]) -> None:
    for table, value in doc.items():
        if table not in KNOWN:
            tables = "、".join(f"[{t}]" for t in KNOWN)
            raise SettingsError(path, table, f"没有这个设置项（可以写的有：{tables}）")
        if not isinstance(value, dict):
            raise SettingsError(path, table, f"应写成一节 [{table}]，其下再写各项")
        for key in value:
            if key not in KNOWN[table]:
                keys = "、".join(KNOWN[table])
                raise SettingsError(
                    path, f"[{table}] {key}", f"没有这个设置项（[{table}] 下可以写的有：{keys}）"
                )


def render_settings_file(settings: LocalSettings) -> str:
    """settings.toml as set_print_font writes it (the whole file: it holds nothing else)."""
    return (
        "# FieldKit 本机设置（修改后重新打开程序生效）\n"
        "[printing]\n"
        f'font = "{settings.printing.font.value}"  # "bundled"：随程序附带的字体；"system"：系统的仿宋/宋体（Windows）\n'
        "[security]\n"
        f"auto_lock_minutes = {settings.auto_lock_minutes}  # 无操作多少分钟后自动锁定（1～120）\n"
    )


def _current_or_default(data_dir: Path) -> LocalSettings:
    """What the file says now, or the defaults when it is missing or unreadable (it is being replaced)."""
    try:
        return load_local_settings(data_dir)
    except SettingsError:
        return LocalSettings()


def _write(path: Path, new: LocalSettings, key: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_text(render_settings_file(new), encoding="utf-8")
        os.replace(temp, path)  # a crash leaves the old file or the new one, never half of one
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise SettingsError(path, key, f"无法保存（{exc.strerror or exc}）") from exc


def write_print_font(data_dir: Path, font: FontChoice) -> LocalSettings:
    """Write the font choice to `<data_dir>/settings.toml` (atomically, the whole file) and return what it
    now says. Needs no store, so it also replaces a settings file so bad the store cannot be opened."""
    path = data_dir / SETTINGS_FILE
    old = _current_or_default(data_dir)
    new = LocalSettings(printing=print_options(font), auto_lock_minutes=old.auto_lock_minutes, file=path)
    _write(path, new, "[printing] font")
    return new


def set_print_font(ctx: Context, font: FontChoice) -> Context:
    """Change the font documents print with: settings.toml is written and the returned Context prints with
    it. The old Context keeps its own frozen settings: whoever holds it prints as before until given the new
    one (the GUI, holding one Context, says the change takes effect when it is opened again)."""
    if ctx.read_only:
        raise StoreUnavailable(ctx.read_only_reason)
    return dataclasses.replace(ctx, settings=write_print_font(ctx.data_dir, font))


def set_auto_lock(ctx: Context, minutes: int) -> Context:
    """Change after how many idle minutes the window locks (an administrator's work, issue 13.1/13.2);
    settings.toml is written and the returned Context holds the new value."""
    from fieldkit.services import access

    access.require(ctx, Duty.SETTINGS)
    if ctx.read_only:
        raise StoreUnavailable(ctx.read_only_reason)
    path = ctx.data_dir / SETTINGS_FILE
    if (problem := auto_lock_problem(minutes)) is not None:
        raise SettingsError(path, "[security] auto_lock_minutes", f"取值 {_shown(minutes)} 无效：{problem}")
    new = dataclasses.replace(_current_or_default(ctx.data_dir), auto_lock_minutes=minutes, file=path)
    _write(path, new, "[security] auto_lock_minutes")
    return dataclasses.replace(ctx, settings=new)
