"""The ledger: append-only entries, and the one service that moves a prepaid balance.

An entry's ``key`` is unique: appending an entry whose key exists already does nothing, so
a retry, a double click or a task run twice never moves money twice. Entries of one seller
are appended under the account lock (``billing.locks.account_lock``): one lock, one look-up
of the keys already there, one bulk insert and one update of the balance, whatever the
number of entries (a bulk import of 1,000 shipments costs the same five queries).
"""

import calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.money import round_fen
from core.prepared import PreparedQuery
from core.timezones import SHANGHAI
from notifications.services import notification_send
from webhooks.models import EventType
from webhooks.services import webhook_emit

from ..exceptions import InsufficientBalance, InvalidPeriod
from ..locks import account_lock
from ..models import LedgerEntry, SettlementAccount, SettlementMode

STATEMENT_DUE_DAYS = 15


def period_of(at: datetime.datetime) -> datetime.date:
    """The period (first day of the calendar month, Asia/Shanghai) an instant falls in."""
    return at.astimezone(SHANGHAI).date().replace(day=1)


def period_parse(text: str) -> datetime.date:
    """``"2026-10"`` → 2026-10-01, or ``InvalidPeriod``."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidPeriod from None


def period_last_day(period: datetime.date) -> datetime.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def period_previous(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def statement_due_date(period: datetime.date) -> datetime.date:
    """Due 15 days after the period's last day (T+15): 2026-10 → 2026-11-15, 2027-02 →
    2027-03-15, 2028-02 (leap) → 2028-03-15."""
    return period_last_day(period) + datetime.timedelta(days=STATEMENT_DUE_DAYS)


_KEY_PRESENT: PreparedQuery[str] = PreparedQuery(
    lambda key: LedgerEntry.objects.filter(key=key).order_by().values_list("key", flat=True),
    key=str,
)


def ledger_entries_append(
    *, seller, entries: list[LedgerEntry], account: SettlementAccount | None = None
) -> list[LedgerEntry]:
    """Append the seller's ``entries`` (unsaved, ``balance_after`` left empty) and move
    the prepaid balance by the instant ones, all or nothing. Entries whose key is in the
    ledger already are skipped; the entries actually appended are returned.

    Raises ``InsufficientBalance`` when an instant debit would take the balance below
    zero (the database's check constraint refuses it too, as the last line of defence).
    """
    if not entries:
        return []
    # A caller that passes the account holds its lock in its own transaction: no savepoint.
    with transaction.atomic(savepoint=account is None):
        if account is None:
            account = account_lock(seller=seller)
        keys = [entry.key for entry in entries]
        if len(set(keys)) != len(keys):
            raise ValueError("ledger entries appended together need distinct keys")
        present = (
            set(_KEY_PRESENT.all(key=keys[0]))
            if len(keys) == 1  # one charge, the common case: compiled once
            else set(LedgerEntry.objects.filter(key__in=keys).values_list("key", flat=True))
        )
        fresh = [entry for entry in entries if entry.key not in present]
        if not fresh:
            return []
        balance = account.balance
        now = timezone.now()
        for entry in fresh:
            entry.seller_id = seller.pk
            entry.amount = round_fen(entry.amount)
            entry.at = entry.at or now
            if entry.mode == SettlementMode.INSTANT:
                balance += entry.amount
                if balance < 0:
                    raise InsufficientBalance
                entry.balance_after = balance
        LedgerEntry.objects.bulk_create(fresh)
        delta = balance - account.balance
        if delta != Decimal("0.00"):
            SettlementAccount.objects.filter(pk=account.pk).update(
                balance=F("balance") + delta, updated_at=now
            )
            _balance_low_notify(seller=seller, account=account, before=account.balance, fresh=fresh)
            account.balance = balance
        return fresh


def _balance_low_notify(
    *, seller, account: SettlementAccount, before: Decimal, fresh: list[LedgerEntry]
) -> None:
    """Tell the seller when these entries took the balance from at least the threshold its
    owner set to below it: once per crossing (the entry that crossed names the event)."""
    threshold = account.low_balance_alert
    if threshold is None or before < threshold:
        return
    crossing = next(
        (e for e in fresh if e.balance_after is not None and e.balance_after < threshold), None
    )
    if crossing is None:
        return
    notification_send(
        seller=seller,
        kind="balance_low",
        key=f"balance_low:{crossing.key}",
        params={"balance": str(crossing.balance_after), "threshold": str(threshold)},
        url=reverse("billing:index"),
    )
    # The seller's systems hear it too (a prepaid balance is live money: live endpoints).
    webhook_emit(
        seller_id=seller.pk,
        livemode=True,
        type=EventType.BALANCE_LOW,
        data={
            "balance": f"{crossing.balance_after:.2f}",
            "threshold": f"{threshold:.2f}",
            "currency": "CNY",
            "entry": crossing.key,
            "order_number": crossing.order_number,
            "tracking_number": crossing.tracking_number,
        },
    )


def adjustment_record(
    *,
    seller,
    amount: Decimal,
    key: str,
    reason: str,
    mode: str = SettlementMode.MONTHLY,
    user=None,
    at: datetime.datetime | None = None,
) -> LedgerEntry | None:
    """A correction, as a new entry (issued statements never change). ``amount`` is in
    the seller's favour when positive. A monthly adjustment lands in the open period, so on
    the next statement issued; an instant one moves the prepaid balance. ``key`` names the
    correction (``adjustment:<…>``): recording it twice records it once."""
    if not key.startswith("adjustment:"):
        key = f"adjustment:{key}"
    at = at or timezone.now()
    appended = ledger_entries_append(
        seller=seller,
        entries=[
            LedgerEntry(
                kind="adjustment",
                mode=mode,
                amount=Decimal(amount),
                period=period_of(at) if mode == SettlementMode.MONTHLY else None,
                key=key,
                note=reason[:255],
                at=at,
                created_by=user,
            )
        ],
    )
    return appended[0] if appended else None
