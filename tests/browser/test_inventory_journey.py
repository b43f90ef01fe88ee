"""Overseas warehouses in a real browser (issue 16): a seller declares goods on their way to
the US West warehouse, operations receive them in the admin, the seller locks part of them
for a presale campaign, routes an order that needs both US warehouses (the campaign's units
from the lock), and prints one PDF with a label from each warehouse.

The warehouses, their lanes and the stock already in US East are built in the database;
everything after is the portal's and the admin's own doors."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from inventory.models import Inbound, PresaleLock, RoutedOrder, Stock
from inventory.selectors import stock_audit
from shipments.models import Shipment
from tests.accounts.factories import SellerUserFactory
from tests.billing.factories import instant_store
from tests.inventory.factories import sku, stock_in, warehouse

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_inbound_receive_lock_route_a_split_and_print_both_labels(
    portal, new_page, screenshot, ops_user
):
    owner = SellerUserFactory(email="owner@inventory-journey.cn")
    store = instant_store(balance="500.00", seller=owner.seller)
    lax, nj = warehouse("US-LAX"), warehouse("US-NJ")
    tee = sku(store.seller, "TS-001")
    stock_in(nj, sku(store.seller, "PB-2000", name_en="Power bank"), 5)
    seller = new_page()
    steps.log_in(seller, portal, owner.email)

    # The seller declares ten T-shirts on their way to US West.
    seller.goto(f"{portal}/inventory/inbound/")
    seller.select_option("#id_warehouse", str(lax.pk))
    seller.fill("#id_reference", "MSKU4410023")
    seller.fill("#id_lines", "TS-001:10")
    with seller.expect_navigation():
        seller.click("#inbound-form button[type=submit]")
    notice = Inbound.objects.get(seller=store.seller, warehouse=lax)
    assert seller.url == f"{portal}/inventory/inbound/{notice.pk}/"
    assert seller.get_attribute("#inbound-lines tr[data-sku='TS-001']", "data-sku") == "TS-001"
    screenshot(seller, "inventory-inbound")

    # Operations receive them in the admin: all ten, the notice closed.
    ops = new_page()
    steps.admin_log_in(ops, portal, ops_user.email)
    ops.goto(f"{portal}/admin/inventory/inbound/")
    with ops.expect_navigation():
        ops.click(f"a.receive-link[href$='/{notice.pk}/receive/']")
    line = notice.lines.get()
    ops.fill(f"#id_line_{line.pk}", "10")
    ops.check("#id_close")
    screenshot(ops, "admin-inbound-receive")
    with ops.expect_navigation():
        ops.click("#receive-form input[type=submit]")
    assert ops.url == f"{portal}/admin/inventory/inbound/"
    notice.refresh_from_db()
    assert notice.status == "closed"
    seller.goto(f"{portal}/inventory/")
    row = "#stock-table tr[data-stock='US-LAX/TS-001']"
    assert steps.text_of(seller, f"{row} td[data-level=on_hand]") == "10"
    screenshot(seller, "inventory-stock")

    # Three of them locked for Black Friday's presale.
    seller.goto(f"{portal}/inventory/locks/")
    seller.fill("#id_campaign", "BF2026")
    seller.fill("#id_campaign_name", "黑五预售")
    seller.select_option("#id_warehouse", str(lax.pk))
    seller.select_option("#id_sku", str(tee.pk))
    seller.fill("#id_quantity", "3")
    until = timezone.localdate() + datetime.timedelta(days=30)
    seller.fill("#id_expires_on", until.isoformat())
    with seller.expect_navigation():
        seller.click("#lock-form button[type=submit]")
    assert PresaleLock.objects.get().held == 3
    screenshot(seller, "inventory-locks")

    # An order of two T-shirts and a power bank: US West has no power bank, US East no
    # T-shirt. A check first, then the route itself.
    seller.goto(f"{portal}/inventory/route/")
    seller.fill("#id_order_number", "AE-SPLIT-1")
    seller.fill("#id_lines", "TS-001:2\nPB-2000:1")
    seller.fill("#id_campaign", "BF2026")
    seller.fill("#id_name", "Jane Doe")
    seller.fill("#id_address", "1 Market St")
    seller.fill("#id_city", "San Francisco")
    seller.fill("#id_state", "CA")
    seller.fill("#id_postcode", "94105")
    seller.select_option("#id_country", "US")
    with seller.expect_navigation():
        seller.click("#route-dry-run")
    warehouses = seller.locator("#route-allocations li").evaluate_all(
        "items => items.map(item => item.dataset.warehouse)"
    )
    assert warehouses == ["US-LAX", "US-NJ"]
    assert not RoutedOrder.objects.exists()
    screenshot(seller, "inventory-route-check")
    with seller.expect_navigation():
        seller.click("#route-submit")
    routed = RoutedOrder.objects.get()
    assert seller.url == f"{portal}/inventory/orders/{routed.pk}/"
    chosen = seller.locator("#route-reasons li[data-reason=chosen_split]")
    assert chosen.count() == 2
    screenshot(seller, "inventory-order")

    # One PDF, a label from each warehouse.
    with seller.expect_download() as download:
        seller.click("#order-labels button[type=submit]")
    pdf = steps.download_bytes(download.value)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    shipments = list(Shipment.objects.filter(seller=store.seller).order_by("order_number"))
    assert [(s.order_number, s.origin, s.status) for s in shipments] == [
        ("AE-SPLIT-1/1", "wh-uslax", "label_printed"),
        ("AE-SPLIT-1/2", "wh-usnj", "label_printed"),
    ]
    for shipment in shipments:
        assert shipment.tracking_number in text
    assert "US West (Ontario, CA)" in text and "US East (Edison, NJ)" in text
    assert "CUSTOMS DECLARATION" not in text  # both inside the US: no border

    lock = PresaleLock.objects.get()
    assert (lock.held, lock.consumed) == (1, 2)
    levels = {
        (row.warehouse.code, row.sku.code): (row.on_hand, row.reserved)
        for row in Stock.objects.select_related("warehouse", "sku")
    }
    assert levels == {("US-LAX", "TS-001"): (10, 3), ("US-NJ", "PB-2000"): (5, 1)}
    assert stock_audit() == []
