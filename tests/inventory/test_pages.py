"""The seller's pages and operations' admin: each page, each form's good and bad input (on
its field, nothing written), query budgets that do not grow with the rows."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inventory.models import (
    Inbound,
    InboundStatus,
    PresaleLock,
    RoutedOrder,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)
from inventory.services import SkuQuantity, inbound_declare
from pricing.models import Origin, OriginKind
from pricing.services import origin_create
from shipments.models import Shipment
from tests.billing.factories import instant_store

from .factories import sku, stock_in, warehouse
from .helpers import assert_invariants, levels, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return instant_store(balance="2000.00")


@pytest.fixture
def owner(store):
    from tests.accounts.factories import SellerUserFactory

    return SellerUserFactory(seller=store.seller)


@pytest.fixture
def page(client, owner):
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ops(client, ops_user):
    client.force_login(ops_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _stocked(seller, rows: int = 1):
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    for n in range(rows):
        item = sku(seller, f"S{n:03d}")
        stock_in(lax, item, 3)
        stock_in(nj, item, 2)
    return lax, nj


@pytest.mark.parametrize("rows", [1, 6])
def test_every_page_has_a_query_budget_that_does_not_grow(
    page, store, rows, django_assert_max_num_queries
):
    _stocked(store.seller, rows)
    for n in range(rows):
        route(store.seller, f"AE-{n}", f"S{n:03d}:1")
    routed = RoutedOrder.objects.order_by("pk").first()
    notice = Inbound.objects.filter(seller=store.seller).first()
    movement_row = Stock.objects.filter(sku__seller=store.seller).first()
    budgets = {
        reverse("inventory:stock"): 8,
        reverse("inventory:movements", args=[movement_row.pk]): 8,
        reverse("inventory:skus"): 8,
        reverse("inventory:inbound"): 9,
        reverse("inventory:inbound_detail", args=[notice.pk]): 8,
        reverse("inventory:locks"): 9,
        reverse("inventory:forecast"): 9,
        reverse("inventory:route"): 7,
        reverse("inventory:orders"): 9,
        reverse("inventory:order", args=[routed.pk]): 12,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = page.get(url)
        assert response.status_code == 200, url


def test_a_seller_adds_a_sku_and_a_bad_one_is_refused_on_its_field(page, store):
    good = {
        "code": "TS-001", "name_en": "Cotton T-shirt", "name_zh": "棉质T恤", "hs_code": "6109.10",
        "unit_weight_g": "200", "unit_value": "12.50", "currency": "USD", "origin_country": "CN",
    }  # fmt: skip
    assert page.post(reverse("inventory:skus"), good).status_code == 302
    assert Sku.objects.get(seller=store.seller).hs_code == "610910"

    again = page.post(reverse("inventory:skus"), good)
    assert again.context["form"].errors["code"] == ["You already have a SKU TS-001."]
    bad = page.post(reverse("inventory:skus"), {**good, "code": "TS-2", "hs_code": "61A"})
    assert "6 to 10 digits" in bad.context["form"].errors["hs_code"][0]
    assert Sku.objects.count() == 1


def test_a_seller_declares_an_inbound_notice(page, store):
    lax = warehouse("US-LAX")
    sku(store.seller, "TS-001")
    response = page.post(
        reverse("inventory:inbound"),
        {"warehouse": lax.pk, "reference": "MSKU123", "lines": "TS-001:12"},
    )
    notice = Inbound.objects.get()
    assert response["Location"] == reverse("inventory:inbound_detail", args=[notice.pk])
    assert levels(lax, Sku.objects.get()) == (0, 0, 12, 0)

    bad = page.post(reverse("inventory:inbound"), {"warehouse": lax.pk, "lines": "NOPE:3"})
    assert "Unknown SKU: NOPE" in bad.context["form"].errors["lines"][0]
    zero = page.post(reverse("inventory:inbound"), {"warehouse": lax.pk, "lines": "TS-001:0"})
    assert "whole number" in zero.context["form"].errors["lines"][0]
    assert Inbound.objects.count() == 1


def test_a_seller_locks_stock_and_a_lock_too_big_is_refused(page, store):
    lax, _nj = _stocked(store.seller)
    item = Sku.objects.get(seller=store.seller)
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    form = {
        "campaign": "bf2026", "campaign_name": "Black Friday", "warehouse": lax.pk,
        "sku": item.pk, "quantity": "2", "expires_on": expires_on.isoformat(),
    }  # fmt: skip
    assert page.post(reverse("inventory:locks"), form).status_code == 302
    lock = PresaleLock.objects.get()
    assert (lock.campaign.code, lock.held) == ("BF2026", 2)

    too_big = page.post(reverse("inventory:locks"), {**form, "quantity": "5"})
    assert "Only 1 of S000 are free" in too_big.context["form"].errors["quantity"][0]
    assert PresaleLock.objects.count() == 1

    assert page.post(reverse("inventory:lock_release", args=[lock.pk])).status_code == 302
    lock.refresh_from_db()
    assert lock.status == "released"


ORDER = {
    "order_number": "AE-900", "lines": "A:1\nB:1", "policy": "fill_or_kill", "max_splits": "3",
    "name": "Jane Doe", "address": "1 Market St", "city": "San Francisco", "state": "CA",
    "postcode": "94105", "country": "US",
}  # fmt: skip


def test_a_seller_checks_then_routes_an_order_that_splits(page, store):
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    stock_in(lax, sku(store.seller, "A"), 1)
    stock_in(nj, sku(store.seller, "B"), 1)

    checked = page.post(reverse("inventory:route"), {**ORDER, "dry_run": "1"})
    assert [a.warehouse for a in checked.context["result"].allocations] == ["US-LAX", "US-NJ"]
    assert not RoutedOrder.objects.exists()

    routed = page.post(reverse("inventory:route"), ORDER)
    order = RoutedOrder.objects.get()
    assert routed["Location"] == reverse("inventory:order", args=[order.pk])
    html = page.get(routed["Location"]).content.decode()
    assert "AE-900/1" in html and "AE-900/2" in html and 'id="order-labels"' in html

    ids = list(Shipment.objects.order_by("pk").values_list("pk", flat=True))
    labels = page.post(reverse("shipments:labels"), {"ids": ids})
    assert labels["Content-Type"] == "application/pdf"

    assert page.post(reverse("inventory:order_cancel", args=[order.pk])).status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert_invariants()


def test_a_refused_route_is_shown_with_its_fix(page, store):
    lax = warehouse("US-LAX")
    stock_in(lax, sku(store.seller, "A"), 1)
    sku(store.seller, "B")
    response = page.post(reverse("inventory:route"), ORDER)
    assert response.status_code == 200
    assert response.context["refusal"].code == "stock_insufficient"
    assert 'data-code="stock_insufficient"' in response.content.decode()
    bad = page.post(reverse("inventory:route"), {**ORDER, "lines": "A:1,NOPE:2"})
    assert "Unknown SKU: NOPE" in bad.context["form"].errors["lines"][0]


def test_the_forecast_page_explains_its_method(page, store):
    _stocked(store.seller)
    html = page.get(reverse("inventory:forecast"), {"target_days": "45"}).content.decode()
    assert 'id="forecast-method"' in html and "To send for 45 days" in html
    bad = page.get(reverse("inventory:forecast"), {"target_days": "0"})
    assert bad.status_code == 200 and bad.context["target"] == 30


def test_operations_receive_an_inbound_notice_in_two_parts(ops, store):
    lax = warehouse("US-LAX")
    item = sku(store.seller, "A")
    notice = inbound_declare(seller=store.seller, warehouse=lax, lines=[SkuQuantity("A", 10)])
    line = notice.lines.get()
    url = reverse("admin:inventory_inbound_receive", args=[notice.pk])
    assert ops.get(url).status_code == 200

    too_many = ops.post(url, {f"line_{line.pk}": "11"})
    assert "Receive at most 10" in str(too_many.context["form"].non_field_errors())
    ops.post(url, {f"line_{line.pk}": "4"})
    ops.post(url, {f"line_{line.pk}": "5", "close": "on", "note": "1 lost"})

    notice.refresh_from_db()
    line.refresh_from_db()
    assert (notice.status, line.received, line.difference) == (InboundStatus.CLOSED, 9, 1)
    assert levels(lax, item) == (9, 0, 0, 0)
    assert ops.get(reverse("admin:inventory_inbound_changelist")).status_code == 200


def test_operations_adjust_stock_and_check_it_against_its_movements(ops, store):
    lax, _nj = _stocked(store.seller)
    row = Stock.objects.get(warehouse=lax)
    url = reverse("admin:inventory_stock_adjust", args=[row.pk])
    refused = ops.post(url, {"delta": "-4", "reason": "stocktake"})
    assert "Only 3 units are free" in str(refused.context["form"].errors)
    ops.post(url, {"delta": "-1", "reason": "damaged in the stocktake"})
    assert levels(lax, row.sku) == (2, 0, 0, 0)
    assert StockMovement.objects.filter(kind="adjusted").get().reason == "damaged in the stocktake"

    changelist = reverse("admin:inventory_stock_changelist")
    response = ops.post(changelist, {"action": "audit", "_selected_action": [row.pk]}, follow=True)
    assert "Every stock level equals the sum of its movements" in response.content.decode()
    for name in ("warehouse", "sku", "stock", "stockmovement", "presalelock", "routedorder"):
        assert ops.get(reverse(f"admin:inventory_{name}_changelist")).status_code == 200


def test_finance_may_view_stock_but_not_receive(client, finance_user, store):
    lax = warehouse("US-LAX")
    sku(store.seller, "A")
    notice = inbound_declare(seller=store.seller, warehouse=lax, lines=[SkuQuantity("A", 1)])
    client.force_login(finance_user)
    assert client.get(reverse("admin:inventory_stock_changelist")).status_code == 200
    url = reverse("admin:inventory_inbound_receive", args=[notice.pk])
    assert client.get(url).status_code == 403


def test_operations_open_a_warehouse_on_its_origin(ops):

    origin = origin_create(
        code="wh-gbbhx", name="UK (Birmingham)", kind=OriginKind.WAREHOUSE, country="GB"
    )
    add = reverse("admin:inventory_warehouse_add")
    form = {
        "code": "GB-BHX", "name": "UK (Birmingham)", "country": "GB", "serves": "gb, ie",
        "cutoff": "14:00", "time_zone": "Europe/London", "origin": origin.code, "is_active": "on",
    }  # fmt: skip
    bad = ops.post(add, {**form, "serves": "GB, Ireland"})
    assert "Not ISO country codes: IRELAND." in str(bad.context["adminform"].form.errors)
    china = Origin.objects.get(code="east")
    wrong = ops.post(add, {**form, "origin": china.code})
    assert "origin" in wrong.context["adminform"].form.errors
    assert ops.post(add, form).status_code == 302
    opened = Warehouse.objects.get(code="GB-BHX")
    assert (opened.serves, opened.origin_id) == (["GB", "IE"], "wh-gbbhx")
