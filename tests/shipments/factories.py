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


# The one item of a test order: what the customs checks want (an HS code, a SKU, a real
# description), worth 12.50 USD, weighing at most the parcel.
ITEM = {
    "description": "Cotton T-shirt",
    "quantity": "1",
    "unit_value": "12.50",
    "currency": "USD",
    "hs_code": "610910",
    "sku": "TS-001",
}


EU = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    }
)
# The marketplace's numbers an AliExpress order carries (it collects the VAT as the deemed
# supplier): the tests of other things ship to the UK and the EU as the demo does.
MARKETPLACE_IOSS = "IM2760000001"
MARKETPLACE_UK_VAT = "GB980780684"


def parcel(*, items=None, **overrides):
    """A checked parcel: 华东 → San Francisco, CA 94105, 500 g, one T-shirt (``items`` are
    dicts of item fields; each gets half the parcel's weight unless it says otherwise). A
    UK or EU parcel carries the marketplace's VAT or IOSS number unless told otherwise."""
    values = {
        "origin": "east",
        "country": "US",
        "postcode": "94105",
        "weight_g": 500,
        "dims_cm": None,
        "city": "San Francisco",
        "address": "1 Market St",
    }
    values.update(overrides)
    values.setdefault("state", "CA" if values["country"] == "US" else "")
    if values["country"] == "GB":
        values.setdefault("uk_vat_number", MARKETPLACE_UK_VAT)
    if values["country"] in EU:
        values.setdefault("ioss_number", MARKETPLACE_IOSS)
    weight = int(values["weight_g"]) if str(values["weight_g"]).isdigit() else 2
    values["items"] = [
        {"unit_weight_g": str(max(weight // 2, 1)), **ITEM, **item}
        for item in (items if items is not None else [{}])
    ]
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
    "state": "CA",
    "postcode": "94105",
    "country": "US",
    "weight_g": "500",
    "length_cm": "",
    "width_cm": "",
    "height_cm": "",
    "description": "T-shirts",
    "unit_value": "12.50",
    "currency": "USD",
    "hs_code": "610910",
    "sku": "TS-001",
}
ITEM_FIELDS = ("description", "unit_value", "currency", "hs_code", "sku")


def order_form(store, /, items=None, **overrides):
    """The shipment form as a seller fills it in, with its item rows (``items``: dicts of
    item fields; by default one T-shirt of 200 g)."""
    values = {
        "store": store.pk,
        "origin": "east",
        "order_number": "AE-100001",
        "incoterm": "DDU",
        **{k: v for k, v in ORDER_VALUES.items() if k not in ITEM_FIELDS},
    }
    lines = items if items is not None else [{}]
    values.update(
        {
            "items-TOTAL_FORMS": str(len(lines)),
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "200",
        }
    )
    for n, line in enumerate(lines):
        item = {
            **{k: ORDER_VALUES[k] for k in ITEM_FIELDS},
            "quantity": "1",
            "unit_weight_g": "200",
            "origin_country": "CN",
            **line,
        }
        values.update({f"items-{n}-{key}": value for key, value in item.items()})
    values.update(overrides)  # last: an override may name an item's field (items-0-hs_code)
    return values
