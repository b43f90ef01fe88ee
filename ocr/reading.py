"""Reading one uploaded document: its pages, the main pass, the fields of its kind."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PIL import Image

from . import engine, idcard, licence
from .errors import UnreadableDocument
from .result import KINDS, OcrResult

CONTENT_TYPES = ("image/jpeg", "image/png", "application/pdf")
FIELD_KEYS = {
    "licence": licence.FIELD_KEYS,
    "id_front": idcard.FRONT_KEYS,
    "id_back": idcard.BACK_KEYS,
}
# The main pass reads Chinese with chi_sim; the USCC and ID numbers are re-read with eng.
LANGUAGES = engine.LANGUAGES
MAIN_PSM = 4


def read_document(*, kind: str, data: bytes, content_type: str) -> OcrResult:
    """Read the fields of ``kind`` from an uploaded scan.

    Raises :class:`UnreadableDocument` when the file cannot be decoded or nothing of the
    document can be read, :class:`OcrTimeout` when Tesseract exceeds its per-page timeout.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    if content_type not in CONTENT_TYPES:
        raise UnreadableDocument("unsupported_type")
    started = time.monotonic()
    pages = engine.load_pages(data=data, content_type=content_type)
    best: _Page | None = None
    for image in pages:
        attempt = _read_page(kind, image)
        if best is None or _score(attempt) > _score(best):
            best = attempt
        if _complete(kind, best.fields):
            break
    if best is None:  # a file without a page
        raise UnreadableDocument("no_text")
    if (
        not any(v for k, v in best.fields.items() if k != "uscc_valid")
        and not best.raw_text.strip()
    ):
        raise UnreadableDocument("no_text")
    return OcrResult(
        kind=kind,
        fields=best.fields,
        confidences=best.confidences,
        raw_text=best.raw_text,
        tesseract_version=engine.tesseract_version(),
        languages=LANGUAGES,
        seconds=round(time.monotonic() - started, 3),
        unsure={k: v for k, v in best.unsure.items() if best.fields.get(k) is None},
    )


@dataclass(frozen=True)
class _Page:
    fields: dict[str, object]
    confidences: dict[str, float]
    unsure: dict[str, str]
    raw_text: str
    found: bool  # a label of the document was found


def _read_page(kind: str, image: Image.Image) -> _Page:
    """Fields from one page; when no label is found the page may be sideways or upside down:
    ask Tesseract's orientation detection and read once more."""
    page = engine.prepare(image)
    reading = _extract(kind, page)
    if not reading.found:
        rotation = engine.detect_orientation(page)
        if rotation:
            reading = _extract(kind, engine.prepare(engine.rotate_quadrants(image, rotation)))
    return reading


def _extract(kind: str, page: engine.Page) -> _Page:
    # psm 4 (one column of lines): psm 3's page layout analysis drops whole label columns
    # of these forms; lines spanning both columns are split again by x in text.split_columns
    words = engine.ocr_words(page.gray, lang="chi_sim", psm=MAIN_PSM)
    raw_text = "\n".join(line.text for line in engine.group_lines(words))
    if kind == "licence":
        fields, confidences, unsure, found = licence.extract(page, words)
    elif kind == "id_front":
        fields, confidences, unsure, found = idcard.extract_front(page, words)
    else:
        fields, confidences, unsure, found = idcard.extract_back(page, words)
    return _Page(fields, confidences, unsure, raw_text, found)


def _score(attempt: _Page) -> int:
    fields = attempt.fields
    return sum(1 for k, v in fields.items() if v not in (None, False)) + 5 * bool(
        fields.get("uscc_valid")
    )


def _complete(kind: str, fields: dict[str, object]) -> bool:
    if kind == "licence":
        return bool(fields.get("uscc_valid")) and fields.get("name") is not None
    return all(fields.get(k) is not None for k in FIELD_KEYS[kind] if k != "valid_until")
