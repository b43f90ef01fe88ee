"""Routing orders to overseas warehouses (issue 16): latency under concurrency, and the race
for the last units.

    .venv/bin/python bench/bench_routing.py [--warehouses 20] [--skus 100000] [--sellers 20]
        [--routers 20] [--orders 25] [--interval 1.0] [--race-processes 4]
        [--race-orders 500] [--race-units 100] [--reload]

Works in a database of its own (``BENCH_ROUTING_DATABASE``, default
``jingluo_bench_routing``, on the server of ``DATABASE_URL``), created, migrated and loaded
when missing and kept for the next run (``--reload`` loads it again): 20 sellers with an
active store each (monthly settlement), 20 warehouses in three markets (US, the EU, the UK)
with their lanes, 100,000 SKUs (5,000 a seller), each stocked in 3 warehouses (300,000 stock
rows of 1,000 units, each with its movement). Each run first resets the orders, shipments
and stock levels (TRUNCATE, then the levels and their movements again).

(a) Latency: 20 router processes at once, each the door of one seller's ERP, routing 25
orders (after 3 to warm up) through ``order_route`` — the decision, the locks, the
reservation and a shipment per parcel through the order gate, committed. Orders of 1 to 3
random SKUs of the seller (70 / 20 / 10 %) to a city of a market one of the first SKU's
warehouses serves, half ``fill_or_kill``, half ``fill_all_available``. Twice: paced (each
router starts an order every ``--interval`` seconds, the routers a 20th of it apart: 20
orders/s offered, spread over each second) and closed-loop
(each router routes its next order as soon as the last returns: the machine's ceiling).
Then the same orders as dry runs (the decision alone). Target: p95 ≤ 300 ms (the article
promises ≤ 3 s). A seller's orders are serialized on its store's row by the order gate (its
trial quota and balance), so a single seller's routes queue behind each other.

(b) The race: a SKU with exactly ``--race-units`` units left (60 % in one warehouse, 40 % in
another), 4 processes × 500 orders of one unit each at once. Expected: exactly 100 allocated,
1,900 refused (``stock_insufficient``, recorded), no level below zero, and afterwards every
level equal to the sum of its movements (``stock_audit`` over the whole network).

Prints figures; asserts nothing.
"""

import argparse
import multiprocessing
import os
import random
import time
from decimal import Decimal

from _setup import bench_database, percentile

bench_database(env="BENCH_ROUTING_DATABASE", default="jingluo_bench_routing")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Seller  # noqa: E402
from inventory.exceptions import InvalidInventoryInput, RouteRefused  # noqa: E402
from inventory.models import Allocation, Sku, Stock, Warehouse  # noqa: E402
from inventory.selectors import stock_audit  # noqa: E402
from inventory.services import (  # noqa: E402
    Destination,
    SkuQuantity,
    order_route,
    warehouse_create,
)
from pricing.models import OriginKind, RateCard, Zone  # noqa: E402
from pricing.services import lane_add, origin_create  # noqa: E402

DEMO_CARD_FROM = "2024-08-01"
ON_HAND = 1000
RACE_SKU = "RACE-LAST"
# market: (warehouse countries, the zones its warehouses reach, cities orders go to)
MARKETS = {
    "US": (
        ["US"],
        {"us-west": (2, "1.00"), "us-central": (3, "1.10"), "us-east": (4, "1.20")},
        [
            Destination("US", "94105", "CA", "San Francisco", "1 Market St", name="Jane Doe"),
            Destination("US", "10001", "NY", "New York", "350 W 31st St", name="James Walker"),
            Destination("US", "60601", "IL", "Chicago", "151 N Michigan Ave", name="Mia Turner"),
        ],
    ),
    "EU": (
        ["DE", "FR", "NL", "PL", "ES", "IT", "CZ", "BE"],
        {"eu": (3, "1.00"), "uk": (4, "1.25")},
        [
            Destination("DE", "10115", "", "Berlin", "Invalidenstraße 44", name="Lena Fischer"),
            Destination("FR", "75001", "", "Paris", "18 Rue de Rivoli", name="Chloé Martin"),
        ],
    ),
    "UK": (
        ["GB"],
        {"uk": (2, "0.90"), "eu": (4, "1.30")},
        [
            Destination(
                "GB", "SW1A 2AA", "", "London", "12 Whitehall Place", name="Oliver Smith",
                uk_vat_number="GB980780684",
            ),
        ],
    ),
}  # fmt: skip
SERVES = {
    "US": ["US"],
    "EU": ["DE", "FR", "NL", "PL", "ES", "IT", "CZ", "BE", "AT", "DK", "GB"],
    "UK": ["GB", "DE", "FR", "IE", "NL"],
}
BOUNDS = [*range(100, 2001, 100), *range(2500, 30001, 500)]
DYNAMIC_TABLES = (
    "inventory_allocationline, inventory_allocation, inventory_routedorder, "
    "inventory_stockmovement, inventory_presalelock, inventory_campaign, "
    "inventory_inboundline, inventory_inbound, shipments_shipmentitem, shipments_shipmentevent, "
    "shipments_notification, shipments_shipment, shipments_refusedorder, billing_ledgerentry"
)


def _market_of(index: int, warehouses: int) -> str:
    """8 of 20 warehouses in the US, 8 in the EU, 4 in the UK (in that proportion)."""
    share = index / warehouses
    return "US" if share < 0.4 else "EU" if share < 0.8 else "UK"


def _market_of_code(code: str, warehouses: int) -> str:
    return _market_of(int(code.split("-")[1]), warehouses)


def _band(bound: int, factor: Decimal) -> Decimal:
    kg = Decimal(bound) / 1000
    amount = Decimal(8) + Decimal(20) * min(kg, Decimal(2)) + Decimal(16) * max(kg - 2, 0)
    return (amount * factor).quantize(Decimal("0.01"))


def load(warehouses: int, skus: int, sellers: int) -> list[int]:
    """The network and the sellers' SKUs and stock; returns the sellers' ids."""
    from billing.models import SettlementMode
    from tests.shipments.factories import store_ready

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {DYNAMIC_TABLES}, inventory_stock, inventory_sku, inventory_warehouse "
            "CASCADE"
        )
        cursor.execute(
            "DELETE FROM pricing_weightband WHERE lane_id IN "
            "(SELECT id FROM pricing_lane WHERE origin LIKE 'wh-b%%')"
        )
        cursor.execute("DELETE FROM pricing_lane WHERE origin LIKE 'wh-b%%'")
        cursor.execute("DELETE FROM pricing_origin WHERE code LIKE 'wh-b%%'")
    card = RateCard.objects.get(effective_from=DEMO_CARD_FROM)
    zones = {zone.code: zone for zone in Zone.objects.all()}
    before = card.effective_from - timezone.timedelta(days=1)
    for n in range(warehouses):
        market = _market_of(n, warehouses)
        countries, lanes, _cities = MARKETS[market]
        country = countries[n % len(countries)]
        origin = origin_create(
            code=f"wh-b{n:02d}",
            name=f"Bench warehouse {n:02d} ({country})",
            kind=OriginKind.WAREHOUSE,
            country=country,
            address=f"Bench warehouse {n:02d}, {country}",
        )
        for zone, (days, factor) in lanes.items():
            lane_add(
                card=card,
                origin=origin,
                zone=zones[zone],
                bands=[(b, _band(b, Decimal(factor) * (1 + Decimal(n % 5) / 50))) for b in BOUNDS],
                transit_days=days + n % 2,
                customs_clearance_hours=0 if zone.startswith(market.lower()[:2]) else 24,
                today=before,
            )
        warehouse_create(
            code=f"BW-{n:02d}",
            name=f"Bench {market} {n:02d}",
            country=country,
            serves=SERVES[market],
            origin=origin,
        )
    run = time.time_ns() % 10**8  # store ids unique across loads of the same database
    seller_ids = [
        store_ready(
            settlement_mode=SettlementMode.MONTHLY, score="99.00", store_id=f"BR{run}{n:03d}"
        ).seller_id
        for n in range(sellers)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO inventory_sku (seller_id, code, name_en, name_zh, hs_code, unit_weight_g,
                contains_battery, unit_value, currency, origin_country, gtin, mpn, created_at)
            SELECT (%s::bigint[])[1 + n %% %s], 'BS-' || lpad(n::text, 6, '0'),
                   'Cotton T-shirt', '棉质T恤', '610910', 100 + n %% 400, false, 5 + n %% 50,
                   'USD', 'CN', '', '', now()
              FROM generate_series(1, %s) n
            """,
            [seller_ids, sellers, skus],
        )
        # Each SKU in 3 distinct warehouses, spread so that a seller's SKUs sit in every
        # combination (every warehouse holds about 15,000).
        cursor.execute(
            """
            INSERT INTO inventory_stock (warehouse_id, sku_id, on_hand, reserved, inbound,
                inbound_locked, updated_at)
            SELECT DISTINCT w.id, s.id, 0, 0, 0, 0, now()
              FROM inventory_sku s
              CROSS JOIN generate_series(0, 2) k
              JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS n
                      FROM inventory_warehouse) w
                ON w.n = (s.id * 7 + s.id / 20 * 11 + k * (3 + s.id / 20 %% 4)) %% %s
            """,
            [warehouses],
        )
    reset()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = Stock.objects.count()
    print(
        f"loaded: {warehouses} warehouses, {sellers} sellers, {skus:,} SKUs, {rows:,} stock "
        f"rows in {time.perf_counter() - started:.1f} s"
    )
    return seller_ids


def reset() -> None:
    """No orders, no shipments; every stock row at 1,000 on hand with its one movement; the
    race SKU at zero."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {DYNAMIC_TABLES} CASCADE")
        cursor.execute(
            "UPDATE inventory_stock SET on_hand = CASE WHEN sku_id IN "
            "(SELECT id FROM inventory_sku WHERE code = %s) THEN 0 ELSE %s END, "
            "reserved = 0, inbound = 0, inbound_locked = 0",
            [RACE_SKU, ON_HAND],
        )
        cursor.execute(
            """
            INSERT INTO inventory_stockmovement (stock_id, kind, quantity, on_hand_delta,
                reserved_delta, inbound_delta, inbound_locked_delta, reference, reason, at)
            SELECT id, 'received', on_hand, on_hand, 0, 0, 0, 'BENCH', 'loaded', now()
              FROM inventory_stock WHERE on_hand > 0
            """
        )


def _orders(seed: int, count: int, sku_ids: list[int], markets: dict[int, set[str]]):
    """(lines, destination, policy) of ``count`` orders, reproducible."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    orders = []
    for _ in range(count):
        size = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        picked = rng.sample(sku_ids, size)
        market = rng.choice(sorted(markets[picked[0]]))
        destination = rng.choice(MARKETS[market][2])
        lines = [SkuQuantity(f"BS-{sku:06d}", rng.randint(1, 3)) for sku in picked]
        policy = rng.choice(["fill_or_kill", "fill_all_available"])
        orders.append((lines, destination, policy))
    return orders


def _router(n: int, seller_id: int, orders, interval: float, dry: bool, queue) -> None:
    connections.close_all()
    seller = Seller.objects.get(pk=seller_id)
    timings, outcomes = [], {"routed": 0, "split": 0, "refused": 0, "bad": 0}
    tag = "D" if dry else "P" if interval else "C"
    # Paced routers start a fraction of the interval apart: orders arrive spread over each
    # second, as from 20 independent ERPs, not in bursts of 20.
    next_start = time.perf_counter() + interval * n / ROUTERS_PHASES[0]
    for k, (lines, destination, policy) in enumerate(orders):
        if interval:  # paced: start at the next tick (at once when late)
            time.sleep(max(0.0, next_start - time.perf_counter()))
            next_start += interval
        started = time.perf_counter()
        try:
            result = order_route(
                seller=seller, order_number=f"{tag}{n:02d}-{k:04d}", destination=destination,
                lines=lines, policy=policy, dry_run=dry,
            )  # fmt: skip
            outcomes["routed"] += 1
            outcomes["split"] += len(result.allocations) > 1
        except RouteRefused:
            outcomes["refused"] += 1
        except InvalidInventoryInput:
            outcomes["bad"] += 1
        if k >= 3:  # the first three warm the process up (pricing table, imports)
            timings.append(time.perf_counter() - started)
    queue.put((timings, outcomes))
    connections.close_all()


ROUTERS_PHASES = [20]  # how many routers share the interval (set by bench_latency)


def _stocked(seller_ids: list[int], warehouses: int):
    """Per seller: its SKUs (numbers), and the markets each SKU is stocked in."""
    codes = {w.pk: _market_of_code(w.code, warehouses) for w in Warehouse.objects.all()}
    skus: dict[int, list[int]] = {}
    markets: dict[int, set[str]] = {}
    for seller, code, warehouse_id in Stock.objects.exclude(sku__code=RACE_SKU).values_list(
        "sku__seller_id", "sku__code", "warehouse_id"
    ):
        number = int(code[3:])
        if number not in markets:
            skus.setdefault(seller, []).append(number)
        markets.setdefault(number, set()).add(codes[warehouse_id])
    return {seller: (skus.get(seller, []), markets) for seller in seller_ids}


def _run_routers(label, seller_ids, routers, orders, interval, dry, stocked) -> None:
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = []
    for n in range(routers):
        seller = seller_ids[n % len(seller_ids)]
        skus, markets = stocked[seller]
        plan = _orders(1000 + n, orders + 3, skus, markets)
        workers.append(
            context.Process(target=_router, args=(n, seller, plan, interval, dry, queue))
        )
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    timings = [t for r in results for t in r[0]]
    outcomes = {key: sum(r[1][key] for r in results) for key in results[0][1]}
    ms = lambda pct: f"{percentile(timings, pct) * 1000:.0f} ms"  # noqa: E731
    print(f"{label}:")
    print(
        f"    {len(timings):,} timed: p50 {ms(50)}, p95 {ms(95)}, p99 {ms(99)}, "
        f"max {max(timings) * 1000:.0f} ms; {routers * (orders + 3) / elapsed:,.1f} orders/s"
    )
    print(
        f"    {outcomes['routed']:,} routed ({outcomes['split']:,} split), "
        f"{outcomes['refused']:,} refused, {outcomes['bad']:,} bad input; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def bench_latency(
    seller_ids: list[int], routers: int, orders: int, interval: float, warehouses: int
) -> None:
    print(
        f"== latency: {routers} routers at once (one seller each), {orders} orders each "
        f"(+3 to warm up); target p95 ≤ 300 ms"
    )
    stocked = _stocked(seller_ids, warehouses)
    ROUTERS_PHASES[0] = routers
    _run_routers(
        f"route, paced (an order every {interval:g} s per router: "
        f"{routers / interval:g}/s offered)",
        seller_ids, routers, orders, interval, False, stocked,
    )  # fmt: skip
    reset()
    _run_routers(
        "route, closed loop (each router's next order as soon as the last returns)",
        seller_ids, routers, orders, 0.0, False, stocked,
    )  # fmt: skip
    _run_routers(
        "dry run (the decision alone), closed loop",
        seller_ids, routers, orders, 0.0, True, stocked,
    )  # fmt: skip


def _racer(n: int, seller_id: int, orders: int, destination: Destination, queue) -> None:
    connections.close_all()
    seller = Seller.objects.get(pk=seller_id)
    routed = refused = other = 0
    for k in range(orders):
        try:
            order_route(
                seller=seller, order_number=f"RACE{n}-{k:04d}", destination=destination,
                lines=[SkuQuantity(RACE_SKU, 1)],
            )  # fmt: skip
            routed += 1
        except RouteRefused as error:
            refused += error.code == "stock_insufficient"
            other += error.code != "stock_insufficient"
    queue.put((routed, refused, other))
    connections.close_all()


def bench_race(seller_id: int, processes: int, orders: int, units: int, warehouses: int) -> None:
    print(f"== race: {processes} processes × {orders} orders of 1 unit for the last {units}")
    reset()
    seller = Seller.objects.get(pk=seller_id)
    us = [
        w for w in Warehouse.objects.order_by("code") if _market_of_code(w.code, warehouses) == "US"
    ][:2]
    race = Sku.objects.get_or_create(
        seller=seller,
        code=RACE_SKU,
        defaults={
            "name_en": "Cotton T-shirt", "hs_code": "610910", "unit_weight_g": 200,
            "unit_value": Decimal("9.90"), "currency": "USD",
        },
    )[0]  # fmt: skip
    first = units * 6 // 10
    with connection.cursor() as cursor:
        for warehouse, quantity in ((us[0], first), (us[1], units - first)):
            cursor.execute(
                "INSERT INTO inventory_stock (warehouse_id, sku_id, on_hand, reserved, inbound, "
                "inbound_locked, updated_at) VALUES (%s, %s, 0, 0, 0, 0, now()) "
                "ON CONFLICT (warehouse_id, sku_id) DO NOTHING",
                [warehouse.pk, race.pk],
            )
            cursor.execute(
                "UPDATE inventory_stock SET on_hand = %s WHERE warehouse_id = %s AND sku_id = %s "
                "RETURNING id",
                [quantity, warehouse.pk, race.pk],
            )
            stock_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO inventory_stockmovement (stock_id, kind, quantity, on_hand_delta, "
                "reserved_delta, inbound_delta, inbound_locked_delta, reference, reason, at) "
                "VALUES (%s, 'received', %s, %s, 0, 0, 0, 'BENCH', 'the last units', now())",
                [stock_id, quantity, quantity],
            )
    destination = MARKETS["US"][2][0]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_racer, args=(n, seller_id, orders, destination, queue))
        for n in range(processes)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    routed = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    other = sum(r[2] for r in results)
    rows = Stock.objects.filter(sku=race)
    allocated = sum(
        Allocation.objects.filter(lines__stock__sku=race).values_list("lines__quantity", flat=True)
    )
    lowest = min(row.on_hand - row.reserved for row in rows)
    print(
        f"allocated: {allocated} units in {routed:,} orders (expected exactly {units}); "
        f"refused stock_insufficient: {refused:,} (expected {processes * orders - units:,}); "
        f"other refusals: {other}"
    )
    print(
        "levels: "
        + ", ".join(f"on hand {r.on_hand} reserved {r.reserved}" for r in rows.order_by("pk"))
        + f"; lowest free {lowest} (never below zero: the database's CHECKs)"
    )
    started_audit = time.perf_counter()
    problems = stock_audit()
    print(
        f"levels = movements afterwards, over {Stock.objects.count():,} stock rows: "
        f"{'yes' if not problems else f'NO, {len(problems)} problems'} "
        f"(audit {time.perf_counter() - started_audit:.1f} s)"
    )
    print(f"elapsed {elapsed:.1f} s = {processes * orders / elapsed:,.0f} orders/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouses", type=int, default=20)
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--sellers", type=int, default=20)
    parser.add_argument("--routers", type=int, default=20)
    parser.add_argument("--orders", type=int, default=25)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--race-processes", type=int, default=4)
    parser.add_argument("--race-orders", type=int, default=500)
    parser.add_argument("--race-units", type=int, default=100)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seller_ids = sorted(set(Sku.objects.exclude(code=RACE_SKU).values_list("seller_id", flat=True)))
    loaded = (
        len(seller_ids) == args.sellers
        and Warehouse.objects.count() == args.warehouses
        and Sku.objects.exclude(code=RACE_SKU).count() == args.skus
    )
    if args.reload or not loaded:
        seller_ids = load(args.warehouses, args.skus, args.sellers)
    else:
        reset()
        print(
            f"network kept: {args.warehouses} warehouses, {args.sellers} sellers, "
            f"{args.skus:,} SKUs, {Stock.objects.count():,} stock rows (--reload to load again)"
        )
    bench_latency(seller_ids, args.routers, args.orders, args.interval, args.warehouses)
    bench_race(
        seller_ids[0], args.race_processes, args.race_orders, args.race_units, args.warehouses
    )


if __name__ == "__main__":
    main()
