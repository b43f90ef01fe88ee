from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class BillingError(DomainError):
    """A refused billing operation, with a message the seller (or staff) can act on."""

    default_message = _("The billing operation was refused.")


class QuoteRefused(BillingError):
    """No price for this parcel; the message says why."""

    default_message = _("This parcel cannot be priced.")


class InvalidWeight(QuoteRefused):
    default_message = _("The weight must be a whole number of grams greater than zero.")


class InvalidDimensions(QuoteRefused):
    default_message = _(
        "Each side of the parcel must be greater than 0 cm and at most 200 cm "
        "(length × width × height)."
    )


class InvalidScore(QuoteRefused):
    default_message = _("The fulfilment score must be between 0 and 100.")


class UnknownCountry(QuoteRefused):
    default_message = _("Unknown country code: use the two-letter ISO code, e.g. US, DE, SG.")


class InvalidPostcode(QuoteRefused):
    default_message = _("The postcode is not valid for this country.")


class UnknownOrigin(QuoteRefused):
    default_message = _("Unknown origin region.")


class LaneNotServed(QuoteRefused):
    default_message = _(
        "No line serves this destination: we carry to the US, the EU, the UK and "
        "South-East Asia only."
    )


class OverMaxWeight(QuoteRefused):
    default_message = _("The parcel is over the line's maximum weight.")


class NoRateCardInForce(QuoteRefused):
    default_message = _("No rate card is in force on this date.")


class RateCardInForce(BillingError):
    """A card in force prices real shipments: it is never changed; make a new card."""

    default_message = _(
        "This rate card is in force and can no longer be changed: duplicate it as a new card."
    )


class InvalidEffectiveDate(BillingError):
    default_message = _(
        "A new or changed rate card must take effect after today: cards in force are "
        "never rewritten."
    )


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
