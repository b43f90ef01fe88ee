"""What other apps do when a store's service changes, without stores importing them.

Onboarding keeps the application's status in step with its store (the application's
page and audit trail show the service too): it registers ``on_transition`` from its
``AppConfig.ready``. Hooks run inside the transition's transaction, after its audit row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Store


@dataclass(frozen=True, slots=True)
class StoreTransition:
    store: Store
    from_status: str
    to_status: str
    closure: str = ""
    actor: Any = None  # accounts.User or None (the system)
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)


TransitionHook = Callable[[StoreTransition], None]
_transition_hooks: list[TransitionHook] = []


def on_transition(func: TransitionHook) -> TransitionHook:
    if func not in _transition_hooks:
        _transition_hooks.append(func)
    return func


def transition_done(transition: StoreTransition) -> None:
    for hook in _transition_hooks:
        hook(transition)
