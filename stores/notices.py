"""What stores tell sellers (``notifications.kinds``)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import notification_kind

notification_kind(
    "store_bound",
    subject=_("Store %(store)s is bound: orders can be placed"),
    body=_(
        "%(platform)s confirmed that store %(store)s (%(reference)s) is bound to 经络速通. "
        "Orders for this store pass the binding check from now on."
    ),
)
