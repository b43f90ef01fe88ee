from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    verbose_name = _("Stores")

    def ready(self) -> None:
        from platforms.hooks import on_metrics_imported

        from . import notices  # noqa: F401  (registers the notification kinds)
        from .services import stores_binding_on_import

        on_metrics_imported(stores_binding_on_import)
