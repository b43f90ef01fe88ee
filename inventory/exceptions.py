"""Inventory's domain errors: each with a message the seller or operations can act on."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.exceptions import DomainError


class InventoryError(DomainError):
    default_message = _("The warehouse operation was refused.")


class InvalidInventoryInput(InventoryError):
    """Bad input (an unknown SKU, a quantity of 0, a lock bigger than the stock …): refused
    on its ``field``, nothing written."""

    def __init__(self, message: StrOrPromise, *, field: str = "") -> None:
        self.field = field
        super().__init__(message)


class IllegalTransition(InventoryError):
    default_message = _("This change of status is not allowed.")


class StockChanged(InventoryError):
    """The last guard of a reservation found the stock gone (another order took it between
    the plan and the update): the whole reservation is rolled back."""

    default_message = _("The stock changed while the order was routed: route it again.")


class RouteRefused(InventoryError):
    """The order gate refused the order (``code``, ``evidence``, the check's ``fix``):
    recorded as a refused order unless it was a dry run. Nothing was reserved."""

    def __init__(
        self,
        *,
        code: str,
        message: StrOrPromise,
        evidence: dict[str, Any],
        fix: str = "",
        recorded: bool = True,
        reasons: tuple[Any, ...] = (),
    ) -> None:
        self.code = code
        self.evidence = evidence
        self.fix = fix
        self.recorded = recorded
        self.reasons = reasons  # routing's ``planning.Reason``s, why no warehouse could
        super().__init__(message)
