"""Payments of monthly statements, recorded by finance (full or partial). What is paid is
the sum of a statement's payments; the statement itself never changes."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ..exceptions import DuplicateReference, Overpayment, StatementSettled
from ..locks import account_lock
from ..models import EntryKind, LedgerEntry, Payment, SettlementMode, Statement
from .ledger import ledger_entries_append
from .wallet import amount_clean, reference_clean


def statement_paid(*, statement: Statement):
    return Payment.objects.filter(statement=statement).aggregate(paid=Sum("amount"))[
        "paid"
    ] or Decimal("0.00")


def _duplicate(reference: str) -> DuplicateReference:
    return DuplicateReference(
        _("Bank reference %(reference)s has already been recorded as a payment.")
        % {"reference": reference}
    )


def payment_check(*, statement: Statement, amount, reference: str) -> tuple[Decimal, str]:
    """The cleaned amount and reference of a payment, or why it is refused: a reference
    recorded before, a statement paid in full, more than what is still due."""
    amount = amount_clean(amount)
    reference = reference_clean(reference)
    if Payment.objects.filter(reference=reference).exists():
        raise _duplicate(reference)
    due = statement.total - statement_paid(statement=statement)
    if due <= 0:
        raise StatementSettled
    if amount > due:
        raise Overpayment(
            _("Only ¥%(due)s is still due on statement %(number)s.")
            % {"due": due, "number": statement.number}
        )
    return amount, reference


def payment_record(
    *, statement: Statement, amount, reference: str, received_on: datetime.date, user=None
) -> Payment:
    """Record a payment of ``amount`` against ``statement``. Refused: a reference recorded
    before (``DuplicateReference``), a statement paid in full (``StatementSettled``), more
    than what is still due (``Overpayment``)."""
    amount, reference = payment_check(statement=statement, amount=amount, reference=reference)
    duplicate = _duplicate(reference)
    seller = statement.seller
    try:
        with transaction.atomic():
            # The account lock serialises payments of the seller: "still due" stays true.
            account = account_lock(seller=seller)
            payment_check(statement=statement, amount=amount, reference=reference)
            appended = ledger_entries_append(
                seller=seller,
                account=account,
                entries=[
                    LedgerEntry(
                        kind=EntryKind.PAYMENT,
                        mode=SettlementMode.MONTHLY,
                        amount=amount,
                        key=f"payment:{reference}",
                        reference=reference,
                        note=statement.number,
                        created_by=user,
                    )
                ],
            )
            if not appended:
                raise duplicate
            return Payment.objects.create(
                statement=statement,
                seller=seller,
                amount=amount,
                reference=reference,
                received_on=received_on,
                entry=appended[0],
                recorded_by=user,
            )
    except IntegrityError:
        raise duplicate from None
