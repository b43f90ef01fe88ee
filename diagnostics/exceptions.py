from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class DiagnosticsError(DomainError):
    default_message = _("The diagnosis could not be made.")


class OrderNotFound(DiagnosticsError):
    default_message = _(
        "No refused order and no shipment has this order number. Check the number, or ask "
        "about your account or a parcel instead."
    )


class AmbiguousOrder(DiagnosticsError):
    """Several sellers have an order of this number (operations' search across sellers)."""

    def __init__(self, sellers: list):
        self.sellers = sellers
        super().__init__(
            _("Several sellers have an order with this number: %(sellers)s. Choose one.")
            % {"sellers": ", ".join(f"#{s.pk} {s.company_name}" for s in sellers)}
        )
