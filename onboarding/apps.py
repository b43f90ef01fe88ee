from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from stores.hooks import on_transition

        from . import (
            gate_checks,  # noqa: F401  (registers the order gate's checks)
            notices,  # noqa: F401  (registers the notification kinds)
            system_checks,  # noqa: F401  (registers the Tesseract start-up check)
        )
        from .store_sync import application_follow_store

        on_transition(application_follow_store)
