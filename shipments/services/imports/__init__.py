"""Bulk files of orders (CSV or XLSX): upload, then a Celery task creates the shipments.

Policy, told to the seller on the upload page: rows that share an order number, one after
the other, are the item lines of one parcel. A file is first **previewed** (a worker runs
every order through the gate without writing anything: rows valid and refused by cause, the
total price, the balance after, the rows the balance would not cover); nothing is created or
charged until the seller confirms. Then **valid orders are created, every other row is
reported with its reason** in a report that repeats the file's own columns, to be fixed and
sent again; the file as a whole is refused only when it cannot be read (wrong type or
encoding, empty, too large, too many rows, required columns missing), and then nothing is
stored or created. The template's example row is refused as such.

Every order passes the same order gate as a single order (``core.gate``). Rows are processed
in chunks of about ``CHUNK_ROWS``, cut between orders; each chunk is one transaction that
locks the store's row, loads the account's facts once, runs the gate on each order
(``gate.created`` keeps the trial quota and the balance right for the next), numbers the
chunk's shipments with one query,
``bulk_create``\\ s them, records their charges and refused orders, and advances the file's
progress (``rows_done``). A crash loses at most the chunk in flight, and a re-run resumes
after the last committed chunk: nothing is created or charged twice.

The row-by-row report is written one part per chunk beside the stored file, just before the
chunk commits (a re-run overwrites the part of a chunk that did not commit), and joined into
one CSV when the file is done.
"""

from .columns import COLUMNS, Column
from .files import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ImportFileRefused, order_file_open
from .report import shipment_import_report_open, shipment_import_template_csv
from .rows import OrderRow, RowProblem, order_rows_parse
from .run import (
    CHUNK_ROWS,
    shipment_import_confirm,
    shipment_import_create,
    shipment_import_discard,
    shipment_import_fail,
    shipment_import_get_for_seller,
    shipment_import_list_for_seller,
    shipment_import_preview,
    shipment_import_progress,
    shipment_import_requeue,
    shipment_import_run,
    shipment_imports_requeue_stuck,
)

__all__ = [
    "CHUNK_ROWS",
    "COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "Column",
    "ImportFileRefused",
    "OrderRow",
    "RowProblem",
    "order_file_open",
    "order_rows_parse",
    "shipment_import_confirm",
    "shipment_import_create",
    "shipment_import_discard",
    "shipment_import_fail",
    "shipment_import_get_for_seller",
    "shipment_import_list_for_seller",
    "shipment_import_preview",
    "shipment_import_progress",
    "shipment_import_report_open",
    "shipment_import_requeue",
    "shipment_import_run",
    "shipment_import_template_csv",
    "shipment_imports_requeue_stuck",
]
