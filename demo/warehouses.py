"""The overseas warehouses in the demo (issue 16): operations open US West and Germany (their
origins and last-mile lanes), the main seller stocks goods ahead in both, receives an
inbound notice short, has another on its way, locks stock for a presale campaign, and
routes orders there, one of them split between the two warehouses; one order finds the
stock short and one names a campaign whose lock has expired (both refused by the gate)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count

from accounts.models import Seller, User
from inventory.exceptions import RouteRefused
from inventory.models import RoutedOrder, Warehouse
from inventory.services import (
    Destination,
    SkuInput,
    SkuQuantity,
    campaign_get_or_create,
    inbound_declare,
    inbound_receive,
    order_route,
    presale_lock_create,
    presale_locks_expire,
    sku_save,
    warehouse_create,
)
from pricing.models import OriginKind, RateCard, Zone
from pricing.services import lane_add, origin_create
from shipments.models import EventSource, Shipment
from shipments.services import shipment_event_record, shipments_mark_label_printed
from shipments.services.tracking import CarrierEvent

from .base import DAY, HOUR, Company, Demo, DemoStoryBroken

DEMO_CARD_FROM = datetime.date(2024, 8, 1)
BOUNDS = [*range(100, 2001, 100), *range(2500, 30001, 500)]
# code: (name, origin, origin name, country, dispatch address, serves, time zone, city,
#        {zone: (price factor, transit days, customs hours)})
NETWORK = {
    "US-LAX": (
        "美西仓 US West (Ontario, CA)",
        "wh-uslax",
        "美西仓 US West warehouse (Ontario, CA)",
        "US",
        "Jingluo US West Fulfilment, 1600 S Milliken Ave, Ontario, CA 91761, United States",
        ["US"],
        "America/Los_Angeles",
        "Ontario, CA",
        {"us-west": ("1.00", 2, 0), "us-central": ("1.10", 3, 0), "us-east": ("1.20", 4, 0)},
    ),
    "DE-FRA": (
        "德国仓 Germany (Frankfurt)",
        "wh-defra",
        "德国仓 Germany warehouse (Frankfurt)",
        "DE",
        "Jingluo Germany Fulfilment, Cargo City Süd 555, 60549 Frankfurt am Main, Germany",
        [
            *("AT", "BE", "CZ", "DE", "DK", "ES", "FR", "IE", "IT", "LU", "NL", "PL", "PT"),
            *("SE", "GB", "US"),
        ],
        "Europe/Berlin",
        "Frankfurt, DE",
        {
            "eu": ("1.00", 3, 0),
            "uk": ("1.25", 4, 24),
            "us-west": ("2.20", 6, 24),
            "us-central": ("2.20", 6, 24),
            "us-east": ("2.10", 5, 24),
        },
    ),
}
# The main seller's SKUs: (code, English, Chinese, HS code, grams, USD, lithium battery)
SKUS = [
    ("TS-0101", "Men's cotton T-shirt", "男士纯棉T恤", "610910", 180, "9.80", False),
    ("PB-2000", "Power bank 20000 mAh", "20000毫安移动电源", "850760", 420, "21.00", True),
    ("DR-3304", "Women's cotton dress", "女士连衣裙", "620442", 250, "24.50", False),
]
US = Destination(
    country="US", postcode="90012", state="CA", city="Los Angeles",
    address="200 N Spring St", name="Daniel Kim", phone="+1 213 555 0142",
)  # fmt: skip
NY = Destination(
    country="US", postcode="10001", state="NY", city="New York",
    address="350 W 31st St Apt 5C", name="James Walker",
)  # fmt: skip
BERLIN = Destination(
    country="DE", postcode="10115", city="Berlin", address="Invalidenstraße 44",
    name="Lena Fischer",
)  # fmt: skip
PARIS = Destination(
    country="FR", postcode="75001", city="Paris", address="18 Rue de Rivoli", name="Chloé Martin"
)


def _band(up_to_g: int, factor: Decimal) -> Decimal:
    """Last mile from a warehouse: ¥8 handling + ¥20/kg up to 2 kg, ¥16/kg above."""
    kg = Decimal(up_to_g) / 1000
    amount = Decimal("8.00") + Decimal("20.00") * min(kg, Decimal(2))
    amount += Decimal("16.00") * max(kg - 2, Decimal(0))
    return (amount * factor).quantize(Decimal("0.01"))


def network_open(demo: Demo) -> dict[str, Warehouse]:
    """Operations open the two warehouses: their origins, their lanes on the demo card (as
    if added before the card took effect, like the card's own lanes), the warehouses."""
    card = RateCard.objects.get(effective_from=DEMO_CARD_FROM)
    zones = {zone.code: zone for zone in Zone.objects.all()}
    opened = {}
    for code, (
        name,
        origin_code,
        origin_name,
        country,
        address,
        serves,
        tz,
        _city,
        lanes,
    ) in NETWORK.items():
        origin = origin_create(
            code=origin_code,
            name=origin_name,
            kind=OriginKind.WAREHOUSE,
            country=country,
            address=address,
        )
        for zone_code, (factor, days, customs_hours) in lanes.items():
            lane_add(
                card=card,
                origin=origin,
                zone=zones[zone_code],
                bands=[(bound, _band(bound, Decimal(factor))) for bound in BOUNDS],
                transit_days=days,
                customs_clearance_hours=customs_hours,
                today=DEMO_CARD_FROM - DAY,
            )
        opened[code] = warehouse_create(
            code=code,
            name=name,
            country=country,
            serves=serves,
            origin=origin,
            cutoff=datetime.time(15, 0),
            time_zone=tz,
        )
    return opened


def main_seller_stocks_ahead(demo: Demo, company: Company, user: User) -> None:
    """The main seller's overseas stock and routed orders (see the module)."""
    seller = _seller(user)
    sites = {w.code: w for w in Warehouse.objects.all()}
    for code, name_en, name_zh, hs, grams, usd, battery in SKUS:
        sku_save(
            seller=seller,
            data=SkuInput(
                code=code, name_en=name_en, name_zh=name_zh, hs_code=hs, unit_weight_g=grams,
                unit_value=usd, currency="USD", contains_battery=battery,
            ),
            on=demo.ago(40).date(),
        )  # fmt: skip
    # Stocked ahead five weeks ago: US West in full, Germany two dresses short.
    west = _inbound(
        demo, user, sites["US-LAX"], "TS-0101:80,PB-2000:40", days=36, ref="MSKU4410023"
    )
    _receive(demo, west, days=31)
    germany = _inbound(
        demo, user, sites["DE-FRA"], "TS-0101:50,DR-3304:40", days=35, ref="OOLU8812764"
    )
    _receive(
        demo,
        germany,
        days=29,
        short={"DR-3304": 2},
        note="2 件外包装破损，拒收 (2 damaged, refused)",
    )
    # An early-summer campaign locks T-shirts in Germany; its lock runs out 12 days ago.
    summer = campaign_get_or_create(seller=seller, code="SUMMER", name="夏季清仓 Summer sale")
    presale_lock_create(
        campaign=summer, warehouse=sites["DE-FRA"], sku=_sku(seller, "TS-0101"), quantity=10,
        expires_at=demo.ago(12), user=user, at=demo.ago(26),
    )  # fmt: skip
    # Orders routed over the last four weeks, most picked up and delivered, in time order.
    for days, where, lines in [
        (25, US, "TS-0101:2"),
        (22, NY, "PB-2000:1"),
        (20, BERLIN, "DR-3304:1,TS-0101:1"),
        (17, PARIS, "TS-0101:3"),
        (13, US, "TS-0101:1,PB-2000:1"),
    ]:
        _route_and_travel(demo, user, where, lines, "", days=days)
    presale_locks_expire(now=demo.ago(12) + 5 * 60 * datetime.timedelta(seconds=1))  # beat
    _route_and_travel(demo, user, NY, "PB-2000:1,DR-3304:1", "", days=9)  # US West + Germany
    _refused(demo, user, PARIS, "TS-0101:1", "SUMMER", days=8, expect="presale_lock_expired")
    _route_and_travel(demo, user, BERLIN, "DR-3304:2", "", days=6)
    _refused(demo, user, US, "PB-2000:90", "", days=4, expect="stock_insufficient")
    # On its way now, for Black Friday's presale, locked ahead of its arrival.
    _inbound(demo, user, sites["DE-FRA"], "DR-3304:60", days=3, ref="OOLU8820391", expected=6)
    black_friday = campaign_get_or_create(
        seller=seller, code="BF2026", name="黑五预售 Black Friday"
    )
    presale_lock_create(
        campaign=black_friday, warehouse=sites["DE-FRA"], sku=_sku(seller, "DR-3304"),
        quantity=45, expires_at=demo.now + 20 * DAY, user=user, at=demo.ago(2),
    )  # fmt: skip
    _route_and_travel(demo, user, PARIS, "DR-3304:1", "BF2026", days=1.5, travels=False)
    _route_and_travel(demo, user, US, "TS-0101:1", "", days=0.4, travels=False)
    split = (
        RoutedOrder.objects.filter(seller=seller)
        .annotate(warehouses=Count("allocations__warehouse", distinct=True))
        .filter(warehouses=2)
    )
    if not split.exists():
        raise DemoStoryBroken("no order was split between the two warehouses")


def _seller(user: User) -> Seller:
    if user.seller is None:
        raise DemoStoryBroken(f"the demo user {user.email} has no seller")
    return user.seller


def _sku(seller, code: str):
    return seller.skus.get(code=code)


def _lines(text: str) -> list[SkuQuantity]:
    return [SkuQuantity(sku, int(q)) for sku, q in (part.split(":") for part in text.split(","))]


def _inbound(demo: Demo, user: User, warehouse, text, *, days, ref, expected=None):
    at = demo.ago(days)
    return inbound_declare(
        seller=_seller(user),
        warehouse=warehouse,
        lines=_lines(text),
        reference=ref,
        expected_on=(demo.now + expected * DAY).date() if expected else (at + 5 * DAY).date(),
        user=user,
        at=at,
    )


def _receive(demo: Demo, notice, *, days, short=None, note=""):
    short = short or {}
    quantities = {
        line.pk: line.declared - short.get(line.sku.code, 0)
        for line in notice.lines.select_related("sku")
    }
    inbound_receive(
        inbound=notice, quantities=quantities, close=True, note=note, user=demo.ops,
        at=demo.ago(days),
    )  # fmt: skip


def _route(demo: Demo, user: User, where: Destination, lines: str, campaign: str, *, days):
    order_number = demo.order_number("aliexpress")
    at = demo.ago(days)
    with demo.clock(at):
        try:
            return order_route(
                seller=_seller(user), order_number=order_number, destination=where,
                lines=_lines(lines), campaign=campaign, user=user, at=at,
            )  # fmt: skip
        except RouteRefused as refused:
            raise DemoStoryBroken(f"{order_number} refused: {refused.code}") from None


def _route_and_travel(
    demo: Demo,
    user: User,
    where: Destination,
    lines: str,
    campaign: str,
    *,
    days: float,
    travels: bool = True,
) -> None:
    result = _route(demo, user, where, lines, campaign, days=days)
    if travels:
        for allocation in result.allocations:
            shipment = Shipment.objects.get(pk=allocation.shipment_id)
            _travel(demo, shipment, user, city=NETWORK[allocation.warehouse][7])


def _refused(demo: Demo, user: User, where, lines, campaign, *, days, expect) -> None:
    order_number = demo.order_number("aliexpress")
    at = demo.ago(days)
    with demo.clock(at):
        try:
            order_route(
                seller=_seller(user), order_number=order_number, destination=where,
                lines=_lines(lines), campaign=campaign, user=user, at=at,
            )  # fmt: skip
        except RouteRefused as refused:
            if refused.code != expect:
                raise DemoStoryBroken(f"{order_number}: {refused.code}, not {expect}") from None
            return
    raise DemoStoryBroken(f"{order_number}: routed, expected {expect}")


def _travel(demo: Demo, shipment: Shipment, user: User, *, city: str) -> None:
    """Printed, picked up at the warehouse the same day, delivered within its promise."""
    created = shipment.created_at
    there = f"{shipment.city}, {shipment.country}"
    out = (shipment.transit_days - 1) * DAY
    steps = [
        (2 * HOUR, "label_printed", ""),
        (6 * HOUR, "picked_up", city),
        (10 * HOUR, "in_transit", city),
        (out, "out_for_delivery", there),
        (out + 8 * HOUR, "delivered", there),
    ]
    for n, (offset, status, where) in enumerate(steps):
        at = created + offset
        if at > demo.now - 0.25 * HOUR:
            break
        with demo.clock(at):
            if status == "label_printed":
                shipments_mark_label_printed(shipment_ids=[shipment.pk], at=at, actor=user)
                shipment.refresh_from_db()
                continue
            shipment_event_record(
                shipment=shipment,
                event=CarrierEvent(
                    event_id=f"demo-{shipment.tracking_number}-{n}",
                    tracking_number=shipment.tracking_number,
                    status=status,
                    at=at,
                    location=where,
                    description={
                        "picked_up": "海外仓出库 Left the warehouse",
                        "in_transit": "运输中 In transit",
                        "out_for_delivery": "派送中 Out for delivery",
                        "delivered": "已妥投 Delivered",
                    }[status],
                ),
                source=EventSource.WEBHOOK,
            )
