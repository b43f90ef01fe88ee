"""What a reading returns (light: no image library, so importing it costs nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("licence", "id_front", "id_back")


@dataclass(frozen=True)
class OcrResult:
    kind: str  # "licence" | "id_front" | "id_back"
    fields: dict[str, object]  # JSON-ready; dates as ISO strings; None when not found
    confidences: dict[str, float]  # per field found, 0–100, mean Tesseract word confidence
    raw_text: str
    tesseract_version: str
    languages: str
    seconds: float
    # fields left None because the reading was not sure of them: field → reason code
    unsure: dict[str, str] = field(default_factory=dict)
