"""Shipment pages on a big table: 1,000,000 shipments for 10,000 sellers.

    .venv/bin/python bench/bench_shipment_pages.py [--requests 50] [--reload]

Works in a database of its own (``BENCH_PAGES_DATABASE``, default ``jingluo_bench_pages``,
on the server of ``DATABASE_URL``), created and migrated when missing, so that neither the
local ``jingluo`` database nor a test run is touched. The rows are loaded once with
set-based ``INSERT … SELECT generate_series`` (kept for the next run; ``--reload`` loads
again): 9,999 sellers with 90 shipments each and one big seller with 100,090, each seller
with its active application and the store it opened (the shipments' store), over the last
365 days, written in time order as in life, 70 % delivered. Then ``VACUUM ANALYZE``, and
each page is requested through Django's test client (the whole stack but the socket):
the seller list (first page, a filtered page, a search, the next page by cursor), detail,
the CSV export and the dashboard, for a typical and for the big seller, and the admin's
Shipment changelist (plain, filtered, searched; by a staff user with TOTP set up, as the
admin requires). Prints p50 / p95 / max in ms and the queries of one request. Target:
p95 < 150 ms, query counts that do not depend on the table's size. Asserts nothing.
"""

import argparse
import datetime
import html
import re
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

bench_database(
    env="BENCH_PAGES_DATABASE",
    default="jingluo_bench_pages",
    DJANGO_ALLOWED_HOSTS="testserver,localhost",
)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

# Static files by name: the page times should not depend on a collectstatic manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Seller, User  # noqa: E402
from accounts.selectors import user_has_totp  # noqa: E402
from onboarding.models import Application, ApplicationStatus  # noqa: E402
from platforms.models import (  # noqa: E402
    ImportStatus,
    Platform,
    StoreMetricsImport,
    StoreMetricsSnapshot,
)
from shipments.models import EventSource, Shipment, ShipmentEvent, ShipmentStatus  # noqa: E402
from stores.models import Store  # noqa: E402

SELLERS = 10_000
PER_SELLER = 90
BIG_SELLER_ROWS = 1_000_000 - (SELLERS - 1) * PER_SELLER  # 100,090
TEMPLATE = "BENCH-TEMPLATE"
# The cloned applications, one per seller, the template's left out (``onboarding_application a``).
CLONED_APPLICATIONS = f"a.store_id LIKE 'BENCH%' AND a.store_id <> '{TEMPLATE}'"
TARGET_MS = 150


def _template_rows() -> tuple[Application, Store, Shipment]:
    """One seller, its active application, the store that application opened and a
    shipment of that store, made through the ORM, cloned by SQL below: every NOT NULL
    column gets a value without restating the models here."""
    seller = Seller.objects.create(company_name=TEMPLATE)
    application = Application.objects.create(
        seller=seller,
        status=ApplicationStatus.ACTIVE,
        company_name="深圳市基准测试贸易有限公司",
        platform=Platform.ALIEXPRESS,
        store_id=TEMPLATE,
    )
    store = template_store(application=application)
    shipment = template_shipment(seller=seller, store=store, order_number=TEMPLATE)
    return application, store, shipment


def load() -> None:
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for model in (ShipmentEvent, Shipment, StoreMetricsSnapshot):
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
        User.objects.filter(email__endswith="@bench.jingluo.local").delete()
        Application.objects.filter(store_id__startswith="BENCH").delete()
        Store.objects.filter(platform_store_id__startswith="BENCH").delete()
        Seller.objects.filter(company_name__startswith="BENCH").delete()
        application, store, shipment = _template_rows()
        cursor.execute(
            "INSERT INTO accounts_seller (company_name, created_at) "
            "SELECT 'BENCH seller ' || g, now() FROM generate_series(1, %s) g",
            [SELLERS],
        )
        cursor.execute(
            clone_sql(
                Application,
                # Its store is opened below (a OneToOne: not the template's).
                {"seller_id": "s.id", "store_id": "'BENCH' || s.id", "opened_store_id": "NULL"},
                "FROM onboarding_application t, accounts_seller s "
                "WHERE t.id = %s AND s.company_name LIKE 'BENCH seller %%'",
            ),
            [application.pk],
        )
        # Each cloned application opens its copy of the template store, and links it.
        for sql in clone_stores_sql(
            template_store_id=store.pk, applications_where=CLONED_APPLICATIONS
        ):
            cursor.execute(sql)
        # The shipments' stores, n = 1 the first seller's (the big seller of ``main``).
        cursor.execute(
            "CREATE TEMP TABLE bench_store ON COMMIT DROP AS "
            "SELECT row_number() OVER (ORDER BY seller_id) AS n, id AS store_id, seller_id "
            "FROM stores_store WHERE platform_store_id LIKE 'BENCH%%' "
            "AND platform_store_id <> %s",
            [TEMPLATE],
        )
        cursor.execute("CREATE TEMP SEQUENCE bench_tracking")
        cursor.execute("SELECT setseed(0.42)")
        status = (
            "CASE WHEN x.r < 0.05 THEN 'created' WHEN x.r < 0.10 THEN 'label_printed' "
            "WHEN x.r < 0.20 THEN 'in_transit' WHEN x.r < 0.23 THEN 'customs' "
            "WHEN x.r < 0.25 THEN 'out_for_delivery' WHEN x.r < 0.27 THEN 'exception' "
            "WHEN x.r < 0.28 THEN 'returned' WHEN x.r < 0.30 THEN 'cancelled' "
            "ELSE 'delivered' END"
        )
        delivered = "x.r >= 0.30"
        picked = "x.r >= 0.10 AND NOT (x.r >= 0.28 AND x.r < 0.30)"  # with the carrier
        cursor.execute(
            clone_sql(
                Shipment,
                {
                    "seller_id": "x.seller_id",
                    "store_id": "x.store_id",
                    "order_number": "'AE-' || x.seller_id || '-' || lpad(x.g::text, 6, '0')",
                    "tracking_number": "'BB' || lpad(nextval('bench_tracking')::text, 9, '0')"
                    " || 'CN'",
                    "status": status,
                    "created_at": "x.c",
                    "status_changed_at": "x.c + interval '1 day'",
                    "country": "(ARRAY['US','US','US','GB','DE','FR','SG'])"
                    "[1 + floor(x.r2 * 7)::int]",
                    "postcode": "CASE WHEN floor(x.r2 * 7) < 3 THEN '94105' ELSE '' END",
                    "label_printed_at": "CASE WHEN x.r >= 0.05 THEN x.c END",
                    "picked_up_at": f"CASE WHEN {picked} THEN x.c + interval '1 day' END",
                    "promised_by": f"CASE WHEN {picked} THEN x.c + interval '8 days' END",
                    "delivered_at": f"CASE WHEN {delivered} "
                    "THEN x.c + interval '4 days' + x.r2 * interval '6 days' END",
                    "on_time": f"CASE WHEN {delivered} THEN x.r2 * 6 <= 4 END",
                    "cancelled_at": "CASE WHEN x.r >= 0.28 AND x.r < 0.30 THEN x.c END",
                },
                "FROM (SELECT s.seller_id, s.store_id, g, random() AS r, random() AS r2, "
                "now() - random() * interval '365 days' AS c FROM bench_store s "
                "CROSS JOIN LATERAL generate_series(1, CASE WHEN s.n = 1 THEN %s ELSE %s END) g"
                ") x, shipments_shipment t WHERE t.id = %s "
                # Rows land in time order, as in life: sellers interleaved on the disk.
                "ORDER BY x.c",
            ),
            [BIG_SELLER_ROWS, PER_SELLER, shipment.pk],
        )
        shipment.delete()
    with connection.cursor() as cursor:  # outside the transaction: VACUUM needs that
        for model in (Shipment, Store, Application, Seller):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"loaded 1,000,000 shipments in {time.perf_counter() - started:.1f} s")


def loaded() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM shipments_shipment")
        return cursor.fetchone()[0] == 1_000_000


def seller_user(seller_id: int, *, label: str, score: str) -> User:
    seller = Seller.objects.get(pk=seller_id)
    store = Store.objects.get(seller=seller)
    batch, _ = StoreMetricsImport.objects.get_or_create(
        file_name="bench.csv",
        defaults={"sha256": "0" * 64, "status": ImportStatus.SUCCEEDED},
    )
    StoreMetricsSnapshot.objects.get_or_create(
        platform=store.platform,
        store_id=store.platform_store_id,
        as_of=timezone.localdate(),
        defaults={
            "positive_rating_pct": "97.50",
            "dsr_logistics": "4.85",
            "fulfilment_score": score,
            "return_rate_pct": "1.20",
            "label_print_success_pct": "99.40",
            "serious_complaints_30d": 0,
            "store_bound": True,
            "store_level": "L3",
            "batch": batch,
            "imported_at": timezone.now(),
        },
    )
    user, _ = User.objects.get_or_create(
        email=f"{label}@bench.jingluo.local",
        defaults={"seller": seller, "seller_role": User.SellerRole.OWNER},
    )
    return user


def ops_user() -> User:
    """Operations staff with an authenticator app set up: the admin sends staff without
    one to set it up (``accounts.middleware.StaffMfaRequiredMiddleware``)."""
    user, _ = User.objects.get_or_create(
        email="ops@bench.jingluo.local", defaults={"is_staff": True, "is_superuser": True}
    )
    if not user_has_totp(user=user):
        TOTP.activate(user, generate_totp_secret())
    return user


def timed(client: Client, url: str, n: int) -> tuple[list[float], int]:
    for _ in range(3):  # warm caches, connections, templates
        _consume(client.get(url))
    times = []
    for _ in range(n):
        started = time.perf_counter()
        _consume(client.get(url))
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _consume(client.get(url))
    return times, len(queries)


def _consume(response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code} for {response.request['PATH_INFO']}")
    if response.streaming:
        b"".join(response.streaming_content)


def report(label: str, times: list[float], queries: int, *, page: bool = True) -> None:
    p95 = percentile(times, 95)
    verdict = ("ok" if p95 < TARGET_MS else "OVER") if page else "(a download)"
    print(
        f"  {label:<44} p50 {statistics.median(times):6.1f}  p95 {p95:6.1f}  "
        f"max {max(times):6.1f} ms  {queries:2d} queries  {verdict}"
    )


def seller_cases(client: Client, user: User) -> list[tuple[str, str]]:
    shipments = Shipment.objects.filter(seller=user.seller)
    sample = shipments.order_by("-created_at", "-id")[7]
    for n in range(4):  # a timeline to show
        ShipmentEvent.objects.get_or_create(
            shipment=sample,
            event_id=f"bench-{sample.pk}-{n}",
            defaults={
                "status": ShipmentStatus.IN_TRANSIT,
                "from_status": ShipmentStatus.PICKED_UP,
                "at": sample.created_at,
                "source": EventSource.WEBHOOK,
            },
        )
    index = reverse("shipments:index")
    first = client.get(index).content.decode()
    next_link = re.search(r'href="(\?[^"]*)" id="shipments-next"', first)
    next_url = index + html.unescape(next_link.group(1)) if next_link else index
    since = (timezone.localdate() - datetime.timedelta(days=90)).isoformat()
    return [
        ("list, first page", index),
        ("list, next page (cursor)", next_url),
        (
            "list, delivered to US, last 90 days",
            f"{index}?status=delivered&country=US&created_from={since}",
        ),
        ("list, search order number prefix", f"{index}?q={sample.order_number[:-2]}"),
        ("list, search tracking number", f"{index}?q={sample.tracking_number}"),
        ("detail with timeline", reverse("shipments:detail", args=[sample.pk])),
        ("export CSV, customs (filtered)", reverse("shipments:export") + "?status=customs"),
        ("dashboard (30-day figures)", reverse("portal:dashboard")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.reload or not loaded():
        load()
    sellers = list(
        Seller.objects.filter(company_name__startswith="BENCH seller ")
        .order_by("id")
        .values_list("id", flat=True)
    )
    big = sellers[0]
    typical = sellers[len(sellers) // 2]
    print(f"shipments: 1,000,000; sellers: {len(sellers):,}; requests per page: {args.requests}")
    for label, seller_id, score in (
        (f"typical seller ({PER_SELLER} shipments)", typical, "98.50"),
        (f"big seller ({BIG_SELLER_ROWS:,} shipments)", big, "96.00"),
    ):
        client = Client()
        user = seller_user(seller_id, label=f"seller{seller_id}", score=score)
        client.force_login(user)
        print(label)
        for case, url in seller_cases(client, user):
            report(case, *timed(client, url, args.requests), page="export" not in url)
    client = Client()
    client.force_login(ops_user())
    changelist = reverse("admin:shipments_shipment_changelist")
    sample = Shipment.objects.order_by("id")[500_000]
    print("admin Shipment changelist (ops)")
    for case, url in (
        ("changelist, first page", changelist),
        ("changelist, status=customs", f"{changelist}?status__exact=customs"),
        ("changelist, search order number", f"{changelist}?q={sample.order_number}"),
        ("changelist, search tracking prefix", f"{changelist}?q={sample.tracking_number[:10]}"),
    ):
        report(case, *timed(client, url, args.requests))
    export_throughput(big)


def export_throughput(seller_id: int) -> None:
    """The whole export of the big seller, once: rows per second through the stream."""
    client = Client()
    client.force_login(User.objects.get(seller_id=seller_id))
    started = time.perf_counter()
    response = client.get(reverse("shipments:export"))
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    print(
        f"export of the big seller: {rows - 1:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s "
        f"({(rows - 1) / elapsed:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
