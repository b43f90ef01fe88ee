from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class PlatformsError(DomainError):
    """A refused platform-data operation, with a message staff can act on."""

    default_message = _("The platform data operation was refused.")


class StoreMetricsSourceUnreadable(PlatformsError):
    """The feed as a whole cannot be read (not a CSV, wrong encoding, missing columns...).

    ``errors`` holds the problems as ``RowError``s; the import records them on a rejected
    batch instead of letting this escape.
    """

    default_message = _("The store metrics feed cannot be read.")

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(self.errors[0].message if self.errors else None)
