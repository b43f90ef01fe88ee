"""API keys and orders as an ERP sends them, for the API's tests."""

import itertools
import uuid

from api.models import KeyScope
from api.services import api_key_create

_orders = itertools.count(1)


def api_key(seller, *, live: bool = True, read_only: bool = False) -> str:
    return api_key_create(
        seller=seller,
        name="test ERP",
        livemode=live,
        scope=KeyScope.READ if read_only else KeyScope.WRITE,
    ).secret


def order_number() -> str:
    return f"API-{next(_orders):07d}-{uuid.uuid4().hex[:4]}"


ITEM = {
    "description": "Cotton T-shirt",
    "quantity": 1,
    "unit_value": "12.50",
    "currency": "USD",
    "unit_weight_g": 250,
    "hs_code": "610910",
    "sku": "TS-001",
}


def order(**overrides) -> dict:
    """An order to San Francisco, 500 g, one T-shirt."""
    body = {
        "order_number": order_number(),
        "origin": "east",
        "weight_g": 500,
        "recipient": {
            "name": "Jane Doe",
            "phone": "+1 415 555 0100",
            "address": "1 Market St",
            "city": "San Francisco",
            "state": "CA",
            "postcode": "94105",
            "country": "US",
        },
        "items": [dict(ITEM)],
    }
    body.update(overrides)
    return body
