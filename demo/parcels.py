"""Parcels in the demo: where they go, what is in them, and how their journey goes, told
through the shipments services (creation through the order gate, the seller's portal
actions, the carrier's scans)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from core.gate import Parcel
from shipments.exceptions import OrderRefused
from shipments.models import EventSource, Shipment
from shipments.services import (
    Recipient,
    parcel_build,
    shipment_cancel,
    shipment_create,
    shipment_event_record,
    shipments_mark_label_printed,
)
from shipments.services.tracking import CarrierEvent
from stores.models import Store

from .base import DAY, HOUR, Company, Demo, DemoStoryBroken


@dataclass(frozen=True)
class Destination:
    country: str
    postcode: str
    city: str
    address: str
    name: str
    state: str = ""


DESTINATIONS = {
    "us-west": [
        Destination(
            "US", "94105", "San Francisco", "535 Mission St Apt 1204", "Emily Carter", "CA"
        ),
        Destination("US", "90012", "Los Angeles", "200 N Spring St", "Daniel Kim", "CA"),
        Destination("US", "98101", "Seattle", "1420 5th Ave Unit 8", "Olivia Brooks", "WA"),
    ],
    "us-central": [
        Destination("US", "60601", "Chicago", "151 N Michigan Ave", "Michael Turner", "IL"),
        Destination("US", "75201", "Dallas", "1900 N Akard St", "Sophia Reyes", "TX"),
    ],
    "us-east": [
        Destination("US", "10001", "New York", "350 W 31st St Apt 5C", "James Walker", "NY"),
        Destination("US", "02108", "Boston", "24 Beacon St", "Grace Hall", "MA"),
        Destination("US", "33101", "Miami", "90 SW 3rd St", "Lucas Perez", "FL"),
    ],
    "uk": [
        Destination("GB", "SW1A 2AA", "London", "12 Whitehall Place", "Oliver Smith"),
        Destination("GB", "M1 1AE", "Manchester", "40 Piccadilly Gardens", "Amelia Jones"),
    ],
    "eu": [
        Destination("DE", "10115", "Berlin", "Invalidenstraße 44", "Lena Fischer"),
        Destination("FR", "75001", "Paris", "18 Rue de Rivoli", "Chloé Martin"),
    ],
    "sea": [
        Destination("SG", "018956", "Singapore", "10 Bayfront Ave #12-03", "Tan Wei Ling"),
        Destination("MY", "50450", "Kuala Lumpur", "Jalan Ampang 168", "Nur Aisyah"),
    ],
}
NOT_SERVED = {
    "RU": Destination("RU", "101000", "Moscow", "ul. Tverskaya 7", "Ivan Petrov"),
    "BR": Destination("BR", "01310-100", "São Paulo", "Av. Paulista 1578", "Ana Souza"),
}
# What sellers ship: (Chinese, English, HS code, unit value in USD, grams, SKU, lithium battery)
CONTENTS = [
    ("手机壳", "Silicone phone case", "420232", "8.90", 60, "PC-1101", False),
    ("蓝牙耳机", "Wireless earbuds", "851830", "19.90", 90, "EB-2207", True),
    ("女士连衣裙", "Women's cotton dress", "620442", "24.50", 250, "DR-3304", False),
    ("儿童积木", "Plastic toy building blocks", "950300", "15.00", 300, "TB-4410", False),
    ("LED台灯", "LED desk lamp", "940520", "22.00", 450, "LP-5502", False),
    ("瑜伽裤", "Women's yoga leggings", "610463", "16.80", 180, "YL-6601", False),
    ("不锈钢保温杯", "Stainless steel vacuum flask", "961700", "12.60", 320, "VF-7705", False),
    ("双肩包", "Polyester backpack", "420292", "29.00", 600, "BP-8803", False),
    ("宠物牵引绳", "Nylon dog leash", "420100", "9.50", 120, "DL-9901", False),
    ("数据线", "USB-C charging cable", "854442", "6.20", 50, "UC-1002", False),
]
# The numbers the marketplaces give with their orders (they collect the VAT as the deemed
# supplier): every demo order to the EU or the UK carries them.
MARKETPLACE_IOSS = "IM2760000001"
MARKETPLACE_UK_VAT = "GB980780684"
EU_COUNTRIES = frozenset({"DE", "FR"})


# ---------------------------------------------------------------------------------------
# How a parcel's journey goes. Times are counted from pickup, in days and hours.
# ---------------------------------------------------------------------------------------
ON_TIME = "on_time"
LATE = "late"
RETURNED = "returned"
EXCEPTION = "exception"  # still unresolved
RESOLVED = "resolved"  # an exception, then delivered
CUSTOMS_HOLD = "customs_hold"  # held in customs, not released yet
CANCELLED = "cancelled"  # cancelled before the label was printed
CANCELLED_PRINTED = "cancelled_printed"  # label printed, then cancelled

_HUBS = {
    "US": "Los Angeles Gateway, US",
    "GB": "London Heathrow, GB",
    "DE": "Frankfurt, DE",
    "FR": "Paris CDG, FR",
    "SG": "Changi, SG",
    "MY": "KLIA, MY",
}
_ORIGIN_HUBS = {"east": "上海浦东", "south": "深圳宝安", "north": "北京顺义"}


# ---------------------------------------------------------------------------------------
# Shipments.
# ---------------------------------------------------------------------------------------
def _items(demo: Demo, destination: Destination, weight_g: int) -> list[dict[str, object]]:
    """One or two lines of what sellers ship, weighing together at most the parcel; no
    lithium batteries to South-East Asia (the demo card's lanes there refuse them)."""
    choices = [c for c in CONTENTS if not (c[6] and destination.country in ("SG", "MY"))]
    lines = demo.rng.sample(choices, 2 if weight_g >= 700 else 1)
    items = []
    for zh, en, hs_code, value, grams, sku, battery in lines:
        quantity = max(1, min(3, weight_g // (grams * len(lines) + 1)))
        items.append(
            {
                "description": en,
                "description_zh": zh,
                "quantity": str(quantity),
                "unit_value": value,
                "currency": "USD",
                "unit_weight_g": str(min(grams, max(1, weight_g // (quantity * len(lines))))),
                "hs_code": hs_code,
                "sku": sku,
                "contains_battery": battery,
            }
        )
    return items


def _parcel(
    demo: Demo,
    company: Company,
    destination: Destination,
    weight_g: int,
    dims: tuple[Decimal, Decimal, Decimal] | None = None,
    **overrides: object,
) -> Parcel:
    """The parcel of an order to ``destination``; ``overrides`` replace its items, state or
    tax numbers (a refusal's cause)."""
    items = overrides.get("items")
    return parcel_build(
        origin=company.origin,
        country=destination.country,
        postcode=destination.postcode,
        weight_g=weight_g,
        dims_cm=dims,
        items=items if isinstance(items, list) else _items(demo, destination, weight_g),
        state=str(overrides.get("state", destination.state)),
        city=destination.city,
        address=destination.address,
        ioss_number=str(
            overrides.get(
                "ioss_number", MARKETPLACE_IOSS if destination.country in EU_COUNTRIES else ""
            )
        ),
        uk_vat_number=str(
            overrides.get(
                "uk_vat_number", MARKETPLACE_UK_VAT if destination.country == "GB" else ""
            )
        ),
    )


def _recipient(destination: Destination) -> Recipient:
    return Recipient(
        name=destination.name,
        address=destination.address,
        city=destination.city,
        phone="+1 415 555 0100" if destination.country == "US" else "",
    )


def destination(demo: Demo, zone: str) -> Destination:
    return demo.rng.choice(DESTINATIONS[zone])


def ship(
    demo: Demo,
    *,
    company: Company,
    store: Store,
    user: User,
    at: datetime.datetime,
    zone: str,
    weight_g: int | None = None,
    dims=None,
) -> Shipment:
    """One order placed through the gate at ``at``; it must pass."""
    where = destination(demo, zone)
    weight_g = weight_g or demo.rng.choice([180, 260, 320, 450, 500, 640, 780, 950, 1200, 1650])
    with demo.clock(at):
        return shipment_create(
            seller=user.seller,
            store=store,
            order_number=demo.order_number(company.platform),
            parcel=_parcel(demo, company, where, weight_g, dims),
            recipient=_recipient(where),
            user=user,
            at=at,
        )


def refuse(
    demo: Demo,
    *,
    company: Company,
    store: Store | None,
    user: User,
    at: datetime.datetime,
    expect: str,
    where: Destination | None = None,
    weight_g: int = 500,
    parcel: dict[str, object] | None = None,
) -> str:
    """An order the gate refuses at ``at`` with the check ``expect``: recorded by the
    creation service as a refused order. Returns its order number. ``parcel`` overrides the
    order's parcel (its items, state, IOSS number …)."""
    where = where or DESTINATIONS["us-west"][0]
    order_number = demo.order_number(company.platform)
    with demo.clock(at):
        try:
            shipment_create(
                seller=user.seller,
                store=store,
                order_number=order_number,
                parcel=_parcel(demo, company, where, weight_g, None, **(parcel or {})),
                recipient=_recipient(where),
                user=user,
                at=at,
            )
        except OrderRefused as refused:
            if refused.code != expect:
                raise DemoStoryBroken(
                    f"{order_number}: refused by {refused.code}, not {expect}"
                ) from None
            return order_number
    raise DemoStoryBroken(f"{order_number}: the gate let it through, expected {expect}")


def _journey(shipment: Shipment, fate: str) -> list[tuple[datetime.timedelta, str, str]]:
    """The steps of a parcel, as (time since creation, status, where)."""
    created = datetime.timedelta(0)
    pickup = 18 * HOUR
    days = shipment.transit_days
    origin = _ORIGIN_HUBS.get(shipment.origin, "中国")
    hub = _HUBS.get(shipment.country, shipment.country)
    city = f"{shipment.city}, {shipment.country}"
    if fate == CANCELLED:
        return [(created + 3 * HOUR, "cancelled", "")]
    steps = [(created + 2 * HOUR, "label_printed", "")]
    if fate == CANCELLED_PRINTED:
        return [*steps, (created + 5 * HOUR, "cancelled", "")]
    steps += [
        (pickup, "picked_up", f"{origin}揽收"),
        (pickup + 12 * HOUR, "in_transit", f"{origin}国际航空中心"),
    ]
    if fate in (EXCEPTION, RESOLVED):
        steps.append((pickup + 3 * DAY, "exception", hub))
        if fate == EXCEPTION:
            return steps
        steps.append((pickup + 4 * DAY, "in_transit", hub))
    steps.append((pickup + (days - 3) * DAY, "customs", hub))
    if fate == CUSTOMS_HOLD:
        return steps
    if fate == RETURNED:
        return [*steps, (pickup + days * DAY, "returned", hub)]
    late = fate == LATE
    out = pickup + (days - 2 + (3 if late else 0)) * DAY
    return [
        *steps,
        (out, "out_for_delivery", city),
        (out + DAY + 9 * HOUR, "delivered", city),
    ]


_DESCRIPTIONS = {
    "picked_up": "已揽收 Picked up",
    "in_transit": "运输中 In transit",
    "customs": "清关中 Held for customs clearance",
    "out_for_delivery": "派送中 Out for delivery",
    "delivered": "已妥投 Delivered",
    "exception": "地址不详，联系收件人中 Address incomplete, contacting the recipient",
    "returned": "清关未通过，退回 Refused at customs, returned to sender",
}


def track(demo: Demo, *, shipment: Shipment, fate: str, user: User) -> Shipment:
    """Play the parcel's journey up to now: portal actions by the seller, carrier scans
    through the tracking service (each with its event id)."""
    for n, (offset, status, where) in enumerate(_journey(shipment, fate)):
        at = shipment.created_at + offset
        if at > demo.now - 0.25 * HOUR:
            break
        with demo.clock(at):
            if status == "label_printed":
                shipments_mark_label_printed(shipment_ids=[shipment.pk], at=at, actor=user)
                shipment.refresh_from_db()
            elif status == "cancelled":
                shipment_cancel(shipment=shipment, user=user, reason="买家取消订单", at=at)
            else:
                shipment_event_record(
                    shipment=shipment,
                    event=CarrierEvent(
                        event_id=f"demo-{shipment.tracking_number}-{n}",
                        tracking_number=shipment.tracking_number,
                        status=status,
                        at=at,
                        location=where,
                        description=_DESCRIPTIONS[status],
                    ),
                    source=EventSource.WEBHOOK,
                )
    return shipment
