from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class BillingError(DomainError):
    """A refused billing operation, with a message the seller (or staff) can act on."""

    default_message = _("The billing operation was refused.")


class SettlementError(BillingError):
    """A refused settlement operation (balance, top-up, payment, statement)."""

    default_message = _("The settlement operation was refused.")


class InsufficientBalance(SettlementError):
    default_message = _(
        "The prepaid balance is too low for this charge: top up by bank transfer (see the "
        "billing page), then place the order again."
    )


class InvalidAmount(SettlementError):
    default_message = _("The amount must be greater than 0 with at most two decimals.")


class DuplicateReference(SettlementError):
    default_message = _(
        "This bank reference has already been recorded: each transfer is recorded once."
    )


class MissingReference(SettlementError):
    default_message = _("The bank reference is required.")


class Overpayment(SettlementError):
    default_message = _("The payment is more than what is still due on this statement.")


class StatementSettled(SettlementError):
    default_message = _("This statement is already paid in full.")


class SameSettlementMode(SettlementError):
    default_message = _("The seller already settles this way.")


class PeriodNotOver(SettlementError):
    default_message = _("A month can be closed only after it has ended (Asia/Shanghai).")


class InvalidPeriod(SettlementError):
    default_message = _("The period must be a month written YYYY-MM, e.g. 2026-10.")
