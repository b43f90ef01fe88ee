"""The carrier's webhook: Standard Webhooks signatures (id, timestamp, body) with a replay
window, idempotent per event id. Signed here by the official ``standardwebhooks`` package,
as a carrier's own library signs, so the portal's verifier is checked against the spec's
reference implementation."""

import base64
import datetime
import itertools
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from shipments.models import ShipmentEvent
from tests.shipments.factories import create_shipment, store_ready

pytestmark = pytest.mark.django_db

URL = "/shipments/webhooks/carrier/"
_ids = itertools.count(1)


def sign(body: bytes, secret: str | None = None, *, at=None, msg_id=None) -> dict[str, str]:
    """The Standard Webhooks headers for ``body``, made by the reference implementation."""
    at = at or timezone.now()
    msg_id = msg_id or f"msg_{next(_ids)}"
    webhook = Webhook(secret or settings.CARRIER_WEBHOOK_SECRET)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": webhook.sign(msg_id=msg_id, timestamp=at, data=body.decode()),
    }


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


def post(client, body: bytes, headers: dict[str, str] | None):
    return client.post(URL, data=body, content_type="application/json", headers=headers or {})


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


OTHER_SECRET = "whsec_" + base64.b64encode(b"someone-else-entirely-32-bytes!!").decode()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda h: None,  # no headers at all
        lambda h: {**h, "webhook-signature": ""},
        lambda h: {k: v for k, v in h.items() if k != "webhook-id"},
        lambda h: {k: v for k, v in h.items() if k != "webhook-timestamp"},
        lambda h: {**h, "webhook-signature": "v1," + base64.b64encode(b"0" * 32).decode()},
        lambda h: {**h, "webhook-signature": "v2," + h["webhook-signature"][3:]},
        lambda h: {**h, "webhook-signature": "v1,not base64 at all"},
        lambda h: {**h, "webhook-signature": "nonsense"},
        lambda h: {**h, "webhook-id": h["webhook-id"] + "x"},  # signed with another id
        lambda h: {**h, "webhook-timestamp": str(int(h["webhook-timestamp"]) + 1)},
        lambda h: {**h, "webhook-timestamp": "1e9"},
        lambda h: {**h, "webhook-timestamp": "-5"},
        lambda h: {**h, "webhook-timestamp": "9" * 40},
        lambda h: {**h, "webhook-id": "x" * 300},
        lambda h: {"X-Jingluo-Signature": "sha256=" + "0" * 64},  # the old scheme is gone
    ],
)
def test_a_bad_or_missing_signature_is_refused_and_nothing_stored(carrier, shipment, spoil):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    response = post(carrier, body, spoil(sign(body)))
    assert response.status_code == 403
    assert ShipmentEvent.objects.count() == 0
    shipment.refresh_from_db()
    assert shipment.status == "created"


def test_one_of_several_signatures_may_match_while_a_carrier_rotates_its_secret(carrier, shipment):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    at = timezone.now()
    old = sign(body, OTHER_SECRET, at=at, msg_id="msg_rot")
    new = sign(body, at=at, msg_id="msg_rot")
    headers = {**new, "webhook-signature": f"{old['webhook-signature']} {new['webhook-signature']}"}
    assert post(carrier, body, headers).status_code == 200


@pytest.mark.parametrize("minutes", [-6, 6, -60 * 24])
def test_a_message_outside_the_replay_window_is_refused(carrier, shipment, minutes):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    at = timezone.now() + datetime.timedelta(minutes=minutes)
    assert post(carrier, body, sign(body, at=at)).status_code == 403
    assert ShipmentEvent.objects.count() == 0


@pytest.mark.parametrize("minutes", [-4, 4])
def test_a_message_inside_the_window_is_accepted(carrier, shipment, minutes):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    at = timezone.now() + datetime.timedelta(minutes=minutes)
    assert post(carrier, body, sign(body, at=at)).status_code == 200


def test_a_replayed_message_inside_the_window_changes_nothing(carrier, shipment):
    body = payload(shipment, ("W-1", "picked_up", "2026-08-15T18:00:00+08:00"))
    headers = sign(body)
    assert post(carrier, body, headers).json()["applied"] == 1
    replay = post(carrier, body, headers)
    assert replay.status_code == 200
    assert replay.json()["duplicates"] == 1
    assert ShipmentEvent.objects.count() == 1


def test_a_signed_body_nested_100000_deep_is_a_400(carrier):
    body = b"[" * 100_000 + b"]" * 100_000
    response = post(carrier, body, sign(body))
    assert response.status_code == 400
    assert response.json() == {"error": "the body is not JSON"}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"events": []}',
        b'{"events": "x"}',
        b'{"events": [1]}',
    ],
)
def test_a_malformed_body_is_a_400(carrier, body):
    assert post(carrier, body, sign(body)).status_code == 400


def test_a_signed_body_that_is_not_utf8_is_a_400(carrier):
    from shipments.services.tracking import carrier_webhook_headers

    body = b"\xff\xfe"
    headers = carrier_webhook_headers(
        body=body, secret=settings.CARRIER_WEBHOOK_SECRET, msg_id="msg_bin"
    )
    assert post(carrier, body, headers).status_code == 400


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
