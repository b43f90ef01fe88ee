"""OCR failures, each named by a code.

The package speaks no language of its own: each error carries a ``code`` (and a plain English
``message`` for logs); the app that shows it to a person translates the code.
"""

from __future__ import annotations

# code → plain English, for logs and for the apps' translation tables
MESSAGES: dict[str, str] = {
    "unsupported_type": "Only JPEG, PNG and PDF files can be read.",
    "image_unopenable": "The image could not be opened; upload it again.",
    "image_too_large": "The image is too large; upload a smaller scan.",
    "image_too_small": "The image is too small to read; upload a scan at least 1000 pixels wide.",
    "pdf_unopenable": "The PDF could not be opened; export it again.",
    "pdf_encrypted": "The PDF is password-protected; upload it without a password.",
    "pdf_no_pages": "The PDF has no pages.",
    "pdf_unrenderable": "The PDF could not be rendered; export it again.",
    "pdf_timeout": "Reading the PDF took too long.",
    "unreadable": "The document could not be read; upload a clearer scan.",
    "no_text": "No text could be read from the document; upload a sharper, well-lit scan.",
    "timeout": "Reading the document took too long.",
}


class OcrError(Exception):
    """Reading a document failed; ``code`` says why (a key of ``MESSAGES``)."""

    default_code = "unreadable"

    def __init__(self, code: str | None = None) -> None:
        self.code = code or self.default_code
        if self.code not in MESSAGES:
            raise ValueError(f"unknown OCR error code {self.code!r}")
        self.message = MESSAGES[self.code]
        super().__init__(self.message)


class UnreadableDocument(OcrError):
    """Permanent: the scan cannot be read; the seller should upload a clearer one."""


class OcrTimeout(OcrError):
    """Tesseract exceeded the per-page time limit (worth one retry)."""

    default_code = "timeout"
