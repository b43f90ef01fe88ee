"""Pricing services: the price of a parcel (``quote``) and the rate cards operations edit."""

from .origins import lane_add, origin_create
from .quotes import FeeBreakdown, Quote, fee_breakdown, parcel_check, quote
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
    "lane_add",
    "origin_create",
    "parcel_check",
    "quote",
    "rate_card_check_editable",
    "rate_card_check_effective_from",
    "rate_card_duplicate",
    "rate_card_next_free_date",
    "rate_card_save",
]
