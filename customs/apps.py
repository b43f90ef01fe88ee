from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsConfig(AppConfig):
    """What a border asks of a parcel (DOMAIN.md §5): item lines with HS codes, the address
    a destination needs, IOSS and UK VAT numbers, CN22/CN23 — as data operations edit (rules
    with effective dates, an FX table, the terms ICS2 refuses), checked by the order gate."""

    name = "customs"
    verbose_name = _("Customs")

    def ready(self) -> None:
        from . import (
            gate_checks,  # noqa: F401 - registers the customs checks in the gate
            signals,
        )

        signals.connect()
