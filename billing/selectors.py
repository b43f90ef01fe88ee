"""Reads of settlement: accounts, the ledger, statements with what is paid, overdue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Seller
from core.prepared import PreparedQuery
from core.timezones import today_shanghai

from .locks import settlement_mode_initial
from .models import (
    LedgerEntry,
    Payment,
    SettlementAccount,
    SettlementMode,
    Statement,
    StatementLine,
)
from .services.ledger import period_of

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


class StatementState:
    PAID = "paid"
    UNPAID = "unpaid"
    OVERDUE = "overdue"
    LABELS = {
        PAID: pgettext_lazy("statement state", "Paid"),
        UNPAID: _("Unpaid"),
        OVERDUE: _("Overdue"),
    }


def _paid_subquery():
    return Coalesce(
        Subquery(
            Payment.objects.filter(statement=OuterRef("pk"))
            .order_by()
            .values("statement")
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


class StatementFigures(TypedDict):
    """What ``statements_with_state`` annotates a statement with."""

    paid: Decimal
    outstanding: Decimal
    state: str  # a StatementState


if TYPE_CHECKING:  # WithAnnotations[Model, TypedDict] is for the type checker only
    from django_stubs_ext import WithAnnotations

    # A statement with its figures: ``statement.paid``, ``.outstanding``, ``.state``.
    StatementWithState = WithAnnotations[Statement, StatementFigures]


def statements_with_state(
    queryset: QuerySet[Statement] | None = None, *, today: datetime.date | None = None
) -> QuerySet[StatementWithState]:
    """Statements annotated with ``paid``, ``outstanding`` and ``state`` (paid / unpaid /
    overdue: due date before today in Asia/Shanghai and not paid in full)."""
    today = today or today_shanghai()
    queryset = Statement.objects.all() if queryset is None else queryset
    return queryset.annotate(paid=_paid_subquery()).annotate(
        outstanding=F("total") - F("paid"),
        state=Case(
            When(paid__gte=F("total"), then=Value(StatementState.PAID)),
            When(due_date__lt=today, then=Value(StatementState.OVERDUE)),
            default=Value(StatementState.UNPAID),
        ),
    )


def statements_filter_state(
    queryset: QuerySet[Statement], *, state: str, today: datetime.date | None = None
) -> QuerySet[StatementWithState]:
    today = today or today_shanghai()
    with_state = statements_with_state(queryset, today=today)
    if state == StatementState.PAID:
        return with_state.filter(paid__gte=F("total"))
    if state == StatementState.OVERDUE:
        return with_state.filter(paid__lt=F("total"), due_date__lt=today)
    if state == StatementState.UNPAID:
        return with_state.filter(paid__lt=F("total"), due_date__gte=today)
    return with_state


def statements_overdue(*, today: datetime.date | None = None) -> QuerySet[StatementWithState]:
    return statements_filter_state(
        Statement.objects.all(), state=StatementState.OVERDUE, today=today
    )


@dataclass(frozen=True, slots=True)
class OverdueStatement:
    number: str
    due_date: datetime.date
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class Settlement:
    """What the order gate and the billing page need about a seller's settlement."""

    mode: str
    balance: Decimal
    overdue: OverdueStatement | None
    mode_changed_at: datetime.datetime | None = None
    low_balance_alert: Decimal | None = None

    @property
    def instant(self) -> bool:
        return self.mode == SettlementMode.INSTANT


# Read for every order through the gate: compiled once (``core.prepared``).
_ACCOUNT: PreparedQuery[SettlementAccount] = PreparedQuery(
    lambda seller_id: SettlementAccount.objects.filter(pk=seller_id).order_by("pk")[:1],
    seller_id=int,
)
_OVERDUE: PreparedQuery[dict] = PreparedQuery(
    lambda seller_id, today: (
        statements_overdue(today=today)
        .filter(seller_id=seller_id)
        .order_by("due_date", "id")
        .values("number", "due_date", "outstanding")[:1]
    ),
    seller_id=int,
    today=datetime.date,
)


def settlement_get(*, seller, today: datetime.date | None = None) -> Settlement:
    """The seller's mode, balance and oldest overdue statement, in two queries (three for
    a seller whose account does not exist yet; nothing is created by a read)."""
    account = _ACCOUNT.first(seller_id=seller.pk)
    overdue = _OVERDUE.first(seller_id=seller.pk, today=today or today_shanghai())
    return Settlement(
        mode=account.mode if account else settlement_mode_initial(seller=seller),
        balance=account.balance if account else ZERO,
        overdue=OverdueStatement(**overdue) if overdue else None,
        mode_changed_at=account.mode_changed_at if account else None,
        low_balance_alert=account.low_balance_alert if account else None,
    )


def ledger_for_seller(*, seller) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(seller=seller).order_by("-at", "-id")


def open_period_entries(*, seller, at=None) -> QuerySet[LedgerEntry]:
    """The seller's monthly charges, refunds and adjustments on no statement yet."""
    from django.utils import timezone

    period = period_of(at or timezone.now())
    return LedgerEntry.objects.filter(
        seller=seller,
        mode=SettlementMode.MONTHLY,
        kind__in=["charge", "refund", "adjustment"],
        period__lte=period,
        statement_line__isnull=True,
    ).order_by("-at", "-id")


def open_period_total(*, seller, at=None) -> Decimal:
    """What the seller owes for the open period so far (charges positive)."""
    total = open_period_entries(seller=seller, at=at).aggregate(s=Sum("amount"))["s"]
    return -(total or ZERO)


def statements_for_seller(
    *, seller: Seller, today: datetime.date | None = None
) -> QuerySet[StatementWithState]:
    return statements_with_state(Statement.objects.filter(seller=seller), today=today).order_by(
        "-period"
    )


def statement_get_for_seller(*, seller: Seller, pk: int) -> StatementWithState:
    """The seller's own statement, or 404: another seller's id does not exist for them."""
    return get_object_or_404(statements_with_state(Statement.objects.filter(seller=seller)), pk=pk)


def statement_lines(*, statement: Statement) -> QuerySet[StatementLine]:
    return statement.lines.order_by("position")


def statements_for_period(*, period: datetime.date) -> QuerySet[StatementWithState]:
    return statements_with_state(Statement.objects.filter(period=period)).order_by("number")


__all__ = [
    "OverdueStatement",
    "Settlement",
    "StatementState",
    "ledger_for_seller",
    "open_period_entries",
    "open_period_total",
    "settlement_get",
    "statement_get_for_seller",
    "statement_lines",
    "statements_filter_state",
    "statements_for_period",
    "statements_for_seller",
    "statements_overdue",
    "statements_with_state",
]
