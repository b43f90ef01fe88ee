import json

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.utils import translation

pytestmark = pytest.mark.django_db

ARTICLE = ["--origin", "east", "--country", "US", "--postcode", "94105", "--weight-g", "500"]


def test_json_output_is_exact(capsys):
    call_command("quote", *ARTICLE, "--date", "2024-08-15", "--json")

    assert json.loads(capsys.readouterr().out) == {
        "lane": "east/us-west/standard",
        "chargeable_weight_g": 500,
        "base": "28.50",
        "fulfillment_adjustment": "0.00",
        "peak_adjustment": "0.00",
        "green_discount": "0.00",
        "total": "28.50",
    }


def test_json_output_with_everything(capsys):
    call_command(
        "quote",
        *ARTICLE,
        "--dims",
        "30x20x10",
        "--score",
        "95",
        "--date",
        "2024-11-11",
        "--green",
        "--json",
    )

    assert json.loads(capsys.readouterr().out) == {
        "lane": "east/us-west/standard",
        "chargeable_weight_g": 750,
        "base": "37.20",
        "fulfillment_adjustment": "0.28",
        "peak_adjustment": "4.80",
        "green_discount": "-1.27",
        "total": "41.01",
    }


def test_text_output_shows_the_breakdown(capsys):
    call_command("quote", *ARTICLE, "--date", "2024-08-15")

    out = capsys.readouterr().out
    assert "east/us-west/standard" in out
    assert "total                        ¥28.50" in out


def test_default_date_is_today_in_shanghai(capsys, monkeypatch):
    from datetime import date

    from pricing.management.commands import quote as command

    monkeypatch.setattr(command, "today_shanghai", lambda: date(2024, 12, 1))
    call_command("quote", *ARTICLE, "--json")

    assert json.loads(capsys.readouterr().out)["total"] == "32.15"


def test_a_refusal_exits_non_zero_with_the_reason_on_stderr(capsys):
    with pytest.raises(SystemExit) as exited, translation.override("en"):
        execute_from_command_line(
            ["manage.py", "quote", "--origin", "east", "--country", "RU", "--weight-g", "500"]
        )

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No line serves Russia" in captured.err


@pytest.mark.parametrize(
    "args",
    [
        [*ARTICLE[:-1], "0"],
        [*ARTICLE, "--dims", "20x15"],
        [*ARTICLE, "--dims", "20x15x300"],
        ["--origin", "east", "--country", "US", "--weight-g", "500"],
        [*ARTICLE, "--date", "2024-07-31"],
    ],
)
def test_bad_input_is_refused(args):
    with pytest.raises(CommandError) as refused:
        call_command("quote", *args)
    assert refused.value.returncode == 1
