"""The shipping journey in a real browser, from a store in trial: the seller creates three
free trial shipments through the web form, prints their labels (one PDF), the carrier's
signed webhook delivers them on time, the real worker evaluates the trial and the store
becomes active; the seller then ships a priced parcel and sees its charge, to the fen, on
the shipment's page and on the billing page.

The store in trial is built in the database (the onboarding journey drives that part in
the browser); everything after is the portal's own doors: the form, the labels view, the
webhook, the Celery task queued on delivery."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from billing.models import LedgerEntry
from conftest import wait_for
from onboarding.models import ApplicationStatus
from shipments.models import Shipment
from stores.models import Store, StoreStatus
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import store_ready

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TRIAL_EVALUATION_TIMEOUT = 60  # the worker's task, queued when the last parcel is delivered


def priced_total(today: datetime.date) -> Decimal:
    """华东 → US West, 500 g, score 100 on the demo card: base ¥28.50, no score adjustment,
    × 1.128 in the peak season (1 Nov–31 Dec): 28.50 × 1.128 = 32.148 → ¥32.15."""
    return Decimal("32.15") if today.month in (11, 12) else Decimal("28.50")


def delivery_events(shipment: Shipment, *, now: datetime.datetime) -> list[dict]:
    """The carrier's scans of one parcel, delivered a day before its promise (picked up
    transit_days - 1 days ago, delivered a few minutes ago), times in Shanghai's offset."""
    picked_up = now - datetime.timedelta(days=shipment.transit_days - 1)
    scans = [
        ("picked_up", picked_up, "深圳"),
        ("in_transit", picked_up + datetime.timedelta(hours=20), "Los Angeles"),
        ("out_for_delivery", now - datetime.timedelta(hours=3), "San Francisco"),
        ("delivered", now - datetime.timedelta(minutes=5), "San Francisco"),
    ]
    return [
        {
            "event_id": f"{shipment.tracking_number}-{n}",
            "tracking_number": shipment.tracking_number,
            "status": status,
            "at": timezone.localtime(at).isoformat(),
            "location": where,
        }
        for n, (status, at, where) in enumerate(scans)
    ]


def test_a_seller_ships_the_trial_becomes_active_and_sees_the_charge(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@trial-journey.cn")
    store = store_ready(status=ApplicationStatus.TRIAL, seller=owner.seller, score="100.00")
    seller = new_page()
    steps.log_in(seller, portal, owner.email)

    # Three free trial shipments through the web form.
    trial_ids = []
    for n in range(1, 4):
        order = steps.Order(order_number=f"AE-TRIAL-{n:04d}")
        if n == 1:
            steps.fill_order(seller, portal, order)
            screenshot(seller, "shipment-create")
            steps.submit_order(seller)
            trial_ids.append(int(seller.url.rstrip("/").rsplit("/", 1)[1]))
            screenshot(seller, "shipment-trial")
        else:
            trial_ids.append(steps.create_shipment(seller, portal, order))
        assert steps.text_of(seller, "#shipment-charge") == "¥0.00"
    trials = list(Shipment.objects.filter(pk__in=trial_ids).order_by("pk"))
    assert [(s.is_trial, s.charge, s.status) for s in trials] == [
        (True, Decimal("0.00"), "created")
    ] * 3
    assert not LedgerEntry.objects.filter(seller=owner.seller).exists()  # free

    # Their labels, one PDF.
    pdf = steps.print_labels(seller, portal, trial_ids)
    assert pdf.startswith(b"%PDF-")
    assert set(Shipment.objects.filter(pk__in=trial_ids).values_list("status", flat=True)) == {
        "label_printed"
    }
    seller.goto(f"{portal}/shipments/")
    screenshot(seller, "shipments-list")

    # The carrier delivers them on time, through its signed webhook.
    now = timezone.now()
    events = [event for s in trials for event in delivery_events(s, now=now)]
    assert steps.carrier_webhook(portal, events) == {
        "applied": 12,
        "duplicates": 0,
        "late": 0,
        "unknown_tracking_numbers": [],
    }
    delivered = Shipment.objects.filter(pk__in=trial_ids, status="delivered", on_time=True)
    assert delivered.count() == 3

    # The worker evaluates the trial (queued on the last delivery): 3 of 3 on time → active.
    wait_for(
        lambda: Store.objects.get(pk=store.pk).status == StoreStatus.ACTIVE,
        timeout=TRIAL_EVALUATION_TIMEOUT,
    )
    seller.goto(f"{portal}/shipments/{trial_ids[0]}/")
    assert seller.locator("#shipment-timeline li").count() == 1 + 1 + 4  # created, label, scans
    screenshot(seller, "shipment-delivered")
    seller.goto(f"{portal}/onboarding/applications/{store.application.pk}/")
    with translation.override("zh-hans"):
        assert steps.text_of(seller, "#application-status") == str(ApplicationStatus.ACTIVE.label)
    screenshot(seller, "application-active")
    seller.goto(f"{portal}/dashboard/")
    screenshot(seller, "dashboard-active")

    # A priced parcel of two items to California: the charge on the shipment's page…
    total = priced_total(timezone.localdate())
    two_items = steps.Order(
        order_number="AE-PRICED-0001",
        items=(
            steps.Item(quantity="2"),
            steps.Item(
                description="USB-C charging cable",
                unit_value="6.20",
                unit_weight_g="50",
                hs_code="854442",
                sku="UC-1002",
            ),
        ),
    )
    steps.fill_order(seller, portal, two_items)
    screenshot(seller, "shipment-items")
    steps.submit_order(seller)
    priced_id = int(seller.url.rstrip("/").rsplit("/", 1)[1])
    assert steps.text_of(seller, "#shipment-total") == f"¥{total}"
    assert seller.locator("#shipment-charge").count() == 0  # not a trial shipment
    screenshot(seller, "shipment-priced")
    priced = Shipment.objects.get(pk=priced_id)
    assert (priced.is_trial, priced.base, priced.charge) == (False, Decimal("28.50"), total)
    assert priced.base + priced.fulfillment_adjustment + priced.peak_adjustment == total
    assert (priced.state, priced.declared_value, priced.items.count()) == (
        "CA",
        Decimal("31.20"),
        2,
    )
    # …its label, with the state, and its CN22 page listing both items.
    label = PdfReader(io.BytesIO(steps.print_labels(seller, portal, [priced_id])))
    assert "San Francisco CA 94105" in label.pages[0].extract_text()
    cn22 = label.pages[1].extract_text()
    assert "CUSTOMS DECLARATION CN 22" in cn22
    assert "USB-C charging cable" in cn22 and "854442" in cn22 and "31.20 USD" in cn22

    # …and on the billing page, accrued to this month (a monthly seller).
    seller.goto(f"{portal}/billing/")
    charges = steps.text_of(seller, "#charges tbody")
    assert "AE-PRICED-0001" in charges
    assert f"¥-{total}" in charges
    screenshot(seller, "billing")
    entry = LedgerEntry.objects.get(seller=owner.seller)
    assert (entry.kind, entry.mode, entry.amount, entry.shipment_id) == (
        "charge",
        "monthly",
        -total,
        priced_id,
    )
