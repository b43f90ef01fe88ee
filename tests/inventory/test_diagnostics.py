"""The tool explains a refused route from its order number alone, with the gate's stock
checks: the warehouse and each line's shortfall, or the campaign's expired lock; a routed
parcel's shipment passes them (its stock is allocated to it)."""

import datetime

import pytest
from django.utils import timezone

from core.gate import CheckStatus, gate
from diagnostics.services import order_diagnose
from inventory.exceptions import RouteRefused
from inventory.services import (
    campaign_get_or_create,
    presale_lock_create,
    presale_locks_expire,
)
from shipments.models import RefusedOrder
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse
from .helpers import PARIS, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return instant_store(balance="500.00").seller


def _step(diagnosis, code):
    return next(step for step in diagnosis.steps() if step.code == code)


def test_a_route_refused_for_stock_is_explained_by_its_number(seller):
    lax = warehouse("US-LAX")
    a = sku(seller, "A")
    stock_in(lax, a, 1)
    with pytest.raises(RouteRefused):
        route(seller, "AE-1", "A:3")

    diagnosis = order_diagnose(seller=seller, order_number="AE-1")

    assert diagnosis.refusal.check_code == "stock_insufficient"
    assert diagnosis.root_cause.code == "stock_insufficient"
    step = _step(diagnosis, "stock_insufficient")
    assert step.message == "Warehouse US-LAX is short of A (1 of 3)."
    assert ("Overseas warehouse", "US-LAX") in step.evidence
    assert step.fix_url == "/inventory/"
    assert _step(diagnosis, "presale_lock_expired").status == CheckStatus.SKIPPED
    # The stock arrives: the tool says it would pass now.
    stock_in(lax, a, 2)
    assert order_diagnose(seller=seller, order_number="AE-1", record=False).passes


def test_a_route_whose_campaign_lock_expired_is_explained(seller):
    fra = warehouse("DE-FRA")
    a = sku(seller, "A")
    stock_in(fra, a, 5)
    campaign = campaign_get_or_create(seller=seller, code="BF2026")
    now = timezone.now()
    presale_lock_create(
        campaign=campaign,
        warehouse=fra,
        sku=a,
        quantity=3,
        expires_at=now + datetime.timedelta(hours=1),
        at=now,
    )
    presale_locks_expire(now=now + datetime.timedelta(hours=2))
    later = now + datetime.timedelta(hours=3)

    with pytest.raises(RouteRefused) as refused:
        route(seller, "AE-2", "A:1", to=PARIS, campaign="BF2026", at=later)

    assert refused.value.code == "presale_lock_expired"
    record = RefusedOrder.objects.get(order_number="AE-2")
    assert record.parcel["campaign"] == "BF2026" and record.parcel["origin"] == "wh-defra"
    diagnosis = order_diagnose(seller=seller, order_number="AE-2", at=later)
    assert diagnosis.root_cause.code == "presale_lock_expired"
    assert "BF2026" in _step(diagnosis, "presale_lock_expired").message
    assert _step(diagnosis, "presale_lock_expired").fix_url == "/inventory/locks/"


def test_a_routed_parcel_passes_the_stock_checks(seller):
    lax = warehouse("US-LAX")
    a = sku(seller, "A")
    stock_in(lax, a, 2)
    route(seller, "AE-3", "A:2")  # takes every unit

    diagnosis = order_diagnose(seller=seller, order_number="AE-3/1")

    assert diagnosis.passes
    assert _step(diagnosis, "stock_insufficient").status == CheckStatus.PASS


def test_a_parcel_from_china_is_not_the_stock_checks_matter():
    assert [gate.get(code).position for code in ("presale_lock_expired", "stock_insufficient")] == [
        9,
        10,
    ]
    from tests.shipments.factories import parcel, store_ready

    store = store_ready()
    ctx = gate.context(seller=store.seller, store=store, parcel=parcel(), order_number="X")
    assert ctx.facts.stock is None
    outcomes = {o.code: o.status for o in gate.run(ctx, trace=True).outcomes}
    assert outcomes["stock_insufficient"] == outcomes["presale_lock_expired"] == "skipped"
