import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from diagnostics.models import DiagnosticRun
from tests.shipments.factories import create_shipment

from .scenarios import refuse_then_diagnose, store_ready

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("diagnose", *args, stdout=out)
    return out.getvalue()


def test_json_has_exactly_the_four_keys_and_every_check():
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="CMD-1")

    data = json.loads(_run("CMD-1", "--json"))

    assert set(data) == {"order_number", "seller", "root_cause", "checks"}
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
