"""Quotes per second in one process, once the rate cards are in memory.

    .venv/bin/python bench/bench_quotes.py [N]

Needs the migrated local database (the demo rate card). Target: ≥ 20,000 quotes/s.
Prints figures; asserts nothing.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pricing.services.quotes import quote  # noqa: E402

DESTINATIONS = [
    ("US", "94105"),
    ("US", "10001"),
    ("US", "60601"),
    ("GB", ""),
    ("DE", ""),
    ("FR", ""),
    ("IT", ""),
    ("NL", ""),
    ("SG", ""),
    ("TH", ""),
    ("VN", ""),
]


def inputs(n: int, seed: int = 42) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - benchmark inputs, not secrets
    start = date(2025, 1, 1)
    return [
        {
            "origin": rng.choice(("east", "south", "north")),
            "country": (dest := rng.choice(DESTINATIONS))[0],
            "postcode": dest[1],
            "weight_g": rng.randint(1, 20_000),
            "dims_cm": None
            if rng.random() < 0.5
            else tuple(Decimal(rng.randint(10, 400)) / 10 for _ in range(3)),
            "score": Decimal(rng.randint(800, 1000)) / 10,
            "on_date": start + timedelta(days=rng.randint(0, 729)),
            "green": rng.random() < 0.3,
        }
        for _ in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    batch = inputs(n)
    quote(**batch[0])  # warm the cache
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        total = Decimal(0)
        for params in batch:
            total += quote(**params).total
        elapsed = time.perf_counter() - started
    print(f"quotes:           {n:,}")
    print(f"elapsed:          {elapsed:.3f} s")
    print(f"quotes/s:         {n / elapsed:,.0f}  (target ≥ 20,000)")
    print(f"µs per quote:     {elapsed / n * 1e6:.1f}")
    print(f"DB queries:       {len(queries)} (once warm)")
    print(f"sum of totals:    ¥{total:,}")


if __name__ == "__main__":
    main()
