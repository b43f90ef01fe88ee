"""Billing at scale: closing a month, and concurrent instant debits against one balance.

    .venv/bin/python bench/bench_billing.py [--sellers 10000] [--charges 1000000]
                                            [--processes 4] [--debits 500]

Works in a database of its own (``BENCH_BILLING_DATABASE``, default
``jingluo_bench_billing``, on the server of ``DATABASE_URL``), created and migrated when
missing, so that neither the local ``jingluo`` database nor a test run is touched.

(a) ``close_month``: the billing tables are emptied (TRUNCATE: ledger rows refuse DELETE),
then 10,000 monthly sellers and 1,000,000 charges in October 2026 are loaded with one
``INSERT … SELECT generate_series``, ``ANALYZE``; ``statements_close_month`` is timed, then
run a second time (it must issue nothing). Target < 60 s.

(b) Concurrent instant debits: one seller with a prepaid balance of ¥2,000.00; 4 processes
× 500 debits of ¥1.25 through ``ledger_entries_append`` (the service the shipment charge
uses), each in its own transaction with a unique key, then every process sends its first 20
keys again. Expected: 1,600 debits pass, 400 are refused, the balance ends at exactly
¥0.00, no balance below zero, no duplicate entry. Prints the throughput. Asserts nothing.
"""

import argparse
import datetime
import multiprocessing
import time
from decimal import Decimal

from _setup import bench_database

bench_database(env="BENCH_BILLING_DATABASE", default="jingluo_bench_billing")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from accounts.models import Seller  # noqa: E402
from billing.exceptions import InsufficientBalance  # noqa: E402
from billing.models import EntryKind, LedgerEntry, SettlementAccount, SettlementMode  # noqa: E402
from billing.services import ledger_entries_append, statements_close_month, topup_record  # noqa: E402
from core.timezones import SHANGHAI  # noqa: E402
from notifications.models import Notification  # noqa: E402

PERIOD = datetime.date(2026, 10, 1)
CLOSED_AT = datetime.datetime(2026, 11, 1, 0, 15, tzinfo=SHANGHAI)
BILLING_TABLES = (
    "billing_statementline, billing_payment, billing_statement, billing_statementcounter, "
    "billing_topup, billing_settlementmodechange, billing_ledgerentry, billing_settlementaccount, "
    # a closed month tells each seller of its statement (issue 13, item 7)
    "notifications_notification"
)
BENCH_PREFIX = "BENCH-BILLING-"


def sellers_ensure(count: int) -> list[int]:
    have = Seller.objects.filter(company_name__startswith=BENCH_PREFIX).count()
    if have < count:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_seller (company_name, created_at) "
                "SELECT %s || lpad(n::text, 6, '0'), now() FROM generate_series(%s, %s) n",
                [BENCH_PREFIX, have + 1, count],
            )
    return list(
        Seller.objects.filter(company_name__startswith=BENCH_PREFIX)
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )


def billing_reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {BILLING_TABLES} CASCADE")


def charges_load(seller_ids: list[int], charges: int) -> float:
    """``charges`` monthly charges spread evenly over the sellers, in October 2026."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO billing_ledgerentry
                (seller_id, kind, mode, amount, period, key, reference, note, at)
            SELECT s.ids[1 + (n %% array_length(s.ids, 1))],
                   'charge', 'monthly',
                   -(20 + (n %% 997) / 100.0)::numeric(14, 2),
                   %(period)s,
                   'charge:bench:' || n, '', 'AE-' || n,
                   %(start)s::timestamptz + (n %% 2678400) * interval '1 second'
            FROM generate_series(1, %(charges)s) n, (SELECT %(ids)s::bigint[] AS ids) s
            """,
            {
                "period": PERIOD,
                "start": datetime.datetime(2026, 10, 1, tzinfo=SHANGHAI),
                "charges": charges,
                "ids": seller_ids,
            },
        )
        cursor.execute("ANALYZE billing_ledgerentry")
        cursor.execute("ANALYZE accounts_seller")
    return time.perf_counter() - started


def bench_close_month(sellers: int, charges: int) -> None:
    print(f"== close_month: {sellers:,} sellers, {charges:,} charges")
    seller_ids = sellers_ensure(sellers)
    billing_reset()
    load = charges_load(seller_ids, charges)
    print(f"load (INSERT … SELECT generate_series): {load:.1f} s")
    started = time.perf_counter()
    result = statements_close_month(period=PERIOD, at=CLOSED_AT)
    elapsed = time.perf_counter() - started
    print(
        f"statements issued:  {result.statements:,} ({result.first_number} … {result.last_number})"
    )
    print(f"lines:              {result.lines:,}")
    told = Notification.objects.filter(kind="statement_issued").count()
    print(f"sellers told:       {told:,} (statement_issued, in the same transaction)")
    print(f"close_month:        {elapsed:.1f} s  (target < 60 s)")
    started = time.perf_counter()
    again = statements_close_month(period=PERIOD, at=CLOSED_AT)
    print(f"second run:         {again.statements} issued in {time.perf_counter() - started:.1f} s")


def _debit_worker(seller_id: int, worker: int, debits: int, amount: str, queue) -> None:
    connections.close_all()
    seller = Seller(pk=seller_id)
    ok = refused = 0
    keys = [f"charge:bench-debit:{worker}:{n}" for n in range(debits)]
    started = time.perf_counter()
    for key in keys + keys[:20]:  # the first 20 again: a retry must not charge twice
        entry = LedgerEntry(
            kind=EntryKind.CHARGE, mode=SettlementMode.INSTANT, amount=-Decimal(amount), key=key
        )
        try:
            if ledger_entries_append(seller=seller, entries=[entry]):
                ok += 1
        except InsufficientBalance:
            refused += 1
    queue.put((ok, refused, time.perf_counter() - started))
    connections.close_all()


def bench_concurrent_debits(processes: int, debits: int) -> None:
    balance, amount = Decimal("2000.00"), "1.25"
    print(f"== concurrent instant debits: {processes} processes × {debits} debits of ¥{amount}")
    seller_id = sellers_ensure(1)[0]
    billing_reset()
    SettlementAccount.objects.create(seller_id=seller_id, mode=SettlementMode.INSTANT)
    topup_record(
        seller=Seller.objects.get(pk=seller_id),
        amount=balance,
        reference="BENCH-TOPUP",
        received_on=PERIOD,
    )
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_debit_worker, args=(seller_id, w, debits, amount, queue))
        for w in range(processes)
    ]
    started = time.perf_counter()
    for process in workers:
        process.start()
    results = [queue.get() for _ in workers]
    for process in workers:
        process.join()
    elapsed = time.perf_counter() - started
    ok = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    expected_ok = min(processes * debits, int(balance / Decimal(amount)))
    expected_final = balance - expected_ok * Decimal(amount)
    final = SettlementAccount.objects.get(pk=seller_id).balance
    entries = LedgerEntry.objects.filter(seller_id=seller_id, kind=EntryKind.CHARGE)
    lowest = min(entries.values_list("balance_after", flat=True), default=None)
    distinct_keys = entries.values("key").distinct().count()
    ledger_sum = sum(
        LedgerEntry.objects.filter(seller_id=seller_id).values_list("amount", flat=True)
    )
    print(f"debits passed:      {ok:,} (expected {expected_ok:,}); refused: {refused:,}")
    print(f"final balance:      ¥{final} (expected ¥{expected_final}; ledger sum ¥{ledger_sum})")
    print(f"lowest balance:     ¥{lowest} (never below zero)")
    print(
        f"charge entries:     {entries.count():,}, distinct keys {distinct_keys:,} (no duplicate)"
    )
    attempts = processes * (debits + 20)
    print(f"elapsed:            {elapsed:.2f} s")
    print(
        f"throughput:         {attempts / elapsed:,.0f} debit attempts/s, "
        f"{ok / elapsed:,.0f} debits/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sellers", type=int, default=10_000)
    parser.add_argument("--charges", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--debits", type=int, default=500)
    parser.add_argument("--skip-close", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not args.skip_close:
        bench_close_month(args.sellers, args.charges)
    bench_concurrent_debits(args.processes, args.debits)


if __name__ == "__main__":
    main()
