"""Settlement accounts: the mode a seller settles in, switching it, and top-ups of the
prepaid balance recorded by finance."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import (
    DuplicateReference,
    InvalidAmount,
    MissingReference,
    SameSettlementMode,
)
from ..locks import account_lock
from ..models import (
    EntryKind,
    LedgerEntry,
    SettlementMode,
    SettlementModeChange,
    TopUp,
)
from .ledger import ledger_entries_append

MAX_REFERENCE = 64


def amount_clean(value) -> Decimal:
    """A positive amount of money with at most two decimals, or ``InvalidAmount``."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidAmount from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidAmount
    if amount >= Decimal("1000000000000"):
        raise InvalidAmount
    return amount.quantize(Decimal("0.01"))


def reference_clean(value) -> str:
    reference = (value or "").strip()
    if not reference:
        raise MissingReference
    if len(reference) > MAX_REFERENCE:
        raise MissingReference(
            _("The bank reference is longer than %(max)s characters.") % {"max": MAX_REFERENCE}
        )
    return reference


def settlement_mode_switch_rule(*, to_mode: str) -> str:
    """What switching to ``to_mode`` does, in one sentence the UI shows before and after
    the switch."""
    if to_mode == SettlementMode.INSTANT:
        return _(
            "The switch to instant debit takes effect immediately: every shipment created "
            "from then on is paid from the prepaid balance (top up first). Charges already "
            "accrued this month stay on the monthly statement issued when the month closes, "
            "due 15 days after the month's last day."
        )
    return _(
        "The switch to monthly statements takes effect immediately: every shipment created "
        "from then on accrues to this month's statement, due 15 days after the month's last "
        "day. Charges already taken from the prepaid balance stay paid, and the remaining "
        "balance stays yours: usable again after switching back, or refunded by finance on "
        "request."
    )


def settlement_mode_switch(
    *, seller, mode: str, user=None, reason: str = "", at: datetime.datetime | None = None
) -> SettlementModeChange:
    """Switch the seller's settlement mode now (see ``settlement_mode_switch_rule``):
    only shipments created afterwards settle the new way. Audited."""
    if mode not in SettlementMode.values:
        raise ValueError(f"unknown settlement mode {mode!r}")
    at = at or timezone.now()
    with transaction.atomic():
        account = account_lock(seller=seller)
        if account.mode == mode:
            raise SameSettlementMode
        change = SettlementModeChange.objects.create(
            account=account, from_mode=account.mode, to_mode=mode, at=at, actor=user, reason=reason
        )
        account.mode = mode
        account.mode_changed_at = at
        account.save(update_fields=["mode", "mode_changed_at", "updated_at"])
        return change


def topup_check(*, amount, reference: str) -> tuple[Decimal, str]:
    """The cleaned amount and reference of a top-up, or the reason it is refused."""
    amount = amount_clean(amount)
    reference = reference_clean(reference)
    if TopUp.objects.filter(reference=reference).exists():
        raise DuplicateReference(
            _("Bank reference %(reference)s has already been recorded as a top-up.")
            % {"reference": reference}
        )
    return amount, reference


def topup_record(*, seller, amount, reference: str, received_on: datetime.date, user=None) -> TopUp:
    """Record a bank transfer to the seller's prepaid balance. The same bank reference
    twice is refused (``DuplicateReference``), whoever's it was."""
    amount, reference = topup_check(amount=amount, reference=reference)
    try:
        with transaction.atomic():
            account = account_lock(seller=seller)
            (entry,) = ledger_entries_append(
                seller=seller,
                account=account,
                entries=[
                    LedgerEntry(
                        kind=EntryKind.TOPUP,
                        mode=SettlementMode.INSTANT,
                        amount=amount,
                        key=f"topup:{reference}",
                        reference=reference,
                        created_by=user,
                    )
                ],
            ) or (None,)
            if entry is None:
                raise IntegrityError("top-up key present")
            return TopUp.objects.create(
                seller=seller,
                amount=amount,
                reference=reference,
                received_on=received_on,
                entry=entry,
                recorded_by=user,
            )
    except IntegrityError:
        raise DuplicateReference(
            _("Bank reference %(reference)s has already been recorded as a top-up.")
            % {"reference": reference}
        ) from None


def settlement_low_balance_alert_set(*, seller, amount, user=None) -> Decimal | None:
    """The owner asks to be told when the prepaid balance falls below ``amount`` (None or
    "": never). Returns the threshold in force."""
    threshold = None if amount in (None, "") else amount_clean(amount)
    with transaction.atomic():
        account = account_lock(seller=seller)
        account.low_balance_alert = threshold
        account.save(update_fields=["low_balance_alert", "updated_at"])
    return threshold
