"""PostgreSQL "restarted" in the middle of a bulk import of orders: every connection of the
worker is cut (``pg_terminate_backend``, what a restart does to its clients; the shared
server itself is never restarted) while a chunk of orders is being created and charged.

The chunk in flight rolls back whole, the task retries on the database error, and the run
resumes after the last committed chunk: at every moment the ledger holds exactly one charge
per shipment created (an instant-debit seller: the prepaid balance is the proof), and at
the end every order is created and charged once. Running the task again, or uploading the
same file again, creates and charges nothing more."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from billing.models import LedgerEntry, SettlementAccount
from billing.services import topup_record
from conftest import wait_for
from shipments import tasks as shipment_tasks
from shipments.models import ImportStatus, Shipment, ShipmentImport
from shipments.services.imports import CHUNK_ROWS, shipment_import_confirm, shipment_import_create
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import store_ready
from tests.shipments.import_files import csv_bytes, order

from .helpers import other_backends, terminate_backends

pytestmark = [
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]
ROWS = 5 * CHUNK_ROWS
TOP_UP = Decimal("500000.00")


def _progress(pk: int) -> tuple[str, int, int]:
    return ShipmentImport.objects.values_list("status", "rows_done", "rows_created").get(pk=pk)


def _assert_charged_once(seller) -> Decimal:
    """One charge per shipment, of its price, and the balance moved by exactly that much."""
    shipments = Shipment.objects.filter(seller=seller)
    charges = LedgerEntry.objects.filter(seller=seller, kind="charge")
    assert charges.count() == shipments.count()
    assert not charges.values("shipment_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not shipments.filter(ledger_entries__isnull=True).exists()
    charged = -(charges.aggregate(total=Sum("amount"))["total"] or Decimal(0))
    assert charged == (shipments.aggregate(total=Sum("charge"))["total"] or Decimal(0))
    assert SettlementAccount.objects.get(pk=seller.pk).balance == TOP_UP - charged
    return charged


def test_an_import_cut_off_by_a_database_restart_resumes_and_charges_each_order_once(
    celery_worker,
):
    owner = SellerUserFactory()
    store_ready(seller=owner.seller, settlement_mode="instant")
    topup_record(
        seller=owner.seller,
        amount=TOP_UP,
        reference="BANK-FAULT-0001",
        received_on=datetime.date(2026, 11, 20),
    )
    data = csv_bytes([order(f"AE-DB-{n:05d}") for n in range(ROWS)])
    shipment_import = shipment_import_create(
        seller=owner.seller, user=owner, name="orders.csv", data=data
    )
    # The worker previews the file; the seller confirms; the worker runs it.
    wait_for(lambda: _progress(shipment_import.pk)[0] == ImportStatus.PREVIEWED, timeout=120)
    shipment_import.refresh_from_db()
    shipment_import_confirm(shipment_import=shipment_import)

    # Mid-import: a chunk committed, the next one open in the worker's transaction.
    def mid_chunk():
        status, done, _created = _progress(shipment_import.pk)
        if status != ImportStatus.RUNNING or not CHUNK_ROWS <= done < ROWS:
            return None
        busy = other_backends(where="xact_start IS NOT NULL")
        return (done, busy) if busy else None

    done_at_cut, busy = wait_for(mid_chunk, timeout=120, every=0.01)
    terminate_backends([pid for pid, *_rest in other_backends()])

    # Right after the cut: what committed is whole chunks, each charged.
    _status, done, created = _progress(shipment_import.pk)
    assert done % CHUNK_ROWS == 0 and done < ROWS, (done, done_at_cut, busy)
    assert Shipment.objects.filter(seller=owner.seller).count() == created == done
    _assert_charged_once(owner.seller)

    # The task retries after the database error and resumes after the last chunk.
    wait_for(lambda: _progress(shipment_import.pk)[0] != ImportStatus.RUNNING, timeout=180)
    shipment_import.refresh_from_db()
    assert shipment_import.status == ImportStatus.DONE, shipment_import.error
    assert (shipment_import.rows_done, shipment_import.rows_created) == (ROWS, ROWS)
    assert shipment_import.rows_failed == 0
    shipments = Shipment.objects.filter(seller=owner.seller)
    assert shipments.count() == ROWS
    assert shipments.values("order_number").distinct().count() == ROWS
    assert shipments.values("tracking_number").distinct().count() == ROWS
    charged = _assert_charged_once(owner.seller)
    assert charged == shipments.aggregate(total=Sum("quoted_total"))["total"]

    # The task delivered again (the broker's redelivery, the sweeper): nothing more.
    assert shipment_tasks.import_run.delay(shipment_import.pk).get(timeout=60) == "skipped"
    # The same file uploaded again: every row is a duplicate, nothing created or charged.
    again = shipment_import_create(seller=owner.seller, user=owner, name="orders.csv", data=data)
    wait_for(lambda: _progress(again.pk)[0] == ImportStatus.PREVIEWED, timeout=120)
    again.refresh_from_db()
    assert again.preview["refused"] == {"duplicate_order": ROWS}
    shipment_import_confirm(shipment_import=again)
    finished = (ImportStatus.DONE, ImportStatus.FAILED)
    wait_for(lambda: _progress(again.pk)[0] in finished, timeout=120)
    again.refresh_from_db()
    assert (again.status, again.rows_created, again.rows_failed) == ("done", 0, ROWS)
    assert Shipment.objects.filter(seller=owner.seller).count() == ROWS
    assert _assert_charged_once(owner.seller) == charged
