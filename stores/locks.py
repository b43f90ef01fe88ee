"""The one place where a store's row is locked (``SELECT … FOR UPDATE``).

A store is locked for everything that reads and then changes what it may still do: an
order through the gate (the last trial shipment), a chunk of a bulk file, the trial's
evaluation, a transition of its service. The lock order across apps is written once, in
``core/locks.py``: a store before its seller's settlement account.
"""

from django.db import transaction

from .models import Store


def store_lock(*, store_id: int) -> Store:
    """The store, locked until the end of the current transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_lock must run inside transaction.atomic()")
    # ``of=self``: the seller row joined for reading stays unlocked (two stores of one
    # seller must not wait on each other here; the balance has its own lock).
    return Store.objects.select_for_update(of=("self",)).select_related("seller").get(pk=store_id)
