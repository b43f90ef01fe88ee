"""OCR failures, each with a message a seller can act on."""

from django.utils.translation import gettext_lazy as _


class OcrError(Exception):
    """Reading a document failed."""

    default_message = _("The document could not be read.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class UnreadableDocument(OcrError):
    """Permanent: the scan cannot be read; the seller should upload a clearer one."""

    default_message = _("The document could not be read; upload a clearer scan.")


class OcrTimeout(OcrError):
    """Tesseract exceeded the per-page time limit (worth one retry)."""

    default_message = _("Reading the document took too long.")
