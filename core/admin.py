"""Admin bases shared by the apps: the admin is the operations console, and business rows
are written by services, never deleted from a list."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

_ModelT = TypeVar("_ModelT", bound=Model)


class NoDeleteAdmin(admin.ModelAdmin[_ModelT]):
    """No delete, and no bulk ``delete_selected`` action."""

    def has_delete_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(NoDeleteAdmin[_ModelT]):
    """Rows written only by services: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return False


# --- the operations console's queues, on the admin's index -------------------------------
@dataclass(frozen=True, slots=True)
class AdminQueue:
    """Work waiting for operations: how many, since when, and the list that shows them."""

    code: str
    label: str
    count: int
    oldest: datetime.datetime | None
    url: str


QueueFunction = Callable[[HttpRequest], AdminQueue | None]
_queues: list[QueueFunction] = []


def admin_queue(func: QueueFunction) -> QueueFunction:
    """Register ``func(request)``: the queue it returns (None when the user may not see
    it) is shown on the admin's index with its count and age. Apps register theirs from
    their ``admin`` module, as they register their models."""
    if func not in _queues:
        _queues.append(func)
    return func


def admin_queues(request: HttpRequest) -> list[AdminQueue]:
    return [queue for func in _queues if (queue := func(request)) is not None]
