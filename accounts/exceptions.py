from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class AccountError(DomainError):
    """A refused account operation, with a message the user can act on."""

    default_message = _("The account operation was refused.")


class EmailAlreadyRegistered(AccountError):
    default_message = _("An account with this e-mail address already exists.")


class NotSellerOwner(AccountError):
    default_message = _("Only the account owner can manage the team.")


class CannotChangeOwner(AccountError):
    default_message = _("The owner cannot be deactivated.")


class InvalidMobileNumber(AccountError):
    default_message = _(
        "Enter a mainland China mobile number: 11 digits starting with 1, such as "
        "138 0013 8000 (a +86 in front is fine)."
    )
