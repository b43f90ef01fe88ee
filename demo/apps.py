from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The living demo (``seed_demo``): the top floor, it drives every app's services."""

    name = "demo"
    verbose_name = _("Demo data")
