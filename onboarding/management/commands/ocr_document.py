"""Read a licence or ID card scan from disk the way the OCR worker does, and print the fields
(a field it is not sure of is empty, with the reason).

python manage.py ocr_document scan.jpg --kind licence [--json]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ocr import KINDS, OcrError, read_document
from onboarding.services.documents import OCR_UNSURE_REASONS, ocr_error_message

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def sniff_content_type(data: bytes) -> str | None:
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


class Command(BaseCommand):
    help = "OCR a business licence or ID card scan (JPEG, PNG or PDF) and print its fields."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=KINDS, required=True)
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object (fields and seconds)"
        )

    def handle(self, *args, file: Path, kind: str, json: bool = False, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            message = _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            raise CommandError(message) from exc
        content_type = sniff_content_type(data)
        if content_type is None:
            raise CommandError(_("%(file)s is not a JPEG, PNG or PDF file.") % {"file": file})
        try:
            result = read_document(kind=kind, data=data, content_type=content_type)
        except OcrError as exc:
            raise CommandError(ocr_error_message(exc)) from exc
        if json:
            payload = {**result.fields, "unsure": result.unsure, "seconds": result.seconds}
            self.stdout.write(_dumps(payload))
            return
        width = max(len(key) for key in result.fields)
        for key, value in result.fields.items():
            confidence = result.confidences.get(key)
            suffix = f"  ({confidence:.0f}%)" if confidence is not None else ""
            if key in result.unsure:
                reason = OCR_UNSURE_REASONS.get(result.unsure[key], result.unsure[key])
                suffix = "  " + _("(not sure: %(reason)s)") % {"reason": reason}
            self.stdout.write(f"{key:<{width}}  {'' if value is None else value}{suffix}")
        self.stdout.write(
            f"{'seconds':<{width}}  {result.seconds}  "
            f"(tesseract {result.tesseract_version}, {result.languages})"
        )


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
