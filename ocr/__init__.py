"""OCR of the onboarding documents: the business licence and both sides of the ID card.

A pure extraction layer, called by the Celery task: bytes in, :class:`OcrResult` out, or an
:class:`OcrError` whose message tells the seller what to do. Nothing here touches the database.

Importing the package is light: what reads (``read_document``, ``engine`` and the rest, with
OpenCV and NumPy, about 35 MB) is imported on first use, so the web and export processes,
which only name the errors and the result, never load it.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import OcrError, OcrTimeout, UnreadableDocument
from .languages import installed_languages
from .reasons import REASONS
from .result import KINDS, OcrResult

__all__ = [
    "KINDS",
    "REASONS",
    "REQUIRED_LANGUAGES",
    "OcrError",
    "OcrResult",
    "OcrTimeout",
    "UnreadableDocument",
    "installed_languages",
    "read_document",
]

# The main pass reads Chinese with chi_sim; the USCC and ID numbers are re-read with eng.
REQUIRED_LANGUAGES = ("chi_sim", "eng")
_LAZY_MODULES = ("engine", "idcard", "licence", "licence_code", "reading", "text")


def __getattr__(name: str) -> Any:
    if name == "read_document":
        from .reading import read_document

        return read_document
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
