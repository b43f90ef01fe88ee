"""Keep the in-memory pricing data fresh: any write to a pricing row invalidates it.

This is cache plumbing, not business flow: it must hold for admin edits, data migrations
and the shell alike, which is why it is a signal.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import (
    GreenDiscount,
    Lane,
    Origin,
    PeakSeason,
    RateCard,
    WeightBand,
    Zone,
    ZoneCountry,
)
from .rates import pricing_cache_invalidate

PRICING_MODELS = (
    RateCard,
    Lane,
    WeightBand,
    Origin,
    Zone,
    ZoneCountry,
    PeakSeason,
    GreenDiscount,
)


def _invalidate(**kwargs: Any) -> None:
    # Now, for this process (which sees its own uncommitted rows), and after the commit,
    # for the others (which could have reloaded the old rows in between).
    pricing_cache_invalidate()
    transaction.on_commit(pricing_cache_invalidate)


def connect() -> None:
    for model in PRICING_MODELS:
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"billing-pricing-{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"billing-pricing-d-{model}")
