"""python manage.py import_tracking FILE: record a carrier's tracking events from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from shipments.services.tracking_files import (
    MAX_TRACKING_FILE_BYTES,
    TRACKING_COLUMNS,
    TrackingFileUnreadable,
    tracking_import,
)


class Command(BaseCommand):
    help = (
        "Record the tracking events of a carrier's CSV file (columns "
        f"{', '.join(TRACKING_COLUMNS)}; 'at' in ISO 8601 with its UTC offset, e.g. "
        "2026-08-15T10:00:00+08:00; UTF-8, UTF-8 with BOM or GBK; at most "
        f"{MAX_TRACKING_FILE_BYTES // (1024 * 1024)} MB). Good rows are recorded, bad rows "
        "listed with their line numbers; an event ID already recorded is ignored, so the "
        "same file can be imported again. Exits with status 1 if the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        try:
            result = tracking_import(file_bytes=data)
        except TrackingFileUnreadable as error:
            raise CommandError(f"{file.name}: {error.message}") from error
        for problem in result.problems:
            self.stderr.write(
                _("line %(line)d: %(message)s") % {"line": problem.line, "message": problem.message}
            )
        summary = _(
            "%(file)s: %(rows)d rows; %(applied)d events applied, %(duplicates)d duplicates "
            "ignored, %(late)d late (kept, status unchanged), %(bad)d rows refused."
        ) % {
            "file": file.name,
            "rows": result.rows,
            "applied": result.applied,
            "duplicates": result.duplicates,
            "late": result.late,
            "bad": len(result.problems),
        }
        style = self.style.WARNING if result.problems else self.style.SUCCESS
        self.stdout.write(style(summary))
