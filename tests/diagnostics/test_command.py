import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from diagnostics.models import DiagnosticRun
from tests.platforms.factories import StoreMetricsSnapshotFactory
from tests.shipments.factories import create_shipment

from .scenarios import refuse_then_diagnose, store_ready

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("diagnose", *args, stdout=out)
    return out.getvalue()


JSON_KEYS = {
    "order_number",
    "seller",
    "root_cause",
    "shipment",
    "now_refused_by",
    "metrics_as_of",
    "metrics_stale",
    "checks",
}


def test_json_has_exactly_its_keys_and_every_check():
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="CMD-1")

    data = json.loads(_run("CMD-1", "--json"))

    assert set(data) == JSON_KEYS
    assert data["shipment"] is None
    assert data["now_refused_by"] == "store_not_bound"
    assert data["order_number"] == "CMD-1"
    assert data["seller"] == store.seller.pk
    assert data["root_cause"] == "store_not_bound"
    from core.gate import gate

    assert [c["code"] for c in data["checks"]] == gate.codes()
    assert all(set(c) == {"code", "status", "evidence", "fix"} for c in data["checks"])
    unbound = next(c for c in data["checks"] if c["code"] == "store_not_bound")
    assert unbound["status"] == "fail"
    assert unbound["evidence"]["store_id"] == store.platform_store_id
    assert "菜鸟经络速通" in unbound["fix"]
    assert next(c for c in data["checks"] if c["code"] == "dsr_frozen")["fix"] is None
    assert DiagnosticRun.objects.filter(source="command").count() == 1


def test_a_passing_order_has_a_null_root_cause():
    store = store_ready()
    create_shipment(store, order_number="CMD-OK")
    assert json.loads(_run("CMD-OK", "--json"))["root_cause"] is None


def test_a_created_order_is_accepted_with_its_price_and_names_no_root_cause():
    """Issue 13, item 16: an order created as a shipment was never refused. What a new
    order would hit now (the store unbound since) is said apart, as ``now_refused_by``."""
    store = store_ready()
    shipment = create_shipment(store, order_number="CMD-DONE")
    StoreMetricsSnapshotFactory(
        platform=store.platform,
        store_id=store.platform_store_id,
        as_of=datetime.date(2024, 8, 2),
        store_bound=False,
    )

    data = json.loads(_run("CMD-DONE", "--json"))
    text = _run("CMD-DONE")

    assert data["root_cause"] is None
    assert data["now_refused_by"] == "store_not_bound"
    assert data["shipment"] == {
        "tracking_number": shipment.tracking_number,
        "created_at": shipment.created_at.isoformat(),
        "price": "28.50",
        "charge": "28.50",
        "is_trial": False,
    }
    assert "Accepted: created as shipment" in text
    assert "Root cause" not in text
    assert "A new order would be refused now by: store_not_bound" in text
    assert DiagnosticRun.objects.filter(order_number="CMD-DONE").first().root_cause == ""


def test_text_output_names_the_cause_and_the_fix():
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="CMD-T")
    out = _run("CMD-T")
    assert "FAIL  store_not_bound" in out
    assert "Root cause: store_not_bound" in out


def test_an_order_of_two_sellers_needs_seller():
    first, second = store_ready(bound=False), store_ready()
    refuse_then_diagnose(first, order_number="CMD-AMB")
    refuse_then_diagnose(second, order_number="CMD-AMB", country="RU", postcode="101000")

    with pytest.raises(CommandError) as error:
        _run("CMD-AMB")
    assert f"#{first.seller.pk}" in str(error.value) and f"#{second.seller.pk}" in str(error.value)

    data = json.loads(_run("CMD-AMB", "--seller", str(second.seller.pk), "--json"))
    assert data["root_cause"] == "lane_not_served"


def test_not_found_exits_non_zero():
    store = store_ready()
    with pytest.raises(CommandError):
        _run("NOPE")
    with pytest.raises(CommandError):
        _run("NOPE", "--seller", str(store.seller.pk))
    with pytest.raises(CommandError):
        _run("NOPE", "--seller", "999999")
