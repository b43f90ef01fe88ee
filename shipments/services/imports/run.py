"""Upload and processing of a file of orders; see the package's docstring for the policy."""

import datetime
import hashlib
import logging
import operator
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from billing.locks import account_lock
from billing.services import shipment_charges_record
from core import crypto
from core.gate import OrderContext, Outcome, gate
from core.tasks import enqueue_on_commit
from core.timezones import shanghai_date
from customs.selectors import currencies_known
from pricing.exceptions import QuoteRefused
from stores.locks import store_lock
from stores.selectors import store_for_orders
from stores.services import store_trial_use

from ...models import ImportStatus, RefusedOrder, Shipment, ShipmentImport, ShipmentItem
from ...notices import import_finished_notify
from ...s10 import tracking_numbers
from ..creation import order_seller, order_store, shipment_build, shipment_items_build
from ..events import shipment_created_emit, shipment_refused_emit
from .files import ImportFileRefused, OrderFile, order_file_open
from .report import STORAGE_DIR, report_join, report_part_write, report_parts_delete
from .rows import OrderRow, RowProblem, cell_at, order_rows_parse

logger = logging.getLogger(__name__)

CHUNK_ROWS = 1000
# A file queued this long was never picked up; one running this long (longer than the
# task's hard time limit, 11 min) lost its worker, or is very large: sending it again is
# safe either way.
STUCK_QUEUED_AFTER = datetime.timedelta(minutes=10)
STUCK_RUNNING_AFTER = datetime.timedelta(minutes=15)


# ---------------------------------------------------------------------------
# Upload
# ---------------------------------------------------------------------------
def _enqueue(import_id: int) -> None:
    from ...tasks import import_run

    # The row says "queued": if the broker is down now, the seller sees it waiting and the
    # sweeper sends it again (``shipment_imports_requeue_stuck``).
    enqueue_on_commit(import_run, import_id)


def _enqueue_preview(import_id: int) -> None:
    from ...tasks import import_preview

    enqueue_on_commit(import_preview, import_id)


def shipment_import_create(*, seller, user, name: str, data: bytes) -> ShipmentImport:
    """Check the file's type, encoding and header, store it (encrypted: it holds recipients'
    names, phones and addresses) and queue its preview: nothing is created or spent until
    the seller has seen what the file would do and confirms (``shipment_import_confirm``).
    Raises ``ImportFileRefused`` with nothing stored when the file cannot be read or there is
    no store to ship for. Only the header is parsed here: the worker counts the rows
    (``rows_total``), bound in rows and time, before it does anything else."""
    store = store_for_orders(seller=seller)
    # Without a store the gate refuses every row (the application is not approved yet), but
    # without even an application there is nothing to explain row by row.
    if (
        store is None
        and gate.context(seller=seller, store=None, parcel=None).facts.application is None
    ):
        raise ImportFileRefused(
            _("You have no store yet: apply for the service first, then send your orders.")
        )
    order_file_open(name=name, data=data)
    digest = hashlib.sha256(data).hexdigest()
    busy = ShipmentImport.objects.filter(
        seller=seller,
        sha256=digest,
        status__in=[
            ImportStatus.PREVIEWING,
            ImportStatus.PREVIEWED,
            ImportStatus.QUEUED,
            ImportStatus.RUNNING,
        ],
    )
    if busy.exists():
        raise ImportFileRefused(_("This file is already being processed: see its progress."))
    storage_name = default_storage.save(
        f"{STORAGE_DIR}/{seller.pk}/{uuid.uuid4().hex}.bin", ContentFile(crypto.encrypt(data))
    )
    try:
        with transaction.atomic():
            shipment_import = ShipmentImport.objects.create(
                seller=seller,
                store=store,
                created_by=user,
                file_name=name[-255:],
                sha256=digest,
                storage_name=storage_name,
            )
            _enqueue_preview(shipment_import.pk)
            return shipment_import
    except BaseException:
        default_storage.delete(storage_name)
        raise


def shipment_import_confirm(*, shipment_import: ShipmentImport) -> ShipmentImport:
    """The seller saw the preview and sends the file: its orders are created (and charged)
    by the worker. Confirming twice queues it once."""
    with transaction.atomic():
        locked = ShipmentImport.objects.select_for_update().get(pk=shipment_import.pk)
        if locked.status != ImportStatus.PREVIEWED:
            raise ImportFileRefused(_("This file is not waiting for your confirmation."))
        locked.status = ImportStatus.QUEUED
        locked.save(update_fields=["status"])
        _enqueue(locked.pk)
    shipment_import.status = locked.status
    return locked


def shipment_import_discard(*, shipment_import: ShipmentImport) -> ShipmentImport:
    """The seller does not send the previewed file: nothing is created, the stored file
    and its report are deleted."""
    with transaction.atomic():
        locked = ShipmentImport.objects.select_for_update().get(pk=shipment_import.pk)
        if locked.status not in (ImportStatus.PREVIEWING, ImportStatus.PREVIEWED):
            raise ImportFileRefused(_("Only a file not sent yet can be discarded."))
        locked.status = ImportStatus.DISCARDED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at"])
    default_storage.delete(locked.storage_name)
    report_parts_delete(locked)
    return locked


def shipment_import_requeue(*, shipment_import: ShipmentImport) -> None:
    """Send a queued or running file to the workers again (the broker was down, or its
    worker died and the message was lost). Safe: the run resumes where it stopped."""
    if shipment_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        _enqueue(shipment_import.pk)
    elif shipment_import.status == ImportStatus.PREVIEWING:
        _enqueue_preview(shipment_import.pk)


def shipment_imports_requeue_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Send again the files queued for longer than ``STUCK_QUEUED_AFTER`` (the broker was
    down at upload) or running for longer than ``STUCK_RUNNING_AFTER`` (the worker may
    have died). Harmless when the first run is alive: the second stops at its first chunk
    (``_Superseded``)."""
    now = now or timezone.now()
    stuck = ShipmentImport.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=now - STUCK_QUEUED_AFTER)
        | Q(status=ImportStatus.PREVIEWING, created_at__lt=now - STUCK_QUEUED_AFTER)
        | Q(status=ImportStatus.RUNNING, started_at__lt=now - STUCK_RUNNING_AFTER)
    )
    rows = list(stuck.values_list("pk", "status")[:100])
    for import_id, status in rows:
        (_enqueue_preview if status == ImportStatus.PREVIEWING else _enqueue)(import_id)
    return [import_id for import_id, _status in rows]


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------
class _Superseded(Exception):
    """Another run of the same file is ahead of this one: this one stops."""


def shipment_import_run(
    *, import_id: int, at: datetime.datetime | None = None, chunk_rows: int = CHUNK_ROWS
) -> ShipmentImport | None:
    """Process a file from where it stopped; ``None`` when it is finished already (the
    state guard: a task delivered twice does nothing). ``at`` fixes the shipments' time
    (tests, the bench); otherwise each chunk is created at its own present."""
    shipment_import = ShipmentImport.objects.select_related("seller").filter(pk=import_id).first()
    if shipment_import is None or shipment_import.status not in (
        ImportStatus.QUEUED,
        ImportStatus.RUNNING,
    ):
        return None  # done, failed, discarded, or not confirmed yet
    if shipment_import.status == ImportStatus.QUEUED:
        shipment_import.status = ImportStatus.RUNNING
        shipment_import.started_at = timezone.now()
        shipment_import.save(update_fields=["status", "started_at"])
    try:
        order_file = _stored_file(shipment_import)
        if not shipment_import.rows_total:
            _count(shipment_import, order_file)
        if not shipment_import.header:
            _header_keep(shipment_import, order_file)
        _process(shipment_import, order_file, at=at, chunk_rows=chunk_rows)
    except ImportFileRefused as refused:
        return shipment_import_fail(import_id=import_id, reason=str(refused.message))
    except _Superseded:
        return None
    return _finish(shipment_import)


def shipment_import_fail(*, import_id: int, reason: str) -> ShipmentImport | None:
    """Stop a file for good with the reason the seller sees. What its committed chunks
    created stays; their rows are in the report."""
    with transaction.atomic():
        shipment_import = ShipmentImport.objects.select_for_update().filter(pk=import_id).first()
        if shipment_import is None or shipment_import.status == ImportStatus.DONE:
            return shipment_import
        shipment_import.status = ImportStatus.FAILED
        shipment_import.error = reason
        shipment_import.finished_at = timezone.now()
        shipment_import.report_name = report_join(shipment_import)
        shipment_import.save(update_fields=["status", "error", "finished_at", "report_name"])
        import_finished_notify(shipment_import)
    return shipment_import


def _stored_file(shipment_import: ShipmentImport) -> OrderFile:
    try:
        with default_storage.open(shipment_import.storage_name, "rb") as stored:
            data = crypto.decrypt(stored.read())
    except (OSError, crypto.InvalidToken) as error:
        raise ImportFileRefused(
            _("The stored file cannot be read any more: upload it again.")
        ) from error
    if hashlib.sha256(data).hexdigest() != shipment_import.sha256:
        raise ImportFileRefused(_("The stored file is damaged: upload it again."))
    return order_file_open(name=shipment_import.file_name, data=data)


def _count(shipment_import: ShipmentImport, order_file: OrderFile) -> None:
    """The file's rows, counted once before the first chunk (bound by ``MAX_ROW_NUMBER`` and
    ``READ_SECONDS``: a file that is too large, a bomb or too slow is refused here, before
    anything is created)."""
    shipment_import.rows_total = order_file.count()
    ShipmentImport.objects.filter(pk=shipment_import.pk, rows_total=0).update(
        rows_total=shipment_import.rows_total
    )
    _header_keep(shipment_import, order_file)


def _header_keep(shipment_import: ShipmentImport, order_file: OrderFile) -> None:
    """The file's header as the seller wrote it, for the error report's columns."""
    shipment_import.header = list(order_file.header_cells)
    ShipmentImport.objects.filter(pk=shipment_import.pk).update(header=shipment_import.header)


Group = list[tuple[int, list[str]]]


def _order_groups(order_file: OrderFile) -> Iterator[Group]:
    """The file's rows by order: rows that share an order number one after the other are
    the item lines of one order; a row without an order number is an order of its own."""
    group: Group = []
    key = ""
    for number, cells in order_file.records():
        row_key = _order_key(cells, order_file.header)
        if group and (not row_key or row_key != key):
            yield group
            group = []
        group.append((number, cells))
        key = row_key
    if group:
        yield group


def _process(shipment_import, order_file: OrderFile, *, at, chunk_rows: int) -> None:
    """Commit the file in chunks of about ``chunk_rows`` rows, cut between orders (an
    order's item rows are never split), resuming after the rows a run committed before."""
    seen: dict[str, int] = {}  # order number → the first row of the file that has it
    chunk: list[Group] = []
    rows_in_chunk = 0
    offset = shipment_import.rows_done
    index = 0
    for group in _order_groups(order_file):
        if index < offset:
            # Committed by an earlier run: only remember its order numbers.
            key = _order_key(group[0][1], order_file.header)
            if key:
                seen.setdefault(key, group[0][0])
            index += len(group)
            continue
        chunk.append(group)
        rows_in_chunk += len(group)
        index += len(group)
        if rows_in_chunk >= chunk_rows:
            _chunk_commit(shipment_import, order_file, chunk, offset, seen, at)
            offset += rows_in_chunk
            chunk, rows_in_chunk = [], 0
    if chunk:
        _chunk_commit(shipment_import, order_file, chunk, offset, seen, at)


def _order_key(cells: list[str], header: dict[str, int]) -> str:
    return cell_at(cells, header["order_number"]).strip()


def _chunk_commit(shipment_import, order_file, chunk, offset, seen, at) -> None:
    """Process one chunk in one transaction. A unique-order race with an order placed at
    the same moment for another of the seller's stores rolls the chunk back; the second
    attempt sees that order and reports its rows as a duplicate."""
    for attempt in (1, 2):
        seen_before = dict(seen)
        try:
            with transaction.atomic():
                _chunk_process(shipment_import, order_file, chunk, offset, seen, at)
            return
        except IntegrityError:
            seen.clear()
            seen.update(seen_before)
            if attempt == 2:
                raise


@dataclass
class _Gated:
    """What the gate made of a chunk's orders (nothing written yet)."""

    problems: list[RowProblem]
    shipments: list[tuple[Shipment, OrderRow]]
    refused: list[RefusedOrder]


def _gate_chunk(
    shipment_import, order_file, chunk: list[Group], seen: dict[str, int], account: OrderContext
) -> _Gated:
    """Parse and gate the chunk's orders: each order's rows become a shipment to create,
    a refusal to record, or a problem per row. ``gate.created`` keeps the trial quota and the
    balance right for the next order."""
    gated = _Gated(problems=[], shipments=[], refused=[])
    currencies = currencies_known(shanghai_date(account.at))
    orders: list[OrderRow] = []
    for group in chunk:
        first_row = group[0][0]
        key = _order_key(group[0][1], order_file.header)
        first = seen.setdefault(key, first_row) if key else first_row
        if first != first_row:
            gated.problems += [
                RowProblem(
                    number,
                    key,
                    "duplicate_in_file",
                    _(
                        "Row %(row)d of this file has the same order number: an order's item "
                        "rows are one after the other."
                    )
                    % {"row": first},
                )
                for number, _cells in group
            ]
            continue
        parsed = order_rows_parse(group, order_file.header, currencies=currencies)
        if isinstance(parsed, list):
            gated.problems += parsed
        else:
            orders.append(parsed)
    existing = set(
        Shipment.objects.filter(
            seller=order_seller(account),
            livemode=True,
            order_number__in=[order.order_number for order in orders],
        ).values_list("order_number", flat=True)
    )
    for order in orders:
        if order.order_number in existing:
            gated.problems += _order_problems(
                order,
                "duplicate_order",
                _("A shipment for order %(order)s already exists.") % {"order": order.order_number},
            )
            continue
        try:
            ctx = gate.with_parcel(account, parcel=order.parcel, order_number=order.order_number)
        except QuoteRefused as error:  # a parcel no rule above caught: still the row's fault
            gated.problems += _order_problems(order, "invalid_parcel", str(error.message))
            continue
        cause = gate.run(ctx).root_cause
        if cause is not None:
            gated.refused.append(_refused_order(ctx, cause, user_id=shipment_import.created_by_id))
            gated.problems += _order_problems(order, cause.code, cause.message)
            continue
        shipment = shipment_build(ctx=ctx, tracking_number="", recipient=order.recipient)
        shipment.created_by_id = shipment_import.created_by_id
        gate.created(account, shipment)
        gated.shipments.append((shipment, order))
    return gated


def _order_problems(order: OrderRow, code: str, message: str) -> list[RowProblem]:
    return [RowProblem(row, order.order_number, code, message) for row in order.rows]


def _chunk_process(shipment_import, order_file, chunk, offset, seen, at) -> None:
    locked = ShipmentImport.objects.select_for_update().get(pk=shipment_import.pk)
    if locked.rows_done != offset or locked.status != ImportStatus.RUNNING:
        raise _Superseded
    store = store_lock(store_id=shipment_import.store_id) if shipment_import.store_id else None
    seller = shipment_import.seller
    # The balance this chunk's gate reads stays the chunk's until it commits: an order from
    # another of the seller's stores waits at its charge, then finds what the chunk left.
    account_lock(seller=seller)
    account = gate.context(seller=seller, store=store, parcel=None, at=at or timezone.now())
    gated = _gate_chunk(shipment_import, order_file, chunk, seen, account)
    shipments = [shipment for shipment, _order in gated.shipments]
    if shipments:
        for shipment, tracking_number in zip(
            shipments, tracking_numbers(len(shipments)), strict=True
        ):
            shipment.tracking_number = tracking_number
        _shipments_insert(shipments)
        ShipmentItem.objects.bulk_create(
            [
                item
                for shipment, order in gated.shipments
                for item in shipment_items_build(shipment, order.parcel.items)
            ],
            batch_size=5000,
        )
        if store is not None:
            store_trial_use(store=store, count=sum(1 for s in shipments if s.is_trial))
        shipment_charges_record(seller=seller, shipments=shipments)
        shipment_created_emit(shipments)
    if gated.refused:
        RefusedOrder.objects.bulk_create(gated.refused, batch_size=CHUNK_ROWS)
        shipment_refused_emit(gated.refused)
    gated.problems.sort(key=lambda problem: problem.row)
    rows = sum(len(group) for group in chunk)
    report_part_write(shipment_import, offset, gated.problems, _cells_by_row(chunk))
    # One problem per row: the first thing wrong with it.
    locked.rows_done = offset + rows
    locked.rows_created += sum(len(order.rows) for _shipment, order in gated.shipments)
    locked.rows_failed += len(gated.problems)
    locked.shipments_created += len(shipments)
    locked.save(update_fields=["rows_done", "rows_created", "rows_failed", "shipments_created"])
    shipment_import.rows_done = locked.rows_done
    shipment_import.rows_created = locked.rows_created
    shipment_import.rows_failed = locked.rows_failed
    shipment_import.shipments_created = locked.shipments_created


def _cells_by_row(chunk: list[Group]) -> dict[int, list[str]]:
    return {number: cells for group in chunk for number, cells in group}


# ---------------------------------------------------------------------------
# Preview: what the file would do, before anything is created or spent
# ---------------------------------------------------------------------------
def shipment_import_preview(*, import_id: int, at: datetime.datetime | None = None):
    """Count the file, then run every order through the same parsing and gate as the real
    run would, without writing a shipment, a charge or a refusal: rows valid and refused by
    cause, the total price, the balance (or the month's charges) after, and the rows the
    balance would not cover. Stored on the file for the seller to confirm. Safe to run
    twice (state guard)."""
    shipment_import = ShipmentImport.objects.select_related("seller").filter(pk=import_id).first()
    if shipment_import is None or shipment_import.status != ImportStatus.PREVIEWING:
        return None
    try:
        order_file = _stored_file(shipment_import)
        _count(shipment_import, order_file)
    except ImportFileRefused as refused:
        return shipment_import_fail(import_id=import_id, reason=str(refused.message))
    seller = shipment_import.seller
    store = shipment_import.store
    account = gate.context(seller=seller, store=store, parcel=None, at=at or timezone.now())
    balance_before = account.facts.balance
    seen: dict[str, int] = {}
    refused_by_code: dict[str, int] = {}
    valid_rows = shipments = 0
    total = Decimal("0.00")
    short_rows: list[int] = []
    chunk: list[Group] = []

    def tally(groups: list[Group]) -> None:
        nonlocal valid_rows, shipments, total
        with transaction.atomic():  # reads only; nothing is written
            gated = _gate_chunk(shipment_import, order_file, groups, seen, account)
        for problem in gated.problems:
            refused_by_code[problem.code] = refused_by_code.get(problem.code, 0) + 1
            if problem.code == "balance_insufficient":
                short_rows.append(problem.row)
        for shipment, order in gated.shipments:
            valid_rows += len(order.rows)
            shipments += 1
            total += shipment.charge

    for group in _order_groups(order_file):
        chunk.append(group)
        if sum(len(g) for g in chunk) >= CHUNK_ROWS:
            tally(chunk)
            chunk = []
    if chunk:
        tally(chunk)
    preview = {
        "rows": shipment_import.rows_total,
        "valid_rows": valid_rows,
        "shipments": shipments,
        "refused": dict(sorted(refused_by_code.items(), key=lambda item: (-item[1], item[0]))),
        "total": str(total),
        "mode": account.facts.settlement_mode,
        "balance_before": str(balance_before),
        "balance_after": str(account.facts.balance),
        "short_rows": short_rows[:50],
        "short_count": len(short_rows),
    }
    with transaction.atomic():
        locked = ShipmentImport.objects.select_for_update().get(pk=shipment_import.pk)
        if locked.status != ImportStatus.PREVIEWING:
            return locked
        locked.preview = preview
        locked.status = ImportStatus.PREVIEWED
        locked.save(update_fields=["preview", "status"])
    return locked


def _shipments_insert(shipments: list[Shipment]) -> None:
    """Insert the chunk's shipments with one COPY, then read their ids back by tracking
    number (unique) for the ledger. Measured (bench/bench_imports.py): ``bulk_create``'s
    INSERT of 58 columns took a third of the import; COPY does the same rows several times
    faster, with the same constraints enforced by the table."""
    fields = [field for field in Shipment._meta.concrete_fields if not field.primary_key]
    # The attributes go as they are (shipment_build sets every field, no auto_now here);
    # JSON as JSON.
    json_at = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    attributes = operator.attrgetter(*(field.attname for field in fields))

    def values(shipment: Shipment) -> list:
        row = list(attributes(shipment))
        for index in json_at:
            row[index] = Jsonb(row[index])
        return row

    quote = connection.ops.quote_name
    table = quote(Shipment._meta.db_table)
    columns = ", ".join(quote(_column(field)) for field in fields)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for shipment in shipments:
                copy.write_row(values(shipment))
        cursor.execute(
            f"SELECT tracking_number, id FROM {table} WHERE tracking_number = ANY(%s)",  # noqa: S608
            [[shipment.tracking_number for shipment in shipments]],
        )
        ids = dict(cursor.fetchall())
    for shipment in shipments:
        shipment.pk = ids[shipment.tracking_number]
        shipment._state.adding = False
        shipment._state.db = connection.alias


def _column(field: Field[Any, Any]) -> str:
    if field.column is None:  # only a field without a column of its own, never a concrete one
        raise ValueError(f"Shipment.{field.name} has no column to COPY into")
    return field.column


def _refused_order(ctx: OrderContext, cause: Outcome, *, user_id) -> RefusedOrder:
    return RefusedOrder(
        seller=order_seller(ctx),
        store=order_store(ctx),
        order_number=ctx.order_number,
        check_code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        parcel=ctx.parcel.as_json() if ctx.parcel else {},
        source="bulk",
        user_id=user_id,
        at=ctx.at,
    )


def _finish(shipment_import: ShipmentImport) -> ShipmentImport:
    with transaction.atomic():
        locked = ShipmentImport.objects.select_for_update().get(pk=shipment_import.pk)
        if locked.status != ImportStatus.RUNNING:
            return locked
        locked.report_name = report_join(locked)
        locked.status = ImportStatus.DONE
        locked.finished_at = timezone.now()
        locked.save(update_fields=["report_name", "status", "finished_at"])
        import_finished_notify(locked)
    report_parts_delete(locked)
    return locked


# ---------------------------------------------------------------------------
# Reads for the pages
# ---------------------------------------------------------------------------
def shipment_import_list_for_seller(*, seller, limit: int = 20) -> list[ShipmentImport]:
    return list(ShipmentImport.objects.filter(seller=seller).order_by("-created_at", "-id")[:limit])


def shipment_import_get_for_seller(*, seller, pk: int) -> ShipmentImport | None:
    return ShipmentImport.objects.filter(seller=seller, pk=pk).first()


FINISHED = frozenset({ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.DISCARDED})


def shipment_import_progress(*, shipment_import: ShipmentImport) -> dict:
    """What the file's page polls; ``finished`` once there is nothing more to wait for (the
    preview is ready for the seller, or the file is done, failed or discarded)."""
    total = shipment_import.rows_total
    previewed = shipment_import.status == ImportStatus.PREVIEWED
    return {
        "state": shipment_import.status,
        "state_label": str(shipment_import.get_status_display()),
        "done": shipment_import.rows_done,
        "total": total,
        "percent": round(100 * shipment_import.rows_done / total) if total else 0,
        "created": shipment_import.rows_created,
        "shipments": shipment_import.shipments_created,
        "failed": shipment_import.rows_failed,
        "error": shipment_import.error,
        "preview": shipment_import.preview if previewed else None,
        "finished": previewed or shipment_import.status in FINISHED,
        "has_report": bool(shipment_import.report_name),
    }
