"""Settlement data for tests: top-ups and stores that settle by instant debit or monthly."""

import itertools
from datetime import date
from decimal import Decimal

_references = itertools.count(1)


def topup(seller, amount="100.00", *, reference=None, user=None):
    """A top-up recorded by finance, as in the admin."""
    from billing.services import topup_record

    return topup_record(
        seller=seller,
        amount=amount,
        reference=reference or f"BANK-{next(_references):06d}",
        received_on=date(2026, 8, 1),
        user=user,
    )


def instant_store(*, balance="100.00", **fields):
    """A store ready to ship whose seller settles by instant debit, with ``balance``."""
    from billing.models import SettlementMode
    from tests.shipments.factories import store_ready

    store = store_ready(settlement_mode=SettlementMode.INSTANT, **fields)
    if Decimal(balance) > 0:
        topup(store.seller, balance)
    return store


def monthly_store(**fields):
    from billing.models import SettlementMode
    from tests.shipments.factories import store_ready

    return store_ready(settlement_mode=SettlementMode.MONTHLY, **fields)
