"""Both catalogues are complete, and no string in the code is missing from them."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import base as base_settings

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("zh_Hans", "en")
}
# What makemessages reads: every local app (a new app is in by being installed) and `ocr`,
# the OCR package the onboarding workers run (no Django app: its reasons are translated).
SOURCES = ["manage.py", "config", "templates", "locale", "ocr", *base_settings.LOCAL_APPS]


def _makemessages_args() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    return re.search(r"^MAKEMESSAGES_ARGS := (.+)$", makefile, re.M).group(1).split()


def _msgids(po: Path) -> set[str]:
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(re.findall(r'^msgid "(.+)"$', out, re.M))


@pytest.mark.parametrize("lang", CATALOGUES)
def test_catalogue_is_fully_translated(lang):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUES[lang])],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


def test_catalogues_hold_every_string_in_the_code(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, tmp_path / name)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *_makemessages_args()],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(tmp_path),
        },
    )

    for lang, committed in CATALOGUES.items():
        extracted = _msgids(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")
        assert extracted == _msgids(committed), f"run `make translations` and translate ({lang})"
