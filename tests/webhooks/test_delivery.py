"""Webhooks out: stored only for endpoints that want them, signed per Standard Webhooks,
retried on the schedule, every attempt logged, an endpoint failing for 3 days disabled
and its owner e-mailed, the address checked again before each attempt (DNS rebinding)."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from tests.api.receiver import Receiver
from tests.billing.factories import instant_store
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEvent
from webhooks.services import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    delivery_attempt,
    delivery_resend,
    endpoint_create,
    endpoint_secret,
    webhook_emit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return instant_store(balance="0.00").seller


def test_nothing_is_stored_without_an_endpoint(seller):
    assert webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={}) is None
    assert WebhookEvent.objects.count() == 0


def test_the_retry_schedule_lasts_more_than_a_day():
    assert sum(RETRY_SCHEDULE, datetime.timedelta()) >= datetime.timedelta(hours=24)
    assert MAX_ATTEMPTS == 8


def test_a_delivery_is_signed_and_logged(seller):
    with Receiver() as receiver:
        endpoint, secret = endpoint_create(seller=seller, url=receiver.url, livemode=True)
        assert endpoint_secret(endpoint) == secret
        event = webhook_emit(
            seller_id=seller.pk, livemode=True, type="balance.low", data={"balance": "5.00"}
        )
        delivery = WebhookDelivery.objects.get()
        assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    headers, body = receiver.received[0]
    payload = Webhook(secret).verify(body, headers)
    assert payload["id"] == event.public_id == headers["webhook-id"]
    assert payload["type"] == "balance.low" and payload["data"] == {"balance": "5.00"}
    attempt = WebhookAttempt.objects.get()
    assert (attempt.number, attempt.status_code) == (1, 200)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert delivery_attempt(delivery_id=delivery.pk) == "not due"  # delivered once


def test_a_failing_endpoint_is_retried_then_disabled_after_three_days(
    seller, django_capture_on_commit_callbacks
):
    from tests.accounts.factories import SellerUserFactory

    owner = SellerUserFactory(seller=seller)
    with Receiver(status=500) as receiver:
        endpoint, _secret = endpoint_create(seller=seller, url=receiver.url, livemode=True)
        webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={})
        delivery = WebhookDelivery.objects.get()
        now = timezone.now()
        assert delivery_attempt(delivery_id=delivery.pk, now=now) == "retry"
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - now >= RETRY_SCHEDULE[0]
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None and endpoint.disabled_at is None
        # three days later, another event fails again: the endpoint is disabled
        later = now + datetime.timedelta(days=3, minutes=1)
        webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={}, at=later)
        second = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
        with django_capture_on_commit_callbacks(execute=True):
            delivery_attempt(delivery_id=second.pk, now=later)
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert len(mail.outbox) == 1 and receiver.url in mail.outbox[0].body
    assert mail.outbox[0].to == [owner.email]
    assert WebhookAttempt.objects.filter(status_code=500).count() == 2


def test_the_address_is_checked_again_before_each_attempt(seller, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    monkeypatch.setattr("webhooks.addresses.resolve", lambda host, port: ["93.184.216.34"])
    endpoint_create(seller=seller, url="https://erp.example.com/hooks", livemode=True)
    webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={})
    monkeypatch.setattr("webhooks.addresses.resolve", lambda host, port: ["169.254.169.254"])
    delivery = WebhookDelivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) == "retry"
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "169.254.169.254" in attempt.error


def test_resend_after_giving_up(seller):
    with Receiver(status=200) as receiver:
        endpoint_create(seller=seller, url=receiver.url, livemode=True)
        webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={})
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS, next_attempt_at=None
        )
        delivery_resend(delivery=delivery)
        assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert len(receiver.received) == 1


def test_test_mode_events_go_to_test_endpoints_only(seller):
    with Receiver() as live_receiver, Receiver() as test_receiver:
        endpoint_create(seller=seller, url=live_receiver.url, livemode=True)
        endpoint_create(seller=seller, url=test_receiver.url, livemode=False)
        webhook_emit(seller_id=seller.pk, livemode=False, type="tracker.updated", data={"a": 1})
        for delivery in WebhookDelivery.objects.all():
            delivery_attempt(delivery_id=delivery.pk)
    assert (len(live_receiver.received), len(test_receiver.received)) == (0, 1)
    assert json.loads(test_receiver.received[0][1])["livemode"] is False


def test_a_statement_issued_is_announced(seller):
    from billing.services import statements_close_month
    from tests.billing.factories import monthly_store
    from tests.shipments.factories import create_shipment

    store = monthly_store()
    with Receiver() as receiver:
        endpoint_create(
            seller=store.seller,
            url=receiver.url,
            livemode=True,
            enabled_events=["statement.issued"],
        )
        create_shipment(store)
        statements_close_month(period=datetime.date(2026, 8, 1))
        event = WebhookEvent.objects.get()
        delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    assert event.type == "statement.issued"
    assert event.data["period"] == "2026-08" and event.data["total"] == "28.50"
    assert len(receiver.received) == 1


def test_a_rotated_secret_signs_beside_the_new_one_until_its_overlap_ends(seller):
    """For 24 h every attempt carries both signatures (a receiver holding either secret
    verifies); then only the new one signs; rotating again drops the older secret."""
    from standardwebhooks.webhooks import WebhookVerificationError

    from webhooks.models import WebhookEndpoint
    from webhooks.services import ROTATION_OVERLAP, endpoint_secret_rotate

    def deliver() -> None:
        webhook_emit(seller_id=seller.pk, livemode=True, type="balance.low", data={})
        delivery = WebhookDelivery.objects.order_by("-pk").first()
        assert delivery_attempt(delivery_id=delivery.pk) == "delivered"

    with Receiver() as receiver:
        endpoint, old = endpoint_create(seller=seller, url=receiver.url, livemode=True)
        now = timezone.now()
        new = endpoint_secret_rotate(endpoint=endpoint, now=now)
        assert new != old and endpoint_secret(endpoint) == new
        assert endpoint.previous_secret_until == now + ROTATION_OVERLAP
        deliver()  # within the overlap
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            previous_secret_until=timezone.now() - datetime.timedelta(seconds=1)
        )
        deliver()  # after it
        newest = endpoint_secret_rotate(endpoint=endpoint)
        deliver()  # rotated again: new (now the previous) and newest sign, old never
    (during, body1), (after, body2), (again, body3) = receiver.received
    assert len(during["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(body1, during) == Webhook(new).verify(body1, during)
    assert len(after["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(body2, after)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(body2, after)
    Webhook(newest).verify(body3, again)
    Webhook(new).verify(body3, again)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(body3, again)
