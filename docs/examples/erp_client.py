"""A small client of the Jingluo Express seller API, as an ERP would write it: quote, create
(with an Idempotency-Key, retried safely), label, track, cancel, and verify our signed
webhooks. ``requests`` and ``standardwebhooks`` (pip install requests standardwebhooks).

    client = JingluoClient("https://portal.jingluo.example", "jl_test_…")
    price = client.quote(country="US", postcode="94105", weight_g=500)
    shipment = client.create_shipment(order, idempotency_key=erp_order_id)
    pdf = client.label(shipment["tracking_number"], fmt="pdf")

The test suite runs it against a live server (tests/api/test_erp_flow.py).
"""

import time
import uuid
from typing import Any

import requests
from standardwebhooks.webhooks import Webhook


class ApiError(Exception):
    """A problem+json answer: ``problem["code"]`` says which (the gate's code for a
    refused order, with ``fix`` and ``diagnosis``)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status} {problem.get('code')}: {problem.get('detail')}")
        self.status = status
        self.problem = problem


class JingluoClient:
    def __init__(self, base_url: str, key: str, *, timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"
        self.timeout = timeout

    def _request(self, method: str, path: str, *, retries: int = 3, **kwargs: Any) -> Any:
        for attempt in range(retries + 1):
            response = self.session.request(
                method, self.base + path, timeout=self.timeout, **kwargs
            )
            # 409 idempotency_in_flight and 429 are worth a retry; the key keeps it safe.
            retry = response.status_code == 429 or (
                response.status_code == 409
                and response.headers.get("Content-Type", "").startswith("application/problem")
                and response.json().get("code") == "idempotency_in_flight"
            )
            if retry and attempt < retries:
                time.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            if response.status_code >= 400:
                raise ApiError(response.status_code, response.json())
            return response

    def quote(self, **parcel: Any) -> dict[str, Any]:
        return self._request("POST", "/quotes", json=parcel).json()

    def create_shipment(
        self, order: dict[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        key = idempotency_key or str(uuid.uuid4())
        return self._request(
            "POST", "/shipments", json=order, headers={"Idempotency-Key": key}
        ).json()

    def shipment(self, tracking_number: str) -> dict[str, Any]:
        return self._request("GET", f"/shipments/{tracking_number}").json()

    def shipments(self, **filters: Any) -> list[dict[str, Any]]:
        """Every shipment matching ``filters``, following the cursor."""
        found: list[dict[str, Any]] = []
        params = dict(filters)
        while True:
            page = self._request("GET", "/shipments", params=params).json()
            found += page["data"]
            if not page["has_more"]:
                return found
            params["cursor"] = page["next_cursor"]

    def label(self, tracking_number: str, *, fmt: str = "pdf") -> bytes:
        return self._request(
            "GET", f"/shipments/{tracking_number}/label", params={"format": fmt}
        ).content

    def simulate(self, tracking_number: str, status: str | None = None) -> dict[str, Any]:
        """Test mode only: move a test parcel on (webhooks fire as in live mode)."""
        body = {"status": status} if status else {}
        return self._request("POST", f"/shipments/{tracking_number}/simulate", json=body).json()

    def cancel(self, tracking_number: str, reason: str = "") -> dict[str, Any]:
        return self._request(
            "POST", f"/shipments/{tracking_number}/cancel", json={"reason": reason}
        ).json()

    def create_webhook_endpoint(self, url: str, events: list[str] | None = None) -> dict[str, Any]:
        """The endpoint with its ``secret`` (shown this once: keep it)."""
        return self._request(
            "POST", "/webhook-endpoints", json={"url": url, "enabled_events": events or []}
        ).json()


def verify_webhook(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The event of a webhook we sent, or ``standardwebhooks.WebhookVerificationError``.
    Ignore an event whose ``id`` you have seen: delivery is at least once."""
    return Webhook(secret).verify(body, headers)
