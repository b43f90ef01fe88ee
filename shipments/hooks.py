"""What other apps do when a shipment's status changes, without shipments importing them.

Inventory ships (or releases) the stock a parcel from an overseas warehouse holds when the
carrier picks it up (or it is cancelled): it registers ``on_status_change`` from its
``AppConfig.ready``. Hooks run inside the change's transaction, with the shipment's row
locked (``core/locks.py``: a shipment before the rows a hook locks), after the row is saved.
The bulk "label printed" of a print run (created → label printed) calls no hook.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .models import Shipment


@dataclass(frozen=True, slots=True)
class StatusChange:
    shipment: Shipment
    from_status: str
    to_status: str
    at: datetime.datetime


StatusHook = Callable[[StatusChange], None]
_status_hooks: list[StatusHook] = []


def on_status_change(func: StatusHook) -> StatusHook:
    if func not in _status_hooks:
        _status_hooks.append(func)
    return func


def status_changed(change: StatusChange) -> None:
    for hook in _status_hooks:
        hook(change)
