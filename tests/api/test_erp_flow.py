"""The ERP's afternoon, end to end: the documented client (docs/examples/erp_client.py)
with a test key against a live server and a real Celery worker: a webhook endpoint on a
local receiver, quote → create → label → simulated tracking → signed webhooks received and
verified with the secret → cancel."""

import importlib.util
import json
import uuid
from pathlib import Path

import pytest

from billing.models import LedgerEntry
from conftest import wait_for
from tests.billing.factories import monthly_store

from .factories import api_key, order
from .receiver import Receiver

CLIENT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "erp_client.py"


def _client_module():
    spec = importlib.util.spec_from_file_location("erp_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.worker
def test_an_erp_drives_the_whole_flow_with_a_test_key(live_server, celery_worker):
    erp = _client_module()
    store = monthly_store()
    client = erp.JingluoClient(live_server.url, api_key(store.seller, live=False))
    with Receiver() as receiver:
        endpoint = client.create_webhook_endpoint(receiver.url)
        secret = endpoint["secret"]
        assert secret.startswith("whsec_") and endpoint["livemode"] is False

        quote = client.quote(country="US", postcode="94105", weight_g=500)
        assert quote["price"]["lane"] == "east/us-west/standard"

        body = order()
        shipment = client.create_shipment(body, idempotency_key=body["order_number"])
        tracking = shipment["tracking_number"]
        assert tracking.startswith("LT")
        assert shipment["price"]["total"] == quote["price"]["total"]
        # the ERP retries after a timeout: the same shipment, nothing more
        assert client.create_shipment(body, idempotency_key=body["order_number"]) == shipment

        assert client.label(tracking).startswith(b"%PDF")
        assert client.label(tracking, fmt="zpl").startswith(b"^XA")

        assert client.simulate(tracking)["status"] == "picked_up"
        assert client.simulate(tracking)["status"] == "in_transit"
        assert client.shipment(tracking)["status"] == "in_transit"

        def events():
            found = []
            for headers, raw in receiver.received:
                event = erp.verify_webhook(secret, headers, raw)  # raises if forged
                found.append(event)
            return found if len(found) >= 3 else None

        received = wait_for(events, timeout=30, every=0.2)
        types = sorted(event["type"] for event in received)
        assert types == ["shipment.created", "tracker.updated", "tracker.updated"]
        statuses = sorted(e["data"]["status"] for e in received if e["type"] == "tracker.updated")
        assert statuses == ["in_transit", "picked_up"]
        assert all(e["data"]["tracking_number"] == tracking for e in received)
        ids = [headers["webhook-id"] for headers, _raw in receiver.received]
        assert len(set(ids)) == 3 and all(i.startswith("evt_") for i in ids)
        tampered = receiver.received[0][1].replace(b"LT", b"LJ")
        with pytest.raises(Exception, match=r"(?i)signature"):
            erp.verify_webhook(secret, receiver.received[0][0], tampered)

        other = client.create_shipment(order(), idempotency_key=str(uuid.uuid4()))
        cancelled = client.cancel(other["tracking_number"], reason="buyer cancelled")
        assert cancelled["status"] == "cancelled"
        with pytest.raises(erp.ApiError) as refused:
            client.cancel(tracking)
        assert refused.value.status == 409
        assert refused.value.problem["code"] == "not_cancellable"
        assert [s["tracking_number"] for s in client.shipments()] == [
            other["tracking_number"],
            tracking,
        ]
    assert LedgerEntry.objects.count() == 0  # test mode: never charged
    assert json.loads(receiver.received[0][1])["livemode"] is False
