from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class ShipmentError(DomainError):
    """A refused shipment operation, with a message the seller can act on."""

    default_message = _("The shipment operation was refused.")


class OrderRefused(ShipmentError):
    """The order gate refused the order: ``code`` names the check, ``evidence`` what it
    found, ``fix`` and ``fix_url`` what this seller does and where (for its store's own
    platform). Nothing was created; the refusal was recorded."""

    def __init__(
        self,
        *,
        code: str,
        message,
        evidence: dict,
        fix: str = "",
        fix_url: str | None = None,
        order_number: str = "",
    ):
        self.code = code
        self.evidence = evidence
        self.fix = fix
        self.fix_url = fix_url
        self.order_number = order_number
        super().__init__(message)


class DuplicateOrder(ShipmentError):
    default_message = _("A shipment for this platform order number already exists.")


class InvalidOrder(ShipmentError):
    """Bad input in an order (a row of a file, the form, the API): the message says which;
    ``field`` names the field (``items[1].hs_code`` for the second item's) when known."""

    default_message = _("The order is not valid.")

    def __init__(self, message=None, *, field: str = ""):
        self.field = field
        super().__init__(message)


class IllegalStatusChange(ShipmentError):
    default_message = _("This change of status is not allowed.")


class NotCancellable(ShipmentError):
    default_message = _("Only a shipment that has not been picked up can be cancelled.")


class TrackingEventInvalid(ShipmentError):
    """A carrier event that cannot be read (unknown status, a time without offset…)."""

    default_message = _("The tracking event is not valid.")


class TrackingFileUnreadable(ShipmentError):
    """The file as a whole cannot be read (encoding, header): nothing was imported."""

    default_message = _("The tracking file cannot be read.")
