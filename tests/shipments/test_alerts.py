"""Customs alerts: due when the hold outlasts the lane's clearance time or the promise is
4 hours and one sweep interval away, whichever first, while the promise is ahead; once per
hold."""

import datetime
import logging

import pytest

from accounts.services import seller_alert_phone_set
from shipments import tasks
from shipments.models import Notification, Shipment
from shipments.services import alerts as alerts_module
from shipments.services import customs_alerts_send, shipment_event_record
from shipments.services.alerts import customs_alert_send
from shipments.services.tracking import CarrierEvent
from shipments.sms import LocmemBackend, LogBackend
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
S = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _empty_outbox():
    LocmemBackend.outbox.clear()
    yield
    LocmemBackend.outbox.clear()


def scan(shipment, status, at, event_id):
    shipment_event_record(
        shipment=shipment,
        event=CarrierEvent(
            event_id=event_id, tracking_number=shipment.tracking_number, status=status, at=at
        ),
    )
    shipment.refresh_from_db()


@pytest.fixture
def held(seller_user):
    """Picked up at AUGUST, in customs since AUGUST + 1 day."""
    shipment = create_shipment(store_ready(seller=seller_user.seller))
    scan(shipment, "picked_up", AUGUST, "A-1")
    scan(shipment, "customs", AUGUST + 24 * H, "A-2")
    return shipment


def test_the_hold_outlasting_clearance_triggers_the_alert_at_the_boundary(held, mailoutbox):
    clearance_over = held.customs_since + held.customs_clearance_hours * H
    assert clearance_over < held.promised_by - 4 * H  # this case is about the clearance

    assert customs_alerts_send(now=clearance_over - S) == []
    assert mailoutbox == []

    assert customs_alerts_send(now=clearance_over) == [held.pk]
    held.refresh_from_db()
    assert held.customs_alerted_at == clearance_over
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [held.seller.users.get().email]
    assert held.tracking_number in mailoutbox[0].subject
    assert held.order_number in mailoutbox[0].body
    notification = Notification.objects.get()
    assert (notification.shipment, notification.kind, notification.channel) == (
        held,
        "customs_hold",
        "email",
    )
    # The owner has set no mobile number: no SMS.
    assert LocmemBackend.outbox == []


def test_four_hours_before_the_promise_comes_first_when_clearance_is_longer(seller_user):
    shipment = create_shipment(store_ready(seller=seller_user.seller))
    scan(shipment, "picked_up", AUGUST, "B-1")
    # Held so late that the promise is threatened before the clearance time runs out.
    since = shipment.promised_by - shipment.customs_clearance_hours * H + 2 * H
    scan(shipment, "customs", since, "B-2")
    # 4 hours ahead, plus one sweep interval: the next sweep would be too late.
    due = shipment.promised_by - 4 * H - alerts_module.CUSTOMS_ALERT_SWEEP
    assert due < since + shipment.customs_clearance_hours * H

    assert customs_alerts_send(now=due - S) == []
    assert customs_alerts_send(now=due) == [shipment.pk]


def test_no_alert_once_the_promise_has_passed(held):
    assert customs_alerts_send(now=held.promised_by) == []
    assert customs_alerts_send(now=held.promised_by + H) == []
    held.refresh_from_db()
    assert held.customs_alerted_at is None


def test_once_per_hold_even_when_the_sweep_runs_twice(held, mailoutbox):
    due = held.customs_since + held.customs_clearance_hours * H
    assert customs_alerts_send(now=due) == [held.pk]
    assert customs_alerts_send(now=due + H) == []
    assert customs_alerts_send(now=due + 2 * H) == []
    assert len(mailoutbox) == 1
    assert Notification.objects.count() == 1


def test_two_workers_with_the_same_candidate_send_once(held, mailoutbox):
    due = held.customs_since + held.customs_clearance_hours * H
    first_worker = Shipment.objects.get(pk=held.pk)
    second_worker = Shipment.objects.get(pk=held.pk)  # read before the first one's claim

    assert customs_alert_send(shipment=first_worker, now=due) is True
    assert customs_alert_send(shipment=second_worker, now=due + S) is False
    assert len(mailoutbox) == 1
    held.refresh_from_db()
    assert held.customs_alerted_at == due


def test_a_new_hold_gets_its_own_alert(held, mailoutbox):
    due = held.customs_since + held.customs_clearance_hours * H
    customs_alerts_send(now=due)
    scan(held, "in_transit", due + H, "A-3")
    scan(held, "customs", due + 2 * H, "A-4")
    assert held.customs_alerted_at is None

    again = held.customs_since + held.customs_clearance_hours * H
    lead = 4 * H + alerts_module.CUSTOMS_ALERT_SWEEP
    if again >= held.promised_by - lead:
        again = held.promised_by - lead
    assert customs_alerts_send(now=again) == [held.pk]
    assert len(mailoutbox) == 2


def test_with_a_phone_number_the_alert_also_goes_by_sms(held, mailoutbox):
    owner = held.seller.users.get()
    seller_alert_phone_set(seller=held.seller, actor=owner, phone="138 0013 8000")
    due = held.customs_since + held.customs_clearance_hours * H
    customs_alerts_send(now=due)

    assert len(LocmemBackend.outbox) == 1
    assert LocmemBackend.outbox[0]["to"] == "+8613800138000"
    assert held.tracking_number in LocmemBackend.outbox[0]["body"]
    assert sorted(Notification.objects.values_list("channel", "recipient")) == [
        ("email", held.seller.users.get().email),
        ("sms", "+8613800138000"),
    ]


def test_every_seller_user_gets_the_email(held, mailoutbox):
    colleague = SellerUserFactory(seller=held.seller, seller_role="member")
    customs_alerts_send(now=held.customs_since + held.customs_clearance_hours * H)
    assert colleague.email in mailoutbox[0].to
    assert Notification.objects.filter(channel="email").count() == 2


def test_when_every_channel_fails_the_next_sweep_tries_again(held, monkeypatch, mailoutbox):
    def broken(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(alerts_module, "send_mail", broken)
    due = held.customs_since + held.customs_clearance_hours * H
    assert customs_alerts_send(now=due) == []
    held.refresh_from_db()
    assert held.customs_alerted_at is None
    assert Notification.objects.count() == 0

    monkeypatch.undo()
    assert customs_alerts_send(now=due + 15 * 60 * S) == [held.pk]


def test_the_periodic_task_sends_what_is_due(held, mailoutbox, monkeypatch):
    due = held.customs_since + held.customs_clearance_hours * H
    monkeypatch.setattr(alerts_module.timezone, "now", lambda: due)
    assert tasks.customs_alerts() == 1
    assert tasks.customs_alerts() == 0
    assert len(mailoutbox) == 1


def test_the_log_backend_writes_the_message_to_the_log(caplog):
    with caplog.at_level(logging.INFO, logger="shipments.sms"):
        LogBackend().send(to="+8613800138000", body="清关提醒")
    assert "SMS to +8613800138000: 清关提醒" in caplog.text


def test_the_beat_schedule_runs_the_sweep_every_15_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["shipments-customs-alerts"]
    assert entry == {"task": "shipments.customs_alerts", "schedule": 15 * 60}
