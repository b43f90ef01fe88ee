"""Issue 13 on shipments: a promise is a date in the destination's time zone (item 17); the
customs alert comes at least 4 hours ahead with a sweep every 15 minutes (item 18); the
health self-check runs before activation too (item 15); a finished file of orders is told
to the seller (item 7)."""

import datetime
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications.models import Notification
from onboarding.models import ApplicationEvent, ApplicationStatus
from platforms.models import StoreMetricsSnapshot
from pricing.destination_time import destination_zone, us_state_of_zip
from shipments.services import alerts as alerts_module
from shipments.services import customs_alerts_send, shipment_event_record, trial_evaluate
from shipments.services.imports import (
    shipment_import_confirm,
    shipment_import_create,
    shipment_import_preview,
    shipment_import_run,
)
from shipments.services.tracking import CarrierEvent
from tests.shipments.factories import AUGUST, create_shipment, store_ready
from tests.shipments.import_files import csv_bytes, order

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
_ids = itertools.count(1)


def scan(shipment, status, at):
    shipment_event_record(
        shipment=shipment,
        event=CarrierEvent(
            event_id=f"P13-{next(_ids)}",
            tracking_number=shipment.tracking_number,
            status=status,
            at=at,
        ),
    )
    shipment.refresh_from_db()


# --- item 17: the promise is a date -------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "postcode", "zone"),
    [
        ("US", "94105", "America/Los_Angeles"),  # California
        ("US", "10001", "America/New_York"),  # New York
        ("US", "60601", "America/Chicago"),  # Illinois
        ("US", "80202", "America/Denver"),  # Colorado
        ("US", "85001", "America/Phoenix"),  # Arizona: no daylight saving
        ("US", "79901", "America/Denver"),  # El Paso, Texas: Mountain
        ("US", "75201", "America/Chicago"),  # Dallas, Texas
        ("US", "96813", "Pacific/Honolulu"),
        ("US", "99501", "America/Anchorage"),
        ("US", "09001", "America/New_York"),  # military (AE): the most populous zone
        ("US", "", "America/New_York"),
        ("GB", "SW1A 1AA", "Europe/London"),
        ("DE", "10115", "Europe/Berlin"),
        ("ES", "28001", "Europe/Madrid"),
        ("ID", "10110", "Asia/Jakarta"),
        ("SG", "018956", "Asia/Singapore"),
        ("ZZ", "", "UTC"),
    ],
)
def test_the_destinations_zone(country, postcode, zone):
    assert destination_zone(country, postcode).key == zone


def test_every_us_zip_prefix_of_a_state_has_a_zone():
    for prefix in range(1000):
        state = us_state_of_zip(f"{prefix:03d}00")
        if state is not None:
            assert destination_zone("US", f"{prefix:03d}00").key != "UTC"


def test_delivered_late_in_the_evening_of_the_promised_day_is_on_time():
    """Picked up on 15 August (Shanghai); the lane promises 6 days: 21 August in San
    Francisco. Delivered at 22:30 that day, local time: on time, although it is more than
    6 × 24 hours after the pickup (the old rule called it late)."""
    store = store_ready()
    shipment = create_shipment(store, at=AUGUST)
    pickup = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    scan(shipment, "picked_up", pickup)
    promised = pickup.date() + datetime.timedelta(days=shipment.transit_days)
    evening = datetime.datetime.combine(
        promised, datetime.time(22, 30), ZoneInfo("America/Los_Angeles")
    )
    assert evening - pickup > datetime.timedelta(days=shipment.transit_days)

    scan(shipment, "delivered", evening)

    assert shipment.on_time is True
    assert shipment.promised_by.astimezone(ZoneInfo("America/Los_Angeles")).date() == promised


def test_delivered_just_after_midnight_at_the_destination_is_late():
    store = store_ready()
    shipment = create_shipment(store, at=AUGUST)
    scan(shipment, "picked_up", AUGUST)

    scan(shipment, "delivered", shipment.promised_by + datetime.timedelta(microseconds=1))

    assert shipment.on_time is False


def test_the_shipment_page_shows_the_promised_date_of_the_destination(client, seller_user):
    shipment = create_shipment(store_ready(seller=seller_user.seller), at=AUGUST)
    pickup = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    scan(shipment, "picked_up", pickup)
    client.force_login(seller_user)

    html = client.get(reverse("shipments:detail", args=[shipment.pk])).content.decode()

    promised = pickup.date() + datetime.timedelta(days=shipment.transit_days)
    cell = html.split('id="shipment-promised">')[1].split("</dd>")[0]
    assert f"{promised:%Y-%m-%d} (America/Los_Angeles)" in cell


def test_the_trial_counts_a_delivery_on_the_promised_date_as_on_time():
    store = store_ready(status=ApplicationStatus.TRIAL)
    trio = [create_shipment(store, at=AUGUST) for _ in range(3)]
    for shipment in trio:
        scan(shipment, "picked_up", AUGUST)
        # The last hour of the promised date at the destination.
        scan(shipment, "delivered", shipment.promised_by - H / 2)

    verdict = trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    assert (verdict.on_time, verdict.to_status) == (3, "active")


# --- item 18: at least 4 hours ahead with a sweep every 15 minutes ------------------------


@pytest.mark.parametrize("phase_minutes", [0, 1, 7, 14])
def test_sweeps_every_15_minutes_announce_a_hold_at_least_4_hours_before_the_promise(
    phase_minutes,
):
    assert alerts_module.CUSTOMS_ALERT_SWEEP == 15 * MINUTE
    store = store_ready()
    shipment = create_shipment(store, at=AUGUST)
    scan(shipment, "picked_up", AUGUST)
    # Held so late that only the promise's lead time can trigger the alert.
    since = shipment.promised_by - 6 * H
    scan(shipment, "customs", since)
    sweep = since + phase_minutes * MINUTE
    sent_at = None
    while sweep < shipment.promised_by:
        if customs_alerts_send(now=sweep):
            sent_at = sweep
            break
        sweep += 15 * MINUTE

    assert sent_at is not None
    lead = shipment.promised_by - sent_at
    assert 4 * H <= lead <= 4 * H + 15 * MINUTE


# --- item 15: the health self-check before activation --------------------------------------


def _trial_with_metrics(**metrics):
    store = store_ready(status=ApplicationStatus.TRIAL)
    StoreMetricsSnapshot.objects.filter(store_id=store.platform_store_id).update(**metrics)
    trio = [create_shipment(store, at=AUGUST) for _ in range(3)]
    for shipment in trio:
        scan(shipment, "picked_up", AUGUST)
        scan(shipment, "delivered", AUGUST + 2 * 24 * H)  # all on time
    return store


def test_a_trial_on_time_but_past_a_health_threshold_is_not_activated_and_the_seller_told():
    store = _trial_with_metrics(return_rate_pct=Decimal("7.20"))

    verdict = trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    store.refresh_from_db()
    assert (verdict.on_time, verdict.total) == (3, 3)
    assert store.status == "trial_review" and store.activated_at is None
    assert "7.20" in store.status_reason
    event = store.events.latest("id")
    assert event.data["health_failed"] == ["return_rate"]
    application_event = ApplicationEvent.objects.filter(to_status="trial_review").get()
    notice = Notification.objects.get(kind="application_trial_review")
    assert notice.key == f"application:{store.application.pk}:event:{application_event.pk}"
    assert "7.20" in notice.params["reason"]


def test_a_healthy_trial_on_time_is_activated():
    store = _trial_with_metrics()

    verdict = trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    assert verdict.to_status == "active"
    assert Notification.objects.filter(kind="application_active").count() == 1


# --- item 7: a file of orders finished ----------------------------------------------------


def test_a_finished_file_is_told_once_with_its_counts(seller_user):
    store_ready(seller=seller_user.seller)
    data = csv_bytes([order("F-1"), order("F-2"), order("F-3", weight_g="0")])
    shipment_import = shipment_import_create(
        seller=seller_user.seller, user=seller_user, name="orders.csv", data=data
    )
    shipment_import_preview(import_id=shipment_import.pk, at=AUGUST)
    assert not Notification.objects.filter(kind="import_done").exists()  # a preview is not done
    shipment_import.refresh_from_db()
    shipment_import_confirm(shipment_import=shipment_import)

    shipment_import_run(import_id=shipment_import.pk, at=AUGUST)
    shipment_import_run(import_id=shipment_import.pk, at=AUGUST)  # delivered twice

    (notice,) = Notification.objects.filter(seller=seller_user.seller, kind="import_done")
    assert notice.params == {
        "file": "orders.csv",
        "total": "3",
        "created": "2",
        "failed": "1",
        "error": "",
    }
    assert notice.url == reverse("shipments:import", args=[shipment_import.pk])
