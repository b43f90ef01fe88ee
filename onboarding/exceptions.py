from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class OnboardingError(DomainError):
    """A refused onboarding operation, with a message the seller can act on."""

    default_message = _("The onboarding operation was refused.")


class DocumentRejected(OnboardingError):
    default_message = _("The file was refused.")


class ApplicationNotEditable(OnboardingError):
    default_message = _("This application can no longer be changed.")


class IllegalTransition(OnboardingError):
    default_message = _("This change of status is not allowed.")


class ApplicationIncomplete(OnboardingError):
    """Submission refused; ``problems`` lists what is missing, one message each."""

    default_message = _("The application is not complete yet.")

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__()


class CannotApprove(OnboardingError):
    default_message = _("The application cannot be approved while a check fails.")


class ApprovalNeedsConfirmation(OnboardingError):
    """Checks still need a reviewer's judgement: approving overrides them, so the reviewer
    confirms which (``checks``, their codes in the checks' order)."""

    default_message = _(
        "These checks still need review: confirm that you have checked them against the "
        "documents to approve."
    )

    def __init__(self, checks: list[str]):
        self.checks = checks
        super().__init__()


class StoreAlreadyBound(OnboardingError):
    default_message = _("This store is already bound to another application.")


class RenewalRefused(OnboardingError):
    default_message = _("The renewed ID card cannot be taken for this store.")
