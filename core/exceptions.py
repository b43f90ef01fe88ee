"""The base of every app's domain errors."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused operation, with a message the user can act on (Chinese and English through
    gettext). Each app subclasses it: ``billing.exceptions.BillingError`` and so on."""

    default_message = _("The operation was refused.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
