from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from . import (
            gate_checks,  # noqa: F401  (registers the order gate's checks)
            system_checks,  # noqa: F401  (registers the Tesseract start-up check)
        )
