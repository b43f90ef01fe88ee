"""Stores ready to ship and orders for tests. The demo rate card (billing migration 0002,
from 2024-08-01) prices every order: 华东 → US West, 500 g = ¥28.50."""

import datetime
import itertools
from decimal import Decimal

from onboarding.models import ApplicationStatus
from shipments.services import Recipient, parcel_build, shipment_create
from stores.models import Store
from tests.onboarding.factories import ApplicationFactory
from tests.platforms.factories import StoreMetricsSnapshotFactory
from tests.stores.factories import store_for_application

# A date outside the peak season (1 Nov–31 Dec), so that prices are the plain formula.
AUGUST = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=datetime.UTC)
_orders = itertools.count(1)


def store_ready(
    *,
    status=ApplicationStatus.ACTIVE,
    score: str = "100.00",
    bound: bool = True,
    seller=None,
    **fields,
):
    """The store of an application in ``status`` (``fields`` are the application's), which
    the latest metrics report as bound. An application not approved (draft, in review …)
    has no store: that application is returned instead, for the gate to refuse."""
    if seller is not None:
        fields["seller"] = seller
    application = ApplicationFactory(status=status, **fields)
    StoreMetricsSnapshotFactory(
        platform=application.platform,
        store_id=application.store_id,
        fulfilment_score=Decimal(score),
        store_bound=bound,
    )
    return store_for_application(application) or application


def parcel(**overrides):
    values = {
        "origin": "east",
        "country": "US",
        "postcode": "94105",
        "weight_g": 500,
        "dims_cm": None,
    }
    values.update(overrides)
    return parcel_build(**values)


RECIPIENT = Recipient(name="Jane Doe", address="1 Market St", city="San Francisco")


def next_order_number() -> str:
    return f"AE-{next(_orders):08d}"


def create_shipment(store, *, order_number=None, at=AUGUST, user=None, **parcel_overrides):
    """An order of ``store`` (or of an application's seller, which has no store yet)."""
    return shipment_create(
        seller=store.seller,
        store=store if isinstance(store, Store) else None,
        order_number=order_number or next_order_number(),
        parcel=parcel(**parcel_overrides),
        recipient=RECIPIENT,
        contents="T-shirts",
        declared_value="12.50",
        user=user,
        at=at,
    )


# An order as a seller types it (form) or writes it (file): 华东 → US West, 500 g, no
# dimensions: ¥28.50 at score 100 in August.
ORDER_VALUES = {
    "recipient_name": "Jane Doe",
    "recipient_phone": "+1 415 555 0100",
    "address": "1 Market St",
    "city": "San Francisco",
    "postcode": "94105",
    "country": "US",
    "weight_g": "500",
    "length_cm": "",
    "width_cm": "",
    "height_cm": "",
    "contents": "T-shirts",
    "declared_value": "12.50",
}


def order_form(store, /, **overrides):
    """The shipment form as a seller fills it in."""
    return {
        "store": store.pk,
        "origin": "east",
        "order_number": "AE-100001",
        **ORDER_VALUES,
        **overrides,
    }
