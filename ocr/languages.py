"""Which languages the installed Tesseract reads (light: the start-up check asks it)."""

from __future__ import annotations


def installed_languages() -> frozenset[str] | None:
    """The languages the ``tesseract`` on PATH reads (``--list-langs``); None without one."""
    import pytesseract  # here: it imports NumPy, which a web process never needs

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return None
