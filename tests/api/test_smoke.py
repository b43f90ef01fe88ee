import uuid

import pytest

from .factories import order

pytestmark = pytest.mark.django_db


def test_create_and_read(live):
    response = live.post("/api/v1/shipments", order(), **{"Idempotency-Key": str(uuid.uuid4())})
    print(response.status_code, response.content[:2000])
    assert response.status_code == 201
    tn = response.json()["tracking_number"]
    detail = live.get(f"/api/v1/shipments/{tn}")
    assert detail.status_code == 200, detail.content
    listing = live.get("/api/v1/shipments")
    assert listing.status_code == 200
    assert live.get(f"/api/v1/shipments/{tn}/label?format=zpl").status_code == 200
    assert live.get(f"/api/v1/shipments/{tn}/label?format=png").status_code == 200
    assert live.post("/api/v1/quotes", {"country": "US", "postcode": "94105", "weight_g": 500}).status_code == 200
    print(live.get("/api/v1/balance").json())
    r = live.post(f"/api/v1/shipments/{tn}/cancel", {})
    assert r.status_code == 200, r.content
