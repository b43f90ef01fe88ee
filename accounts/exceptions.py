from django.utils.translation import gettext_lazy as _


class AccountError(Exception):
    """A refused account operation, with a message the user can act on."""

    default_message = _("The account operation was refused.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class EmailAlreadyRegistered(AccountError):
    default_message = _("An account with this e-mail address already exists.")


class NotSellerOwner(AccountError):
    default_message = _("Only the account owner can manage the team.")


class CannotChangeOwner(AccountError):
    default_message = _("The owner cannot be deactivated.")
