"""Start-up checks (Django's system check framework) for what onboarding needs on the host.

The documents are read by the ``tesseract`` binary with its Simplified Chinese (``chi_sim``)
and English data: without them every upload would fail later, in a worker, one by one. As
paperless-ngx does, ``manage.py check`` (and so ``runserver`` and ``migrate``) stops at start-up
instead. Not to be confused with ``onboarding.checks``, the automatic checks of an application.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from ocr import REQUIRED_LANGUAGES, installed_languages

INSTALL_HINT = "Run `make system` (Debian packages tesseract-ocr, tesseract-ocr-chi-sim, -eng)."


@register("ocr")
def tesseract_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    languages = installed_languages()
    if languages is None:
        return [
            Error(
                "Tesseract is not installed: the `tesseract` binary is not on PATH, so no "
                "licence or ID card can be read.",
                hint=INSTALL_HINT,
                id="onboarding.E001",
            )
        ]
    missing = [language for language in REQUIRED_LANGUAGES if language not in languages]
    if missing:
        return [
            Error(
                f"Tesseract cannot read {', '.join(missing)}: its language data is missing "
                f"(it has {', '.join(sorted(languages)) or 'none'}).",
                hint=INSTALL_HINT,
                id="onboarding.E002",
            )
        ]
    return []
