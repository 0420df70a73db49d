"""The command line prints with the data dir's settings.toml and refuses a bad one naming file and key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.cli import main
from fieldkit.printing import fonts
from fieldkit.services import settings
from tests.cli.test_cli import SETUP, run
from tests.examples import EXAMPLES
from tests.printing.conftest import fonts_of


def faces(path: Path) -> set[str]:
    return {name.split("+")[-1] for name, _ in fonts_of(path.read_bytes())}


@pytest.fixture
def system_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir asking for the system font on a Windows whose 仿宋 is unlike the bundled body face."""
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    shutil.copy(paths.resource_path("fonts", fonts.BOLD_FILE), windir / "Fonts" / "simfang.ttf")
    monkeypatch.setattr(settings.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    data = tmp_path / "d"
    data.mkdir()
    (data / "settings.toml").write_text('[printing]\nfont = "system"\n', encoding="utf-8")
    return data


def test_blank_and_render_use_the_settings_font_with_or_without_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, system_font: Path
) -> None:
    data, out = str(system_font), tmp_path / "out.pdf"
    assert run(capsys, "--data-dir", data, "blank", "xianchang_bilu", "-o", str(out))[0] == 0  # no store yet
    assert faces(out) == {"FieldKitSerifSC-Bold"}
    values = tmp_path / "values.json"
    values.write_text(json.dumps(EXAMPLES["zeling_gaizheng"], ensure_ascii=False), encoding="utf-8")
    assert (
        run(capsys, "--data-dir", data, "render", "zeling_gaizheng", "--data", str(values), "-o", str(out))[0]
        == 0
    )
    assert faces(out) == {"FieldKitSerifSC-Bold"}
    assert run(capsys, "--data-dir", data, *SETUP)[0] == 0
    assert (
        run(capsys, "--data-dir", data, "blank", "xianchang_bilu", "-o", str(out))[0] == 0
    )  # through the Context
    assert faces(out) == {"FieldKitSerifSC-Bold"}
    (system_font / "settings.toml").unlink()
    assert run(capsys, "--data-dir", data, "blank", "xianchang_bilu", "-o", str(out))[0] == 0
    assert "FieldKitSerifSC-Regular" in faces(out)


def test_a_bad_settings_file_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "settings.toml").write_text('[printing]\nfont = "仿宋"\n', encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), *SETUP)
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("错误：设置文件 ")
    assert str(data / "settings.toml") in err and '[printing] font：取值 "仿宋" 无效' in err
    assert not (data / "fieldkit.db").exists()
    out = tmp_path / "blank.pdf"
    code, _, err = run(capsys, "--data-dir", str(data), "blank", "xianchang_bilu", "-o", str(out))
    assert code != 0 and "[printing] font" in err and not out.exists()


def test_font_shows_and_sets_the_choice_and_repairs_a_bad_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "d"
    code, out, _ = run(capsys, "--data-dir", str(data), "font")
    assert code == 0 and out.strip() == "当前文书字体：随程序附带的字体（未设置，默认）"
    (data / "settings.toml").write_text('[printing]\nfont = "仿宋"\n', encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "font")
    assert code != 0 and "[printing] font" in err
    code, out, _ = run(capsys, "--data-dir", str(data), "font", "bundled")  # no store needed to repair it
    assert code == 0 and out.startswith("已设置文书字体：随程序附带的字体")
    assert not (data / "fieldkit.db").exists()
    assert run(capsys, "--data-dir", str(data), *SETUP)[0] == 0  # opens again
    code, out, _ = run(capsys, "--data-dir", str(data), "font", "system", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["font"] == "system" and shown["file"] == str(data / "settings.toml")
    assert settings.load_local_settings(data).printing.font == "system"
    with pytest.raises(SystemExit) as refused:  # argparse refuses it, in Chinese
        main(["--data-dir", str(data), "font", "fancy"])
    assert refused.value.code == 2 and "fancy" in capsys.readouterr().err
