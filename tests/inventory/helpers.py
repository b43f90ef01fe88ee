"""Orders to route in tests: destinations, lines, and the invariants every test can check."""

from __future__ import annotations

import datetime

from inventory.models import PresaleLock, Stock
from inventory.selectors import stock_audit
from inventory.services import Destination, SkuQuantity, order_route
from tests.shipments.factories import AUGUST

SF = Destination(
    country="US",
    postcode="94105",
    state="CA",
    city="San Francisco",
    address="1 Market St",
    name="Jane Doe",
    phone="+1 415 555 0100",
)
PARIS = Destination(
    country="FR", postcode="75002", city="Paris", address="2 Rue de la Paix", name="Jean Dupont"
)
LONDON = Destination(
    country="GB",
    postcode="SW1A 1AA",
    city="London",
    address="1 The Mall",
    name="John Smith",
    uk_vat_number="GB980780684",
)
BERLIN = Destination(
    country="DE", postcode="10115", city="Berlin", address="Invalidenstr. 1", name="Max Muster"
)


def lines(text: str) -> list[SkuQuantity]:
    """``"A:2,B:1"`` → lines."""
    return [
        SkuQuantity(sku, int(quantity))
        for sku, quantity in (part.split(":") for part in text.split(","))
    ]


def route(seller, order_number: str, text: str, *, to: Destination = SF, at=AUGUST, **kwargs):
    return order_route(
        seller=seller,
        order_number=order_number,
        destination=to,
        lines=lines(text),
        at=at,
        **kwargs,
    )


def levels(where, item) -> tuple[int, int, int, int]:
    """(on hand, reserved, inbound, inbound locked) of a SKU in a warehouse."""
    row = Stock.objects.get(warehouse=where, sku=item)
    return (row.on_hand, row.reserved, row.inbound, row.inbound_locked)


def assert_invariants() -> None:
    """Every level equals its movements and what its locks, orders and notices promise;
    the database's CHECKs hold (they would have refused the write); every lock adds up."""
    assert stock_audit() == []
    for lock in PresaleLock.objects.all():
        assert lock.quantity == lock.held + lock.awaiting + lock.consumed + lock.released
    for row in Stock.objects.all():
        assert row.on_hand >= row.reserved >= 0
        assert row.inbound >= row.inbound_locked >= 0


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)
