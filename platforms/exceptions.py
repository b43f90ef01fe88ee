from django.utils.translation import gettext_lazy as _


class PlatformsError(Exception):
    """A refused platform-data operation, with a message staff can act on."""

    default_message = _("The platform data operation was refused.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class StoreMetricsSourceUnreadable(PlatformsError):
    """The feed as a whole cannot be read (not a CSV, wrong encoding, missing columns...).

    ``errors`` holds the problems as ``RowError``s; the import records them on a rejected
    batch instead of letting this escape.
    """

    default_message = _("The store metrics feed cannot be read.")

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(self.errors[0].message if self.errors else None)
