"""The base of every app's domain errors."""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A refused operation, with a message the user can act on (Chinese and English through
    gettext). Each app subclasses it: ``billing.exceptions.BillingError`` and so on."""

    default_message: StrOrPromise = _("The operation was refused.")

    def __init__(self, message: StrOrPromise | None = None) -> None:
        self.message: StrOrPromise = message or self.default_message
        super().__init__(str(self.message))
