"""What other apps do when the platforms report on stores, without platforms importing
them: ``stores`` registers ``on_metrics_imported`` from its ``AppConfig.ready`` to end the
wait of stores the platform now reports bound. Hooks run inside the import's transaction,
after its rows are written: what they write commits with the import, or not at all."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricsImported:
    batch_id: int
    at: datetime.datetime
    # (platform, store ID) of every row that reports the store bound to our service
    bound: frozenset[tuple[str, str]]


ImportHook = Callable[[MetricsImported], None]
_import_hooks: list[ImportHook] = []


def on_metrics_imported(func: ImportHook) -> ImportHook:
    if func not in _import_hooks:
        _import_hooks.append(func)
    return func


def metrics_imported(event: MetricsImported) -> None:
    for hook in _import_hooks:
        hook(event)
