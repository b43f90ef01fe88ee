"""Billing services. Pricing today; settlement and statements come later."""

from .charges import shipment_charges_record
from .pricing import (
    FeeBreakdown,
    Quote,
    fee_breakdown,
    parcel_check,
    quote,
    shanghai_date,
    today_shanghai,
)
from .rate_cards import (
    rate_card_check_editable,
    rate_card_check_effective_from,
    rate_card_duplicate,
    rate_card_next_free_date,
    rate_card_save,
)

__all__ = [
    "FeeBreakdown",
    "Quote",
    "fee_breakdown",
    "parcel_check",
    "quote",
    "rate_card_check_editable",
    "rate_card_check_effective_from",
    "rate_card_duplicate",
    "rate_card_next_free_date",
    "rate_card_save",
    "shanghai_date",
    "shipment_charges_record",
    "today_shanghai",
]
