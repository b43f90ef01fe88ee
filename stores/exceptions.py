from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class StoreError(DomainError):
    default_message = _("The store operation was refused.")


class IllegalStoreTransition(StoreError):
    default_message = _("The store's service cannot make this change.")
