"""settings.toml is read once, when the Context opens, into a frozen value prints take their options from."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.errors import StoreUnavailable
from fieldkit.printing import fonts
from fieldkit.printing.options import FontChoice, PrintOptions, SystemFont
from fieldkit.services import documents as docs
from fieldkit.services import settings
from fieldkit.services.context import Context, open_context
from fieldkit.services.settings import SettingsError, load_local_settings, set_print_font
from tests.printing.conftest import fonts_of
from tests.services.test_documents import make_inspection


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / settings.SETTINGS_FILE).write_text(text, encoding="utf-8")
    return folder


def faces(pdf: bytes) -> set[str]:
    return {name.split("+")[-1] for name, _ in fonts_of(pdf)}


@pytest.fixture
def windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Windows machine whose 仿宋 is a face unlike the bundled body font (the bundled bold stands in)."""
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    shutil.copy(paths.resource_path("fonts", fonts.BOLD_FILE), windir / "Fonts" / "simfang.ttf")
    monkeypatch.setattr(settings.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    return windir / "Fonts"


def test_no_settings_file_means_the_bundled_font(tmp_path):
    loaded = load_local_settings(tmp_path)
    assert loaded.printing == PrintOptions(FontChoice.BUNDLED, ())
    assert loaded.file is None


def test_system_font_setting_names_the_windows_faces(tmp_path, windows):
    loaded = load_local_settings(write(tmp_path, '[printing]\nfont = "system"\n'))
    assert loaded.printing.font == FontChoice.SYSTEM
    assert loaded.printing.system_fonts == (
        SystemFont(windows / "simfang.ttf"),
        SystemFont(windows / "simsun.ttc"),
    )
    assert loaded.file == tmp_path / settings.SETTINGS_FILE


def test_system_font_elsewhere_looks_for_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(settings.sys, "platform", "linux")
    loaded = load_local_settings(write(tmp_path, '[printing]\nfont = "system"\n'))
    assert loaded.printing == PrintOptions(FontChoice.SYSTEM, ())


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[printing]\nfont = "fancy"\n', "[printing] font", ('"fancy"', '"bundled"', '"system"')),
        ("[printing]\nfont = 3\n", "[printing] font", ("3", '"bundled"')),
        ('[printing]\nfonts = "system"\n', "[printing] fonts", ("没有这个设置项", "font")),
        ('[print]\nfont = "system"\n', "print", ("没有这个设置项", "[printing]")),
        ('printing = "system"\n', "printing", ("[printing]",)),
        ("[printing\n", "第 1 行", ("TOML 格式错误",)),  # the catalog reader names the line in Chinese
        ("[security]\nauto_lock_minutes = 0\n", "[security] auto_lock_minutes", ("0", "1～120 分钟")),
        ("[security]\nauto_lock_minutes = 500\n", "[security] auto_lock_minutes", ("500", "1～120")),
        ('[security]\nauto_lock_minutes = "5"\n', "[security] auto_lock_minutes", ('"5"', "整数分钟")),
        ("[security]\nauto_lock_minutes = 2.5\n", "[security] auto_lock_minutes", ("2.5", "整数分钟")),
        ("[security]\nautolock = 5\n", "[security] autolock", ("没有这个设置项", "auto_lock_minutes")),
    ],
)
def test_a_bad_settings_file_is_refused_naming_file_and_key(tmp_path, text, key, words):
    write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_local_settings(tmp_path)
    err = caught.value
    assert err.file == tmp_path / settings.SETTINGS_FILE and err.key == key
    message = str(err)
    assert str(tmp_path / settings.SETTINGS_FILE) in message and key in message
    assert all(w in message for w in words), message


def test_a_settings_file_not_in_utf8_is_refused(tmp_path):
    (tmp_path / settings.SETTINGS_FILE).write_bytes('[printing]\nfont = "system" # 仿宋\n'.encode("gbk"))
    with pytest.raises(SettingsError, match="UTF-8"):
        load_local_settings(tmp_path)


def test_a_bad_settings_file_stops_the_context_before_anything_is_opened(tmp_path):
    data = write(tmp_path / "data", '[printing]\nfont = "仿宋"\n')
    with pytest.raises(SettingsError, match=r"\[printing\] font"):
        open_context(data)
    assert not (data / "fieldkit.db").exists()


def test_the_context_holds_the_settings_read_when_it_opened(tmp_path, windows):
    data = write(tmp_path / "data", '[printing]\nfont = "system"\n')
    ctx = open_context(data)
    assert ctx.settings.printing.font == FontChoice.SYSTEM
    write(data, '[printing]\nfont = "bundled"\n')  # edited while running: takes effect on the next open
    assert ctx.settings.printing.font == FontChoice.SYSTEM
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.settings = ctx.settings  # type: ignore[misc]
    assert open_context(data).settings.printing.font == FontChoice.BUNDLED


def test_changing_the_font_writes_the_file_and_gives_a_new_context(ctx: Context, windows):
    assert ctx.settings.printing.font == FontChoice.BUNDLED
    changed = set_print_font(ctx, FontChoice.SYSTEM)
    assert changed.settings.printing.font == FontChoice.SYSTEM
    assert changed.settings.printing.system_fonts[0].path == windows / "simfang.ttf"
    assert ctx.settings.printing.font == FontChoice.BUNDLED  # the old value is unchanged
    assert changed.sessions is ctx.sessions and changed.device_id == ctx.device_id
    assert load_local_settings(ctx.data_dir) == changed.settings  # what the next start reads
    assert not list(ctx.data_dir.glob("*.tmp"))
    back = set_print_font(changed, FontChoice.BUNDLED)
    assert load_local_settings(ctx.data_dir).printing == back.settings.printing == PrintOptions()


def test_a_read_only_context_cannot_change_settings(ctx: Context):
    frozen = dataclasses.replace(ctx, read_only_reason="数据目录只读")
    with pytest.raises(StoreUnavailable):
        set_print_font(frozen, FontChoice.SYSTEM)
    assert not (ctx.data_dir / settings.SETTINGS_FILE).exists()


def test_documents_print_with_the_contexts_options_not_the_files(set_up_ctx: Context, windows):
    """Preview, print and blank copies take the font from the Context; the settings file on disk (changed
    after the Context opened) is not read behind its back."""
    document_id = docs.create_document(set_up_ctx, "xianchang_bilu", make_inspection(set_up_ctx))
    write(set_up_ctx.data_dir, '[printing]\nfont = "system"\n')  # not read: the context opened without it
    assert faces(docs.preview(set_up_ctx, document_id).pdf) >= {"FieldKitSerifSC-Regular"}
    assert "FieldKitSerifSC-Regular" in faces(docs.blank_pdf(set_up_ctx, "xianchang_bilu")[0])
    system = set_print_font(set_up_ctx, FontChoice.SYSTEM)
    assert faces(docs.preview(system, document_id).pdf) == {"FieldKitSerifSC-Bold"}  # the "仿宋" body
    assert faces(docs.blank_pdf(system, "xianchang_bilu")[0]) == {"FieldKitSerifSC-Bold"}
    # without a store, the caller passes the data dir's options
    no_store = load_local_settings(set_up_ctx.data_dir).printing
    assert faces(docs.blank_pdf(None, "xianchang_bilu", options=no_store)[0]) == {"FieldKitSerifSC-Bold"}


# ---- auto-lock (issue 13.2) ------------------------------------------------------------------------
def test_auto_lock_defaults_to_five_minutes_and_is_read_from_the_file(tmp_path):
    assert load_local_settings(tmp_path).auto_lock_minutes == 5  # AUTO_LOCK_DEFAULT_MINUTES
    loaded = load_local_settings(write(tmp_path, "[security]\nauto_lock_minutes = 15\n"))
    assert loaded.auto_lock_minutes == 15 and loaded.printing.font == FontChoice.BUNDLED


def test_changing_auto_lock_keeps_the_font_and_the_other_way_round(ctx: Context, windows):
    ctx = set_print_font(ctx, FontChoice.SYSTEM)
    changed = settings.set_auto_lock(ctx, 10)
    assert changed.settings.auto_lock_minutes == 10
    again = load_local_settings(ctx.data_dir)
    assert (again.auto_lock_minutes, again.printing.font) == (10, FontChoice.SYSTEM)
    set_print_font(changed, FontChoice.BUNDLED)
    assert load_local_settings(ctx.data_dir).auto_lock_minutes == 10  # the font change kept it
    with pytest.raises(SettingsError, match="1～120"):
        settings.set_auto_lock(ctx, 0)
    assert load_local_settings(ctx.data_dir).auto_lock_minutes == 10


def test_only_an_administrator_changes_auto_lock(set_up_ctx: Context):
    from fieldkit.services import access
    from fieldkit.services.access import NotAllowed
    from tests.rawdb import TEST_PASSWORD

    ids = [access.officer_id_by_cert(set_up_ctx, c) for c in ("37130219001", "37130219002")]
    access.set_password(set_up_ctx, ids[0], TEST_PASSWORD)  # the first password: 管理员
    access.set_password(set_up_ctx, ids[1], TEST_PASSWORD)
    access.check_password(set_up_ctx, ids[1], TEST_PASSWORD)  # 李晓梅, 执法人员, at the lock screen
    with pytest.raises(NotAllowed, match="无权修改设置"):
        settings.set_auto_lock(set_up_ctx, 30)
    access.check_password(set_up_ctx, ids[0], TEST_PASSWORD)
    assert settings.set_auto_lock(set_up_ctx, 30).settings.auto_lock_minutes == 30
