from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from . import (
            gate_checks,  # noqa: F401 - registers billing's checks in the order gate
            notices,  # noqa: F401 - registers billing's notification kinds
        )
