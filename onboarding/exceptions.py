from django.utils.translation import gettext_lazy as _


class OnboardingError(Exception):
    """A refused onboarding operation, with a message the seller can act on."""

    default_message = _("The onboarding operation was refused.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class DocumentRejected(OnboardingError):
    default_message = _("The file was refused.")
