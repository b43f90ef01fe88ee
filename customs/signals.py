"""Keep the in-memory customs data fresh (``customs.cache``): any write to a rule, a rate or
a generic term invalidates it. Cache plumbing, not business flow: it must hold for admin
edits, data migrations and the shell alike, which is why it is a signal."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .cache import customs_cache_invalidate
from .models import CustomsRule, FxRate, GenericTerm

CUSTOMS_MODELS = (CustomsRule, FxRate, GenericTerm)


def _invalidate(**kwargs: Any) -> None:
    customs_cache_invalidate()
    transaction.on_commit(customs_cache_invalidate)


def connect() -> None:
    for model in CUSTOMS_MODELS:
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"customs-{model.__name__}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"customs-d-{model.__name__}")
