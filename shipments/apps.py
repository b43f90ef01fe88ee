from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipmentsConfig(AppConfig):
    name = "shipments"
    verbose_name = _("Shipments")

    def ready(self) -> None:
        from . import (  # noqa: F401  (register system and gate checks)
            checks,
            gate_checks,
            notices,
        )
