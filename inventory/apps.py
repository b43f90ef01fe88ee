from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Overseas warehouses")

    def ready(self) -> None:
        # The gate's stock checks, and what a shipment's pickup or cancellation does to the
        # stock it holds (shipments.hooks).
        from . import gate_checks, hooks  # noqa: F401
