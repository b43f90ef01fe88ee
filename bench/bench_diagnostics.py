"""The diagnostics trace on a big database: 10,000 sellers, 1,000,000 shipments, 200,000
refused orders.

    .venv/bin/python bench/bench_diagnostics.py [--traces 300] [--reload]

Works in a database of its own (``BENCH_DIAGNOSTICS_DATABASE``, default
``jingluo_bench_diagnostics``, on the server of ``DATABASE_URL``), created and migrated when
missing, so that neither the local database nor a test run is touched. Rows are loaded once
with set-based ``INSERT … SELECT generate_series`` (kept for the next run; ``--reload``
loads again): one active store per seller, its platform metrics (10 % unbound, 2 % with
serious complaints), 100 shipments and 20 refused orders per seller. Then ``ANALYZE``, and
``order_diagnose`` (the service behind the seller's page and the command, including the
recorded run) is timed for random refused orders and random shipments, and
``account_diagnose`` for random sellers. Prints p50 / p95 / max in ms and the queries of one
trace. Target: p95 < 50 ms, at most 20 queries. Asserts nothing.
"""

import argparse
import random
import statistics
import time

from _setup import (
    bench_database,
    clone_sql,
    clone_stores_sql,
    percentile,
    template_shipment,
    template_store,
)

bench_database(env="BENCH_DIAGNOSTICS_DATABASE", default="jingluo_bench_diagnostics")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Seller  # noqa: E402
from diagnostics.models import DiagnosticRun  # noqa: E402
from diagnostics.services import account_diagnose, order_diagnose  # noqa: E402
from onboarding.models import Application, ApplicationStatus  # noqa: E402
from platforms.models import (  # noqa: E402
    ImportStatus,
    Platform,
    StoreMetricsImport,
    StoreMetricsSnapshot,
)
from shipments.models import RefusedOrder, Shipment  # noqa: E402
from stores.models import Store  # noqa: E402

SELLERS = 10_000
SHIPMENTS_PER_SELLER = 100
REFUSALS_PER_SELLER = 20
TEMPLATE = "BENCH-TEMPLATE"
TARGET_MS = 50
MAX_QUERIES = 20


def _templates():
    seller = Seller.objects.create(company_name=TEMPLATE)
    application = Application.objects.create(
        seller=seller,
        status=ApplicationStatus.ACTIVE,
        company_name="深圳市基准测试贸易有限公司",
        registered_address="深圳市南山区科技园路1号",
        tax_address="深圳市南山区科技园路1号",
        legal_rep_name="张伟",
        legal_rep_id_number="440305199201010011",
        legal_rep_id_expiry="2036-01-01",
        platform=Platform.ALIEXPRESS,
        store_id=TEMPLATE,
        settlement_mode="monthly",
    )
    store = template_store(application=application)
    now = timezone.now()
    batch = StoreMetricsImport.objects.create(
        file_name="bench.csv", sha256="0" * 64, status=ImportStatus.SUCCEEDED
    )
    metrics = StoreMetricsSnapshot.objects.create(
        platform=Platform.ALIEXPRESS,
        store_id=TEMPLATE,
        as_of=timezone.localdate(),
        positive_rating_pct="97.50",
        dsr_logistics="4.85",
        fulfilment_score="98.00",
        return_rate_pct="1.20",
        label_print_success_pct="99.40",
        serious_complaints_30d=0,
        store_bound=True,
        store_level="L3",
        batch=batch,
        imported_at=now,
    )
    shipment = template_shipment(
        seller=seller, store=store, order_number=TEMPLATE, status="delivered"
    )
    refusal = RefusedOrder.objects.create(
        seller=seller,
        store=store,
        order_number=TEMPLATE,
        check_code="store_not_bound",
        message="not bound",
        evidence={"platform": "aliexpress", "store_id": TEMPLATE},
        parcel={
            "origin": "east",
            "country": "US",
            "postcode": "94105",
            "weight_g": 500,
            "dims_cm": None,
            "green": False,
        },
        at=now,
    )
    return seller, application, store, metrics, shipment, refusal


def load() -> None:
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for model in (DiagnosticRun, RefusedOrder, Shipment, StoreMetricsSnapshot):
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
        Application.objects.filter(store_id__startswith="BENCH").delete()
        Store.objects.filter(platform_store_id__startswith="BENCH").delete()
        Seller.objects.filter(company_name__startswith="BENCH").delete()
        _seller, application, store, metrics, shipment, refusal = _templates()
        cursor.execute(
            "INSERT INTO accounts_seller (company_name, created_at) "
            "SELECT 'BENCH seller ' || g, now() FROM generate_series(1, %s) g",
            [SELLERS],
        )
        cursor.execute(
            clone_sql(
                Application,
                {"seller_id": "s.id", "store_id": "'BENCH' || s.id", "opened_store_id": "NULL"},
                "FROM onboarding_application t, accounts_seller s "
                "WHERE t.id = %s AND s.company_name LIKE 'BENCH seller %%'",
            ),
            [application.pk],
        )
        # Each application's store in service (shipments and refusals point at it).
        for sql in clone_stores_sql(
            template_store_id=store.pk,
            applications_where="a.store_id LIKE 'BENCH%' AND a.store_id <> 'BENCH-TEMPLATE'",
        ):
            cursor.execute(sql)
        cursor.execute(
            "CREATE TEMP TABLE bench_store ON COMMIT DROP AS "
            "SELECT id AS store_id, seller_id, platform_store_id AS platform_store "
            "FROM stores_store WHERE platform_store_id LIKE 'BENCH%%' "
            "AND platform_store_id <> %s",
            [TEMPLATE],
        )
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            clone_sql(
                StoreMetricsSnapshot,
                {
                    "store_id": "x.platform_store",
                    "store_bound": "x.r >= 0.10",
                    "serious_complaints_30d": "CASE WHEN x.r2 < 0.02 THEN 2 ELSE 0 END",
                },
                "FROM (SELECT platform_store, random() AS r, random() AS r2 FROM bench_store) x,"
                " platforms_storemetricssnapshot t WHERE t.id = %s",
            ),
            [metrics.pk],
        )
        cursor.execute("CREATE TEMP SEQUENCE bench_tracking")
        cursor.execute(
            clone_sql(
                Shipment,
                {
                    "seller_id": "s.seller_id",
                    "store_id": "s.store_id",
                    "order_number": "'AE-' || s.seller_id || '-' || g",
                    "tracking_number": "'BB' || lpad(nextval('bench_tracking')::text, 9, '0')"
                    " || 'CN'",
                    "created_at": "now() - g * interval '1 day'",
                    "status_changed_at": "now() - g * interval '1 day'",
                },
                "FROM bench_store s CROSS JOIN generate_series(1, %s) g, "
                "shipments_shipment t WHERE t.id = %s",
            ),
            [SHIPMENTS_PER_SELLER, shipment.pk],
        )
        codes = "(ARRAY['store_not_bound','store_not_bound','store_not_bound','lane_not_served'])"
        cursor.execute(
            clone_sql(
                RefusedOrder,
                {
                    "seller_id": "s.seller_id",
                    "store_id": "s.store_id",
                    "order_number": "'RF-' || s.seller_id || '-' || g",
                    "check_code": f"{codes}[1 + (g %% 4)]",
                    "at": "now() - g * interval '1 hour'",
                },
                "FROM bench_store s CROSS JOIN generate_series(1, %s) g, "
                "shipments_refusedorder t WHERE t.id = %s",
            ),
            [REFUSALS_PER_SELLER, refusal.pk],
        )
        shipment.delete()
        refusal.delete()
        metrics.delete()
        for model in (Shipment, RefusedOrder, StoreMetricsSnapshot, Application, Store, Seller):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    print(f"loaded in {time.perf_counter() - started:.1f} s")


def counts() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM accounts_seller), "
            "(SELECT count(*) FROM shipments_shipment), "
            "(SELECT count(*) FROM shipments_refusedorder)"
        )
        return cursor.fetchone()


def timed(label: str, calls: list) -> None:
    for call in calls[:5]:  # warm caches and connections
        call()
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        calls[0]()
    p95 = percentile(times, 95)
    verdict = "ok" if p95 < TARGET_MS and len(queries) <= MAX_QUERIES else "OVER"
    print(
        f"  {label:<36} n {len(times):4d}  p50 {statistics.median(times):6.1f}  "
        f"p95 {p95:6.1f}  max {max(times):6.1f} ms  {len(queries):2d} queries  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--traces", type=int, default=300)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    sellers, shipments, refusals = counts()
    if args.reload or shipments != SELLERS * SHIPMENTS_PER_SELLER:
        load()
        sellers, shipments, refusals = counts()
    print(f"{sellers:,} sellers, {shipments:,} shipments, {refusals:,} refused orders")
    rng = random.Random(7)  # noqa: S311 - benchmark sampling
    ids = list(
        Seller.objects.filter(company_name__startswith="BENCH seller ").values_list("id", flat=True)
    )
    by_id = Seller.objects.in_bulk(rng.sample(ids, min(len(ids), args.traces)))
    chosen = list(by_id.values())

    def refused(seller):
        number = f"RF-{seller.pk}-{rng.randint(1, REFUSALS_PER_SELLER)}"
        return lambda: order_diagnose(seller=seller, order_number=number)

    def shipped(seller):
        number = f"AE-{seller.pk}-{rng.randint(1, SHIPMENTS_PER_SELLER)}"
        return lambda: order_diagnose(seller=seller, order_number=number)

    timed("trace of a refused order", [refused(s) for s in chosen])
    timed("trace of an existing shipment", [shipped(s) for s in chosen])
    timed("trace of the account", [lambda s=s: account_diagnose(seller=s) for s in chosen])
    print(f"target: p95 < {TARGET_MS} ms, ≤ {MAX_QUERIES} queries per trace")


if __name__ == "__main__":
    main()
