from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class PricingError(DomainError):
    """A refused pricing operation (a parcel that cannot be priced, a rate card that
    cannot change), with a message the seller or operations can act on."""

    default_message = _("The pricing operation was refused.")


class QuoteRefused(PricingError):
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


class RateCardInForce(PricingError):
    """A card in force prices real shipments: it is never changed; make a new card."""

    default_message = _(
        "This rate card is in force and can no longer be changed: duplicate it as a new card."
    )


class InvalidEffectiveDate(PricingError):
    default_message = _(
        "A new or changed rate card must take effect after today: cards in force are "
        "never rewritten."
    )
