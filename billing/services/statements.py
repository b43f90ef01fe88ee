"""Closing a month: one statement per seller with monthly entries, numbered without gaps.

``statements_close_month`` is one transaction: it locks the period's statement counter (a
second closer, in another process, waits here and then finds the statements issued), then
issues every statement and its lines in a single set-based SQL statement (one snapshot, so
that each statement's totals are exactly the sum of its lines), and advances the counter.

A statement takes the seller's monthly charges, refunds and adjustments of the period *and
earlier* that are on no statement yet, so that an entry committed a moment after its month
closed, or an adjustment for a closed month, lands on the next statement. Issued statements
and their lines never change (a trigger refuses it).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.timezones import SHANGHAI, today_shanghai
from notifications.services import NewNotification, notifications_send_many
from webhooks.models import EventType
from webhooks.services import sellers_listening, webhook_emit

from ..exceptions import PeriodNotOver
from ..locks import statement_counter_lock
from ..models import EntryKind, LedgerEntry, SettlementMode, Statement, StatementCounter
from .ledger import period_last_day, statement_due_date

BILLED_KINDS = (EntryKind.CHARGE, EntryKind.REFUND, EntryKind.ADJUSTMENT)
NUMBER_DIGITS = 5


@dataclass(frozen=True, slots=True)
class CloseResult:
    period: datetime.date
    statements: int
    lines: int
    first_number: str | None
    last_number: str | None


def statement_number(period: datetime.date, n: int) -> str:
    """``JL202610-00001``: the period and the statement's rank among the period's."""
    return f"JL{period:%Y%m}-{n:0{NUMBER_DIGITS}d}"


# The entries to bill, the statements (numbered by row_number() after the last number
# issued), then their lines (positions by row_number() per seller), in one statement.
_CLOSE_SQL = """
/* billing close_month: issue statements and lines */
WITH entries AS MATERIALIZED (
    SELECT e.id, e.seller_id, e.kind, e.amount, e.shipment_id, e.at, e.note,
           e.order_number, e.tracking_number, e.base, e.fulfillment_adjustment,
           e.peak_adjustment, e.green_discount
    FROM billing_ledgerentry e
    WHERE e.mode = %(mode)s
      AND e.kind = ANY(%(kinds)s)
      AND e.period <= %(period)s
      AND NOT EXISTS (SELECT 1 FROM billing_statementline l WHERE l.entry_id = e.id)
      AND NOT EXISTS (
          SELECT 1 FROM billing_statement s
          WHERE s.seller_id = e.seller_id AND s.period = %(period)s
      )
), totals AS (
    SELECT seller_id,
           count(*) AS line_count,
           coalesce(sum(-amount) FILTER (WHERE kind = 'charge'), 0) AS charges_total,
           coalesce(sum(-amount) FILTER (WHERE kind = 'refund'), 0) AS refunds_total,
           coalesce(sum(-amount) FILTER (WHERE kind = 'adjustment'), 0) AS adjustments_total,
           sum(-amount) AS total,
           row_number() OVER (ORDER BY seller_id) AS rank
    FROM entries
    GROUP BY seller_id
), issued AS (
    INSERT INTO billing_statement (
        seller_id, period, number, company_name, issued_at, due_date, line_count,
        charges_total, refunds_total, adjustments_total, total
    )
    SELECT t.seller_id, %(period)s,
           %(prefix)s || lpad((%(last)s + t.rank)::text,
                              greatest(%(digits)s, length((%(last)s + t.rank)::text)), '0'),
           se.company_name, %(issued_at)s, %(due_date)s, t.line_count,
           t.charges_total, t.refunds_total, t.adjustments_total, t.total
    FROM totals t
    JOIN accounts_seller se ON se.id = t.seller_id
    RETURNING id, seller_id
), lines AS (
    INSERT INTO billing_statementline (
        statement_id, position, entry_id, kind, shipment_id, at, description, amount,
        order_number, tracking_number, base, fulfillment_adjustment, peak_adjustment,
        green_discount
    )
    SELECT i.id,
           row_number() OVER (PARTITION BY e.seller_id ORDER BY e.at, e.id),
           e.id, e.kind, e.shipment_id, e.at, e.note, -e.amount,
           e.order_number, e.tracking_number, e.base, e.fulfillment_adjustment,
           e.peak_adjustment, e.green_discount
    FROM entries e
    JOIN issued i ON i.seller_id = e.seller_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM issued), (SELECT count(*) FROM lines)
"""


def statements_check_can_close(
    *, period: datetime.date, at: datetime.datetime | None = None
) -> None:
    """Refuse a month that has not ended in Asia/Shanghai (``PeriodNotOver``): the current
    month and every later one. A month already closed can be closed again (nothing more is
    issued)."""
    at = at or timezone.now()
    if at.astimezone(SHANGHAI).date() <= period_last_day(period.replace(day=1)):
        raise PeriodNotOver


def statements_close_month(
    *, period: datetime.date, at: datetime.datetime | None = None
) -> CloseResult:
    """Issue the period's statements, once: running it again, or twice at once, issues
    nothing more (the counter lock serialises closers; a statement exists once per seller
    and period). The month must be over in Asia/Shanghai (``PeriodNotOver``)."""
    at = at or timezone.now()
    period = period.replace(day=1)
    statements_check_can_close(period=period, at=at)
    with transaction.atomic():
        last = statement_counter_lock(period=period)
        with connection.cursor() as cursor:
            # Sort a million lines in memory rather than on disk; for this transaction only.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                _CLOSE_SQL,
                {
                    "mode": SettlementMode.MONTHLY.value,
                    "kinds": [kind.value for kind in BILLED_KINDS],
                    "period": period,
                    "prefix": f"JL{period:%Y%m}-",
                    "last": last,
                    "digits": NUMBER_DIGITS,
                    "issued_at": at,
                    "due_date": statement_due_date(period),
                },
            )
            statements, lines = cursor.fetchone()
        if statements:
            StatementCounter.objects.filter(period=period).update(last_number=last + statements)
            statements_notify_issued(period=period, issued_at=at)
            _statements_issued_emit(period=period, at=at)
    return CloseResult(
        period=period,
        statements=statements,
        lines=lines,
        first_number=statement_number(period, last + 1) if statements else None,
        last_number=statement_number(period, last + statements) if statements else None,
    )


def _statements_issued_emit(*, period: datetime.date, at: datetime.datetime) -> None:
    """``statement.issued`` to the sellers whose endpoints listen (statements are live)."""
    listening = sellers_listening(type=EventType.STATEMENT_ISSUED)
    if not listening:
        return
    issued = Statement.objects.filter(
        period=period, issued_at=at, seller_id__in=listening
    ).order_by("id")
    for statement in issued:
        webhook_emit(
            seller_id=statement.seller_id,
            livemode=True,
            type=EventType.STATEMENT_ISSUED,
            data={
                "number": statement.number,
                "period": f"{period:%Y-%m}",
                "issued_at": statement.issued_at.isoformat(),
                "due_date": statement.due_date.isoformat(),
                "total": str(statement.total),
                "currency": "CNY",
                "lines": statement.line_count,
            },
            at=at,
        )


def statements_close_month_preview(*, period: datetime.date) -> int:
    """How many statements closing ``period`` now would issue (``close_month --dry-run``)."""
    period = period.replace(day=1)
    return (
        LedgerEntry.objects.filter(
            mode=SettlementMode.MONTHLY,
            kind__in=BILLED_KINDS,
            period__lte=period,
            statement_line__isnull=True,
        )
        .exclude(seller__statements__period=period)
        .values("seller_id")
        .distinct()
        .count()
    )


# --- telling sellers -------------------------------------------------------------------
# A statement unpaid this many days before its due date is reminded (once).
DUE_SOON_DAYS = 3


def _statement_notice(kind: str, event: str, row: Mapping[str, Any]) -> NewNotification:
    return NewNotification(
        seller_id=row["seller_id"],
        kind=kind,
        key=f"statement:{row['number']}:{event}",
        params={
            "number": row["number"],
            "period": f"{row['period']:%Y-%m}",
            "total": str(row["total"]),
            "due": row["due_date"].isoformat(),
            "outstanding": str(row.get("outstanding", row["total"])),
        },
        url=reverse("billing:statement", args=[row["pk"]]),
    )


def statements_notify_issued(*, period: datetime.date, issued_at: datetime.datetime) -> list[int]:
    """Tell each seller of its statement issued for ``period`` at ``issued_at`` (one insert
    for the month; e-mails by workers after commit). Called by the close, in its
    transaction; each statement is told once."""
    rows = Statement.objects.filter(period=period, issued_at=issued_at).values(
        "pk", "seller_id", "number", "period", "total", "due_date"
    )
    return notifications_send_many(
        notifications=[_statement_notice("statement_issued", "issued", row) for row in rows]
    )


def statements_remind(*, today: datetime.date | None = None) -> list[int]:
    """The daily reminders: statements unpaid and due within ``DUE_SOON_DAYS`` days, and
    statements overdue, each told once (the event is the key). Returns the new ids."""
    from ..selectors import StatementState, statements_filter_state, statements_with_state

    today = today or today_shanghai()
    fields = ("pk", "seller_id", "number", "period", "total", "due_date", "outstanding")
    due_soon = (
        statements_with_state(today=today)
        .filter(
            paid__lt=F("total"),
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .values(*fields)
    )
    overdue = statements_filter_state(
        Statement.objects.all(), state=StatementState.OVERDUE, today=today
    ).values(*fields)
    notices = [_statement_notice("statement_due_soon", "due_soon", row) for row in due_soon]
    notices += [_statement_notice("statement_overdue", "overdue", row) for row in overdue]
    return notifications_send_many(notifications=notices)
