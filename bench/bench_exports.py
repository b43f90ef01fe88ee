"""The whole-month statement export at scale: 1,000,000 statement lines for one month.

    .venv/bin/python bench/bench_exports.py [--lines 1000000] [--sellers 10000] [--runs 2]
                                            [--rebuild] [--xlsx]

Works in a database of its own (``BENCH_EXPORTS_DATABASE``, default
``jingluo_bench_exports``, on the server of ``DATABASE_URL``), created and migrated when
missing; its files go to a temporary directory. The data is built once and kept (``--rebuild``
builds it again): 10,000 monthly sellers, 1,000,000 shipments of October 2026 with their
price breakdown (one order number in 1,000 starts with ``=``, so neutralisation is on the
path), their charges in the ledger, and the month closed by ``statements_close_month``.
The shipments are of one active store (an active application and the store it opened) and
are copies of a template shipment made through the ORM (``template_shipment``), so every
NOT NULL column has a value; the template is deleted before the charges are written.

Then, ``--runs`` times each, best kept:

- the reference: ``psql -c "COPY (<the export's query>) TO STDOUT WITH (FORMAT csv)"``
  into a file (PostgreSQL's own client, no Python);
- the export: ``month_export_write(period, "csv", file)`` (what ``export_statements`` and
  the Celery job run) in a fresh Python process, timed inside it; its peak memory is the
  process's ``ru_maxrss`` (baseline after Django's start-up printed beside it);
- the job path: ``export_job_run`` (the same, plus the copy into storage), same way.

Targets: export ≤ 3 × COPY, peak memory < 150 MB. Checks that the export's rows are the
COPY's rows byte for byte. ``--xlsx`` also times the XLSX export once. Prints; asserts nothing.
"""

import argparse
import datetime
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import bench_database, clone_sql, template_shipment, template_store

CHILD = "--child" in sys.argv
_database = bench_database(
    env="BENCH_EXPORTS_DATABASE",
    default="jingluo_bench_exports",
    create=not CHILD,
    DJANGO_MEDIA_ROOT=os.environ.get(
        "DJANGO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "bench-exports")
    ),
)
BENCH_URL = _database.url

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from core.timezones import SHANGHAI  # noqa: E402

PERIOD = datetime.date(2026, 10, 1)
CLOSED_AT = datetime.datetime(2026, 11, 1, 0, 15, tzinfo=SHANGHAI)
PREFIX = "BENCH-EXPORTS-"
BOM = "\ufeff".encode()
PSQL = shutil.which("psql") or "/usr/bin/psql"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- the child: one export in a fresh process ---------------------------------------------


def child(mode: str, out: str) -> None:
    from billing.models import ExportJob
    from billing.services.exports import export_job_run, month_export_write

    baseline = rss_mb()
    started = time.perf_counter()
    if mode in ("csv", "xlsx"):
        with open(out, "wb") as stream:
            rows = month_export_write(period=PERIOD, fmt=mode, out=stream)
    else:  # the job: the same export, then into storage
        job = ExportJob.objects.create(period=PERIOD, format="csv")
        rows = export_job_run(job_id=job.pk).rows_done
    elapsed = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": elapsed, "rss_mb": rss_mb(), "base_mb": baseline}))


# --- the data -------------------------------------------------------------------------------


def data_ready(lines: int) -> bool:
    from billing.models import Statement

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(line_count), 0) FROM billing_statement")
        (have,) = cursor.fetchone()
    return have == lines and Statement.objects.filter(period=PERIOD).exists()


def bench_store():
    """The store every shipment is of: the store opened for an active application, made
    once and kept (with its application) across rebuilds."""
    from onboarding.models import Application, ApplicationStatus
    from tests.onboarding.factories import ApplicationFactory

    with transaction.atomic():
        application = Application.objects.filter(company_name=f"{PREFIX}STORE").first()
        if application is None:
            application = ApplicationFactory(
                company_name=f"{PREFIX}STORE",
                store_id="BENCHEXPORTS1",
                status=ApplicationStatus.ACTIVE,
            )
        elif application.status != ApplicationStatus.ACTIVE:
            application.status = ApplicationStatus.ACTIVE
            application.save(update_fields=["status"])
        if application.opened_store is None:
            template_store(application=application)
    return application.opened_store


def data_build(lines: int, sellers: int) -> None:
    from billing.services import statements_close_month
    from shipments.models import Shipment

    print(f"building {lines:,} lines for {sellers:,} sellers (kept for the next run) …")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE billing_statementline, billing_payment, billing_statement, "
            "billing_statementcounter, billing_topup, billing_settlementmodechange, "
            "billing_ledgerentry, billing_settlementaccount, billing_exportjob, "
            "shipments_shipment CASCADE"
        )
    store = bench_store()
    # 华东 → US West, 500 g, delivered, score 95 (+0.75 %): what every line shares. Its
    # seller is the store's, not one of the sellers billed; it is deleted before the ledger.
    template = template_shipment(
        seller=store.seller,
        store=store,
        order_number=f"{PREFIX}TEMPLATE",
        status="delivered",
        recipient_phone="",
        score="95.00",
        transit_days=8,
        customs_clearance_hours=24,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accounts_seller WHERE company_name LIKE %s", [PREFIX + "%"]
        )
        (have,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO accounts_seller (company_name, created_at) "
            "SELECT %s || lpad(n::text, 6, '0') || '有限公司', now() "
            "FROM generate_series(%s, %s) n",
            [PREFIX, have + 1, sellers],
        )
        cursor.execute(
            "SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM accounts_seller "
            "WHERE company_name LIKE %s ORDER BY id LIMIT %s) s",
            [PREFIX + "%", sellers],
        )
        (ids,) = cursor.fetchone()
        # One shipment per line, a copy of the template (its store): base 20.00–29.96,
        # score 95 (+0.75 %), spread over the month, the sellers in turn.
        adjustment = "round(g.base * 0.0075, 2)"
        cursor.execute(
            clone_sql(
                Shipment,
                {
                    "order_number": "CASE WHEN g.n %% 1000 = 0 "
                    "THEN '=HYPERLINK(\"x\",' || g.n || ')' "
                    "ELSE 'AE-' || lpad(g.n::text, 10, '0') END",
                    "tracking_number": "'BN' || lpad(g.n::text, 9, '0') || 'CN'",
                    "created_at": "g.at",
                    "status_changed_at": "g.at",
                    "seller_id": "s.ids[1 + (g.n %% array_length(s.ids, 1))]",
                    "store_id": "%(store)s",
                    "base": "g.base",
                    "fulfillment_adjustment": adjustment,
                    "peak_adjustment": "0",
                    "green_discount": "0",
                    "quoted_total": f"g.base + {adjustment}",
                    "charge": f"g.base + {adjustment}",
                },
                """
                FROM (SELECT n, (20 + (n %% 997) / 100.0)::numeric(14, 2) AS base,
                             %(start)s::timestamptz + (n %% 2678400) * interval '1 second' AS at
                      FROM generate_series(1, %(lines)s) n) g,
                     (SELECT %(ids)s::bigint[] AS ids) s,
                     shipments_shipment t
                WHERE t.id = %(template)s
                """,
            ),
            {
                "store": store.pk,
                "start": datetime.datetime(2026, 10, 1, tzinfo=SHANGHAI),
                "lines": lines,
                "ids": ids,
                "template": template.pk,
            },
        )
    # Not a line of anyone's statement: the ledger below charges every shipment left.
    template.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO billing_ledgerentry
                (seller_id, kind, mode, amount, period, key, reference, note, at, shipment_id)
            SELECT seller_id, 'charge', 'monthly', -charge, %s, 'charge:shipment:' || id, '',
                   order_number || ' · ' || tracking_number, created_at, id
            FROM shipments_shipment
            """,
            [PERIOD],
        )
        cursor.execute("ANALYZE")
    load = time.perf_counter() - started
    started = time.perf_counter()
    result = statements_close_month(period=PERIOD, at=CLOSED_AT)
    close = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"load: {load:.1f} s; close_month: {result.statements:,} statements, "
        f"{result.lines:,} lines in {close:.1f} s"
    )


# --- the measures ---------------------------------------------------------------------------


def copy_reference(out: Path) -> float:
    from billing.selectors_exports import statement_lines_sql

    sql = statement_lines_sql(by="period").replace("%s", f"'{PERIOD.isoformat()}'::date")
    started = time.perf_counter()
    with open(out, "wb") as stream:
        subprocess.run(  # noqa: S603 - fixed argv
            [PSQL, BENCH_URL, "-X", "-q", "-c", f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"],
            stdout=stream,
            check=True,
        )
    return time.perf_counter() - started


def run_child(mode: str, out: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, __file__, "--child", mode, str(out)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": BENCH_URL},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def digest(path: Path, skip: int = 0) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        stream.seek(skip)
        while block := stream.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--sellers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.rebuild or not data_ready(args.lines):
        data_build(args.lines, args.sellers)
    connection.close()

    with tempfile.TemporaryDirectory() as tmp:
        copy_file, export_file = Path(tmp) / "copy.csv", Path(tmp) / "export.csv"
        copies = [copy_reference(copy_file) for _ in range(args.runs)]
        exports = [run_child("csv", export_file) for _ in range(args.runs)]
        jobs = [run_child("job", Path(tmp) / "unused") for _ in range(args.runs)]
        header = export_file.read_bytes()[:4096].split(b"\n", 1)[0] + b"\n"
        same = digest(export_file, skip=len(header)) == digest(copy_file)
        size = export_file.stat().st_size
        copy_s = min(copies)
        export = min(exports, key=lambda r: r["seconds"])
        job = min(jobs, key=lambda r: r["seconds"])
        print(f"== whole-month CSV export, {export['rows']:,} statement lines, {size / 1e6:.0f} MB")
        print(
            f"PostgreSQL COPY … TO STDOUT (psql) into a file: {copy_s:.2f} s  (runs: "
            + ", ".join(f"{c:.2f}" for c in copies)
            + ")"
        )
        print(
            f"month_export_write (command path):   {export['seconds']:.2f} s  (runs: "
            + ", ".join(f"{r['seconds']:.2f}" for r in exports)
            + ")"
        )
        print(
            f"ratio export / COPY:                 {export['seconds'] / copy_s:.2f}×  (target ≤ 3×)"
        )
        print(f"export_job_run (job path, to storage): {job['seconds']:.2f} s")
        print(
            f"peak memory (ru_maxrss) of the export process: {export['rss_mb']:.0f} MB "
            f"(after start-up: {export['base_mb']:.0f} MB; target < 150 MB); job process: "
            f"{job['rss_mb']:.0f} MB"
        )
        print(f"rows identical to COPY's (after BOM + header): {'yes' if same else 'NO'}")
        if args.xlsx:
            xlsx = run_child("xlsx", Path(tmp) / "export.xlsx")
            print(
                f"XLSX export (write_only): {xlsx['seconds']:.1f} s, peak {xlsx['rss_mb']:.0f} MB"
            )


if __name__ == "__main__":
    if CHILD:
        mode, out = sys.argv[sys.argv.index("--child") + 1 : sys.argv.index("--child") + 3]
        child(mode, out)
    else:
        main()
