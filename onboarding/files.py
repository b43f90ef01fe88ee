"""What an uploaded document really is, decided from its bytes, not from its name.

Accepted: JPEG, PNG and PDF up to 10 MB. Images must decode completely and stay under a
pixel budget (a small file can claim a huge canvas: a decompression bomb).
"""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .exceptions import DocumentRejected
from .models import MAX_DOCUMENT_BYTES

MAX_IMAGE_PIXELS = 50_000_000  # 50 megapixels: far above a 600 dpi A4 scan (35 MP)

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"%PDF-", "application/pdf", {".pdf"}),
)


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    size: int


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def sniff_document(*, name: str, data: bytes) -> SniffedFile:
    """Return the file's true type, or raise ``DocumentRejected`` saying why."""
    if not data:
        raise DocumentRejected(_("The file is empty."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRejected(
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": len(data) / 1024 / 1024}
        )
    match = next((entry for entry in _SIGNATURES if data.startswith(entry[0])), None)
    if match is None:
        raise DocumentRejected(_("Only JPEG, PNG and PDF files are accepted."))
    _signature, content_type, extensions = match
    if _extension(name) not in extensions:
        raise DocumentRejected(
            _("The file's name says %(ext)s but its content is %(type)s: rename or re-export it.")
            % {"ext": _extension(name) or _("no extension"), "type": content_type}
        )
    if content_type == "application/pdf":
        _check_pdf(data)
    else:
        _check_image(data)
    return SniffedFile(content_type=content_type, size=len(data))


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise DocumentRejected(_("The PDF is incomplete or damaged: export it again."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentRejected(_("The PDF is incomplete or damaged: export it again.")) from error
    if encrypted:
        raise DocumentRejected(
            _("The PDF is protected by a password: export it again without protection.")
        )
    if pages == 0:
        raise DocumentRejected(_("The PDF has no pages."))


def _check_image(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise DocumentRejected(
                        _("The image is %(w)d × %(h)d pixels, too large: scan at 300 dpi.")
                        % {"w": width, "h": height}
                    )
                image.load()
    except DocumentRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DocumentRejected(_("The image is too large: scan at 300 dpi.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise DocumentRejected(_("The image is damaged and cannot be read.")) from error
