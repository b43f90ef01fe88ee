"""``route_order`` with the issue's arguments and JSON keys, and ``stock_audit``."""

import json

import pytest
from django.core.management import CommandError, call_command

from inventory.models import RoutedOrder, StockMovement
from shipments.models import Shipment
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse

pytestmark = pytest.mark.django_db
KEYS = ["order_number", "policy", "allocations", "unallocated", "reasons", "seconds"]


@pytest.fixture
def seller():
    seller = instant_store(balance="500.00").seller
    fra = warehouse("DE-FRA")
    stock_in(fra, sku(seller, "SKU-1"), 5)
    stock_in(fra, sku(seller, "SKU-2"), 1)
    return seller


def _run(capsys, *args):
    call_command("route_order", *args)
    return json.loads(capsys.readouterr().out)


def test_a_dry_run_prints_the_six_keys(seller, capsys):
    data = _run(
        capsys,
        "--seller", str(seller.pk), "--country", "DE", "--postcode", "10115",
        "--lines", "SKU-1:2,SKU-2:1", "--dry-run", "--json",
    )  # fmt: skip

    assert list(data) == KEYS
    assert data["order_number"].startswith("CLI-")
    assert data["policy"] == "fill_or_kill"
    assert data["allocations"] == [
        {
            "warehouse": "DE-FRA",
            "lines": [
                {"sku": "SKU-1", "quantity": 2, "from_lock": 0},
                {"sku": "SKU-2", "quantity": 1, "from_lock": 0},
            ],
            "tracking_number": None,
        }
    ]
    assert data["unallocated"] == []
    assert data["reasons"] == [
        {
            "warehouse": "DE-FRA",
            "chosen": True,
            "code": "chosen",
            "reason": data["reasons"][0]["reason"],
        }
    ]
    assert "SKU-1 ×2" in data["reasons"][0]["reason"]
    assert isinstance(data["seconds"], float) and data["seconds"] < 3
    assert not RoutedOrder.objects.exists() and not Shipment.objects.exists()


def test_a_route_ships_and_prints_tracking_numbers(seller, capsys):
    data = _run(
        capsys,
        "--seller", str(seller.pk), "--country", "DE", "--postcode", "10115",
        "--lines", "SKU-1:6,SKU-2:1", "--policy", "fill_all_available", "--json",
        "--order-number", "AE-CLI-1", "--recipient", "Max Muster; Invalidenstr. 1; Berlin",
    )  # fmt: skip

    (allocation,) = data["allocations"]
    shipment = Shipment.objects.get(tracking_number=allocation["tracking_number"])
    assert shipment.order_number == "AE-CLI-1/1"
    assert data["unallocated"] == [{"sku": "SKU-1", "quantity": 1}]
    assert [r["code"] for r in data["reasons"]] == ["chosen", "from_china"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lines", "NOPE:1"], "Unknown SKU: NOPE"),
        (["--lines", "SKU-1:0"], "whole number"),
        (["--lines", "SKU-1"], "SKU:quantity"),
        (["--country", "BR", "--postcode", "01000-000"], "No warehouse of ours ships to BR"),
        (["--seller", "abc"], "--seller"),
        (["--seller", "999999"], "no seller"),
    ],
)
def test_bad_input_exits_non_zero_and_changes_nothing(seller, args, message):
    base = {"--seller": str(seller.pk), "--country": "DE", "--postcode": "10115"}
    base["--lines"] = "SKU-1:1"
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    movements = StockMovement.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("route_order", *[part for pair in base.items() for part in pair], "--dry-run")
    assert StockMovement.objects.count() == movements


def test_a_refusal_exits_2_with_the_six_keys(seller, capsys):
    with pytest.raises(CommandError) as refused:
        call_command(
            "route_order",
            "--seller", str(seller.pk), "--country", "DE", "--postcode", "10115",
            "--lines", "SKU-2:4", "--dry-run", "--json",
        )  # fmt: skip
    assert refused.value.returncode == 2
    data = json.loads(capsys.readouterr().out)
    assert list(data) == KEYS
    assert data["allocations"] == []
    assert data["reasons"][0]["code"] == "stock_insufficient"


def test_stock_audit_says_ok_and_finds_a_level_changed_behind_its_back(seller, capsys):
    call_command("stock_audit")
    assert capsys.readouterr().out.startswith("ok: 2 stock rows")

    from inventory.models import Stock

    Stock.objects.filter(sku__code="SKU-1").update(on_hand=9)  # not through a service
    with pytest.raises(CommandError, match="problem"):
        call_command("stock_audit")
    assert "on_hand = 9, movements say 5" in capsys.readouterr().err
