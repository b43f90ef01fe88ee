from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The seller's front door: the start page, the dashboard (figures from shipments and
    stores) and ``/healthz``. A small app on top, so that ``core`` stays the ground floor."""

    name = "portal"
    verbose_name = _("Portal")
