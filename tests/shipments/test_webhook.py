"""The carrier's webhook: HMAC-SHA256 signature over the raw body, idempotent per event id."""

import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse

from shipments.models import ShipmentEvent
from tests.shipments.factories import create_shipment, store_ready

pytestmark = pytest.mark.django_db

SECRET = "test-carrier-webhook-secret"  # config/settings/test.py
URL = "/shipments/webhooks/carrier/"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def carrier():
    return Client(enforce_csrf_checks=True)  # the carrier has no CSRF cookie


@pytest.fixture
def shipment():
    return create_shipment(store_ready())


def payload(shipment, *events) -> bytes:
    return json.dumps(
        {
            "events": [
                {
                    "event_id": event_id,
                    "tracking_number": shipment.tracking_number,
                    "status": status,
                    "at": at,
                    "location": "深圳",
                    "description": "",
                }
                for event_id, status, at in events
            ]
        },
        ensure_ascii=False,
    ).encode()


def post(client, body: bytes, signature: str | None):
    headers = {"HTTP_X_JINGLUO_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_the_url_is_the_one_carriers_are_given():
    assert reverse("shipments:carrier_webhook") == URL


def test_a_signed_batch_is_recorded_and_counted(carrier, shipment):
    body = payload(
        shipment,
        ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"),
        ("W-2", "in_transit", "2026-08-16T09:00:00+08:00"),
        ("W-0", "picked_up", "2026-08-15T17:00:00+08:00"),  # late
    )
    response = post(carrier, body, sign(body))
    assert response.status_code == 200
    assert response.json() == {
        "applied": 2,
        "duplicates": 0,
        "late": 1,
        "unknown_tracking_numbers": [],
    }
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"
    assert ShipmentEvent.objects.filter(source="webhook").count() == 3


def test_the_same_batch_twice_is_idempotent(carrier, shipment):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    assert post(carrier, body, sign(body)).json()["applied"] == 1
    again = post(carrier, body, sign(body))
    assert again.status_code == 200
    assert again.json() == {
        "applied": 0,
        "duplicates": 1,
        "late": 0,
        "unknown_tracking_numbers": [],
    }
    assert ShipmentEvent.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        None,  # missing
        "",
        "sha256=" + "0" * 64,  # wrong
        "sha1=abc",
        "sha256=not-hex",
    ],
)
def test_a_bad_or_missing_signature_is_refused_and_nothing_stored(carrier, shipment, signature):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    response = post(carrier, body, signature)
    assert response.status_code == 403
    assert ShipmentEvent.objects.count() == 0
    shipment.refresh_from_db()
    assert shipment.status == "created"


def test_a_tampered_body_is_refused(carrier, shipment):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    signature = sign(body)
    tampered = body.replace(b"picked_up", b"delivered")
    assert post(carrier, tampered, signature).status_code == 403
    assert ShipmentEvent.objects.count() == 0


def test_a_signature_under_another_secret_is_refused(carrier, shipment):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    assert post(carrier, body, sign(body, "someone-else")).status_code == 403


def test_without_a_configured_secret_nothing_is_accepted(carrier, shipment, settings):
    settings.CARRIER_WEBHOOK_SECRET = ""
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    assert post(carrier, body, sign(body, "")).status_code == 403
    assert ShipmentEvent.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"events": []}',
        b'{"events": "x"}',
        b'{"events": [1]}',
        b"\xff\xfe",
    ],
)
def test_a_malformed_body_is_a_400(carrier, body):
    assert post(carrier, body, sign(body)).status_code == 400


def test_one_unreadable_event_refuses_the_batch_and_says_which(carrier, shipment):
    body = payload(
        shipment,
        ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"),
        ("W-2", "in_transit", "2026-08-16T09:00:00"),  # no offset
        ("W-3", "teleported", "2026-08-16T09:00:00+08:00"),
    )
    response = post(carrier, body, sign(body))
    assert response.status_code == 400
    problems = response.json()["events"]
    assert [p["index"] for p in problems] == [1, 2]
    assert "UTC offset" in problems[0]["error"]
    assert ShipmentEvent.objects.count() == 0


def test_unknown_tracking_numbers_are_reported_not_fatal(carrier, shipment):
    events = json.loads(payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00")))
    events["events"].append(
        {
            "event_id": "W-9",
            "tracking_number": "RR000000000CN",
            "status": "picked_up",
            "at": "2026-08-15T18:00:00+08:00",
        }
    )
    body = json.dumps(events).encode()
    response = post(carrier, body, sign(body))
    assert response.status_code == 200
    assert response.json()["applied"] == 1
    assert response.json()["unknown_tracking_numbers"] == ["RR000000000CN"]


def test_only_post(carrier):
    assert carrier.get(URL).status_code == 405
