"""The order gate with its customs checks, per order, beside the same gate without them.

    .venv/bin/python bench/bench_customs.py [N]

Needs the migrated local database (the demo rate card, the customs rules and FX rates of
migration customs 0002). Builds N parcels of 5 item lines to the US, the EU and the UK
(checked and normalised as an order is, by ``parcel_build``), loads one account's facts once,
and times what each order of a bulk file costs: its parcel facts (the quote; the customs
facts) and every check, ``gate.with_parcel`` + ``gate.run``. "Without customs" is the gate
of before the customs issue: the same registry without the customs loaders and checks.
Target: with customs ≤ 1.5 × without. Prints figures; asserts nothing.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.gate import GATE_ORDER, GateRegistry, gate  # noqa: E402
from shipments.services import parcel_build  # noqa: E402

CUSTOMS = {check.code for check in gate.checks() if check.func.__module__ == "customs.gate_checks"}
DESTINATIONS = [
    {"country": "US", "postcode": "94105", "state": "CA", "city": "San Francisco"},
    {"country": "US", "postcode": "10001", "state": "NY", "city": "New York"},
    {"country": "DE", "postcode": "10115", "city": "Berlin", "ioss_number": "IM2760000001"},
    {"country": "FR", "postcode": "75001", "city": "Paris", "ioss_number": "IM2760000001"},
    {"country": "GB", "postcode": "SW1A 1AA", "city": "London", "uk_vat_number": "GB980780684"},
]
ITEMS = [
    ("Cotton T-shirt", "610910", "TS-1"),
    ("Silicone phone case", "420232", "PC-2"),
    ("Running sneakers", "640411", "SN-3"),
    ("Stainless steel vacuum flask", "961700", "VF-4"),
    ("USB-C charging cable", "854442", "UC-5"),
]


def parcels(n: int, seed: int = 11) -> list:
    rng = random.Random(seed)  # noqa: S311 - benchmark inputs, not secrets
    return [
        parcel_build(
            origin="east",
            weight_g=2000,
            address="1 Main Street",
            items=[
                {
                    "description": description,
                    "quantity": str(rng.randint(1, 3)),
                    "unit_value": f"{rng.randint(100, 2000) / 100:.2f}",
                    "currency": "USD",
                    "unit_weight_g": "100",
                    "hs_code": hs_code,
                    "sku": sku,
                }
                for description, hs_code, sku in ITEMS
            ],
            **rng.choice(DESTINATIONS),
        )
        for _ in range(n)
    ]


def without_customs() -> GateRegistry:
    """The gate as it was before the customs checks: the same checks and loaders, minus
    customs'."""
    registry = GateRegistry(order=[code for code in GATE_ORDER if code not in CUSTOMS])
    registry._checks = {c.code: c for c in gate.checks() if c.code not in CUSTOMS}
    registry._loaders = [
        loader for loader in gate._loaders if not loader.name.startswith("customs.")
    ]
    registry._created_hooks = list(gate._created_hooks)
    return registry


def per_order_us(registry: GateRegistry, orders: list, rounds: int = 5) -> list[float]:
    from stores.models import Store

    # The living demo's main seller: active, bound, monthly, no overdue statement, so that
    # every check runs (the gate stops at the first failure).
    store = Store.objects.select_related("seller").get(seller__users__email="seller@jingluo.local")
    account = registry.context(seller=store.seller, store=store, parcel=None)
    sample = registry.run(registry.with_parcel(account, parcel=orders[0], order_number="B-0"))
    if not sample.passed:
        raise SystemExit(f"the bench's orders must pass the gate: {sample.root_cause}")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for parcel in orders:
            ctx = registry.with_parcel(account, parcel=parcel, order_number="B-1")
            registry.run(ctx)
        times.append((time.perf_counter() - started) / len(orders) * 1e6)
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    orders = parcels(n)
    before = without_customs()
    with CaptureQueriesContext(connection) as queries:
        per_order_us(gate, orders[:100], rounds=1)  # warm the caches (rate card, rules)
    # alternate the two, so that a drift of the host's speed falls on both
    plain, customs = [], []
    for _ in range(3):
        plain += per_order_us(before, orders, rounds=1)
        customs += per_order_us(gate, orders, rounds=1)
    p, c = statistics.median(plain), statistics.median(customs)
    print(f"orders: {n:,} parcels of 5 item lines to the US, DE, FR, GB (one account)")
    print(f"gate without customs: {p:,.1f} µs per order (median of 3)")
    print(f"gate with customs:    {c:,.1f} µs per order (median of 3)")
    print(f"ratio: {c / p:.2f} × (target ≤ 1.5 ×)")
    print(f"queries for the account's facts and the first 100 orders: {len(queries)}")


if __name__ == "__main__":
    main()
