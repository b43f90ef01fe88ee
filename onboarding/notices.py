"""What onboarding tells sellers (``notifications.kinds``): every change of an
application's state that asks something of them or opens (or closes) their service."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import notification_kind

notification_kind(
    "application_trial",
    subject=_("Application %(reference)s approved: your trial has started"),
    body=_(
        "Application %(reference)s for store %(store)s is approved. Your trial has started: "
        "3 free standard small parcels of up to 5 kg. Orders pass once %(platform)s confirms "
        "that the store is bound to 经络速通; the store's page shows how to bind it."
    ),
)
notification_kind(
    "application_changes_requested",
    subject=_("Application %(reference)s: changes requested"),
    body=_(
        "Our operations team asks for changes to application %(reference)s: %(reason)s "
        "Make them in the application and submit it again."
    ),
)
notification_kind(
    "application_rejected",
    subject=_("Application %(reference)s rejected"),
    body=_("Application %(reference)s for store %(store)s was rejected: %(reason)s"),
)
notification_kind(
    "application_trial_review",
    subject=_("Application %(reference)s: the trial goes to manual review"),
    body=_(
        "The trial of store %(store)s (%(reference)s) did not activate the service on its "
        "own: %(reason)s Our operations team reviews it and tells you the outcome."
    ),
)
notification_kind(
    "application_active",
    subject=_("Store %(store)s: the service is active"),
    body=_(
        "The logistics service for store %(store)s (%(reference)s) is active: orders are "
        "priced and charged from now on."
    ),
)
notification_kind(
    "application_closed",
    subject=_("Store %(store)s: the service was closed by the health check"),
    body=_(
        "The fulfilment health check closed the service for store %(store)s (%(reference)s): "
        "%(reason)s New orders are refused until the metrics recover and our operations team "
        "reinstates the service."
    ),
)
