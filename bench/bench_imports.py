"""Bulk import of a file of orders with their customs item rows: rows per second and peak
memory, beside PostgreSQL COPY.

    .venv/bin/python bench/bench_imports.py [--rows 100000] [--chunk 1000] [--keep-db]

Creates its own database (``bench_imports``, migrated from scratch, dropped at the end),
an active store bound on its platform, and a CSV of orders (about 4 % refused by the gate: EU
parcels over €150 that carry an IOSS number) to the US, the UK, the EU
and South-East Asia, each of 1 to 7 item rows (4 on average: 100,000 rows ≈ 25,000
shipments). The file is uploaded through the upload service (checked, encrypted, stored),
previewed and, confirmed, processed in this process by the same services the Celery tasks
call (no broker): every order parsed with its items, gated (customs checks included),
priced, numbered and created in chunks. Then the same shipments are COPY'd into a copy of
the shipments table (same indexes and constraints) as the yardstick.

Targets: ≥ 2,000 rows/s, peak memory < 300 MB (``ru_maxrss`` of this process, which does
all the work). Prints figures; asserts nothing.
"""

import argparse
import csv
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["DJANGO_DEBUG"] = "0"  # no query log
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-imports-")
BENCH_DB = "bench_imports"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

DESTINATIONS = [
    ("US", "94105", "CA"),
    ("US", "10001", "NY"),
    ("US", "60601", "IL"),
    ("GB", "SW1A 1AA", ""),
    ("DE", "10115", ""),
    ("FR", "75001", ""),
    ("NL", "1011 AB", ""),
    ("SG", "018956", ""),
    ("TH", "10110", ""),
]
EU = {"DE", "FR", "NL"}
ITEMS = [
    ("Cotton T-shirt", "610910", "TS-1"),
    ("Silicone phone case", "420232", "PC-2"),
    ("Running sneakers", "640411", "SN-3"),
    ("Stainless steel vacuum flask", "961700", "VF-4"),
    ("USB-C charging cable", "854442", "UC-5"),
]
HEADER = ["订单号", "收件人", "电话", "地址", "城市", "州/省", "邮编", "国家", "重量(克)", "长"]
HEADER += ["宽", "高", "品名", "数量", "单价", "币种", "单件重量(克)", "海关编码", "SKU"]
HEADER += ["IOSS", "英国VAT", "发货地"]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def orders_csv(rows: int, seed: int = 7) -> bytes:
    """The file, written straight to UTF-8 bytes (no 100,000-row string in memory): orders
    of 1 to 7 item rows, the order's columns filled on its first row only."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    output = io.BytesIO()
    text = io.TextIOWrapper(output, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(HEADER)
    written, order = 0, 0
    while written < rows:
        order += 1
        country, postcode, state = rng.choice(DESTINATIONS)
        lines = min(rng.randint(1, 7), rows - written)
        dims = ["", "", ""] if rng.random() < 0.5 else [rng.randint(5, 60) for _ in range(3)]
        weight = lines * 300 + rng.randint(50, 1000)
        for line in range(lines):
            description, hs_code, sku = rng.choice(ITEMS)
            order_cells = [
                rng.choice(["张伟", "王芳", "Jane Doe", "Li Na", "Müller Hans"]),
                "+1 415 555 0100",
                f"{rng.randint(1, 999)} Market St, Apt {rng.randint(1, 99)}",
                "San Francisco",
                state,
                postcode,
                country,
                weight,
                *dims,
            ]
            writer.writerow(
                [
                    f"AE-{8_100_000_000 + order}",
                    *(order_cells if line == 0 else [""] * len(order_cells)),
                    description,
                    rng.randint(1, 2),
                    f"{rng.randint(100, 2999) / 100:.2f}",
                    "USD",
                    rng.randint(50, 140),
                    hs_code,
                    sku,
                    "IM2760000001" if country in EU and line == 0 else "",
                    "GB980780684" if country == "GB" and line == 0 else "",
                    rng.choice(["华东", "east", "south", ""]) if line == 0 else "",
                ]
            )
            written += 1
    text.flush()
    return output.getvalue()


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def create_database():
    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def copy_yardstick() -> tuple[int, float]:
    """COPY the created rows into a copy of the shipments table with the same indexes and
    constraints; returns (rows, seconds)."""
    columns = [
        f.column for f in __import__("shipments.models").models.Shipment._meta.concrete_fields
    ]
    columns = [c for c in columns if c != "id"]
    column_list = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_copy (LIKE shipments_shipment INCLUDING ALL)")
        buffer = io.BytesIO()
        with cursor.copy(
            f"COPY (SELECT {column_list} FROM shipments_shipment) TO STDOUT"  # noqa: S608
        ) as copy:
            for data in copy:
                buffer.write(data)
        payload = buffer.getvalue()
        started = time.perf_counter()
        with cursor.copy(f"COPY bench_copy ({column_list}) FROM STDIN") as copy:
            for start in range(0, len(payload), 1 << 20):
                copy.write(payload[start : start + (1 << 20)])
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_copy")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    old_name = create_database()
    try:
        run(args)
    finally:
        if not args.keep_db:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(os.environ["DJANGO_MEDIA_ROOT"], ignore_errors=True)


def run(args) -> None:
    from accounts.models import User
    from shipments.models import RefusedOrder, Shipment, ShipmentItem
    from shipments.services.imports import run as imports_run
    from tests.accounts.factories import SellerUserFactory
    from tests.shipments.factories import store_ready

    store = store_ready(score="96.00")
    user = SellerUserFactory(seller=store.seller, seller_role=User.SellerRole.OWNER)
    data = orders_csv(args.rows)
    imports_run._enqueue = lambda import_id: None  # processed below, in this process
    imports_run._enqueue_preview = lambda import_id: None

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    baseline, baseline_peak = rss_mb(), peak_mb()
    started = time.perf_counter()
    shipment_import = imports_run.shipment_import_create(
        seller=store.seller, user=user, name="bench.csv", data=data
    )
    upload_s = time.perf_counter() - started
    del data
    started = time.perf_counter()
    previewed = imports_run.shipment_import_preview(import_id=shipment_import.pk)
    preview_s = time.perf_counter() - started
    imports_run.shipment_import_confirm(shipment_import=previewed)
    started, cpu_started = time.perf_counter(), cpu_s()
    with connection.execute_wrapper(count):
        imports_run.shipment_import_run(import_id=shipment_import.pk, chunk_rows=args.chunk)
    elapsed, cpu = time.perf_counter() - started, cpu_s() - cpu_started
    shipment_import.refresh_from_db()
    created = Shipment.objects.count()
    items = ShipmentItem.objects.count()

    copied, copy_s = copy_yardstick()
    print(f"rows in the file:       {args.rows:,} item rows (CSV, UTF-8, Chinese headers)")
    print(
        f"upload (check, count, encrypt, store): {upload_s:.2f} s"
        f"  ({args.rows / upload_s:,.0f} rows/s)"
    )
    print(
        f"preview (count, parse, gate every order, nothing written): {preview_s:.2f} s"
        f"  ({args.rows / preview_s:,.0f} rows/s); {previewed.preview['shipments']:,} orders,"
        f" refused {previewed.preview['refused']}"
    )
    print(
        f"import (parse items, gate with customs, price, number, create, charge),"
        f" chunks of {args.chunk}: "
        f"{elapsed:.2f} s = {args.rows / elapsed:,.0f} rows/s  (target ≥ 2,000)"
    )
    print(
        f"  status {shipment_import.status}, rows created {shipment_import.rows_created:,},"
        f" refused {shipment_import.rows_failed:,}; shipments in the table {created:,}"
        f" with {items:,} items,"
        f" refused orders {RefusedOrder.objects.count():,}"
    )
    print(
        f"  CPU of this process during the import: {cpu:.2f} s"
        f" = {args.rows / cpu:,.0f} rows per CPU-second (PostgreSQL works in its own process;"
        f" load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"  queries during the import: {queries[0]:,} ({queries[0] / max(1, args.rows):.3f}/row)")
    print(
        f"peak memory (ru_maxrss of this process): {peak_mb():.0f} MB  (target < 300 MB);"
        f" before the upload: RSS {baseline:.0f} MB, peak {baseline_peak:.0f} MB"
    )
    print(
        f"yardstick, PostgreSQL COPY of the same {copied:,} rows into a copy of the table: "
        f"{copy_s:.2f} s = {copied / copy_s:,.0f} rows/s"
        f" (the import takes {elapsed / copy_s:.1f}× as long)"
    )


if __name__ == "__main__":
    main()
