"""The one place where a store's row is locked (``SELECT … FOR UPDATE``).

A store is locked for everything that reads and then changes what it may still do: an
order through the gate (the last trial shipment), a chunk of a bulk file, the trial's
evaluation, a transition of its service. The lock order across apps is written once, in
``core/locks.py``: a store before its seller's settlement account.
"""

from django.db import transaction

from core.prepared import PreparedQuery

from .models import Store

# Taken for every order through the gate: compiled once (``core.prepared``). ``of=self``: the
# seller row joined for reading stays unlocked (two stores of one seller must not wait on each
# other here; the balance has its own lock).
_LOCKED: PreparedQuery[Store] = PreparedQuery(
    lambda store_id: (
        Store.objects.select_for_update(of=("self",))
        .select_related("seller")
        .filter(pk=store_id)
        .order_by()[:1]
    ),
    store_id=int,
)


def store_lock(*, store_id: int) -> Store:
    """The store, locked until the end of the current transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_lock must run inside transaction.atomic()")
    store = _LOCKED.first(store_id=store_id)
    if store is None:
        raise Store.DoesNotExist(f"no store {store_id}")
    return store
