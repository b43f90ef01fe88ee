"""The one place where a seller's settlement account is locked for a read-modify-write of
its balance (``SELECT … FOR UPDATE``), and the statement counter for numbering.

Every balance change goes through ``billing.services.ledger.ledger_entries_append`` under
``account_lock``; two debits of the same seller, from two processes, queue here."""

import datetime

from django.db import transaction

from core.prepared import PreparedQuery
from stores.selectors import stores_for_seller

from .models import SettlementAccount, SettlementMode, StatementCounter


def settlement_mode_initial(*, seller) -> str:
    """The mode a new account starts with: the one chosen on applying for the seller's
    newest store (copied onto the store at approval), else monthly."""
    chosen = (
        stores_for_seller(seller=seller)
        .exclude(settlement_mode="")
        .values_list("settlement_mode", flat=True)
        .first()
    )
    return chosen if chosen in SettlementMode.values else SettlementMode.MONTHLY


def account_lock(*, seller) -> SettlementAccount:
    """The seller's settlement account, created on first use, locked until the end of the
    current transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("account_lock must run inside transaction.atomic()")
    account = _LOCKED.first(seller_id=seller.pk)
    if account is None:
        SettlementAccount.objects.bulk_create(
            [SettlementAccount(seller_id=seller.pk, mode=settlement_mode_initial(seller=seller))],
            ignore_conflicts=True,  # another transaction may open it at the same moment
        )
        account = SettlementAccount.objects.select_for_update().get(pk=seller.pk)
    return account


# Taken for every charge: compiled once (``core.prepared``).
_LOCKED: PreparedQuery[SettlementAccount] = PreparedQuery(
    lambda seller_id: (
        SettlementAccount.objects.select_for_update().filter(pk=seller_id).order_by()[:1]
    ),
    seller_id=int,
)


def statement_counter_lock(*, period: datetime.date) -> int:
    """Lock the period's statement counter (created at 0 on first use) and return the last
    number issued; the caller advances it in the same transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("statement_counter_lock must run inside transaction.atomic()")
    StatementCounter.objects.bulk_create(
        [StatementCounter(period=period, last_number=0)], ignore_conflicts=True
    )
    return StatementCounter.objects.select_for_update().get(period=period).last_number
