"""python manage.py import_store_metrics FILE: import a store metrics CSV file."""

from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils.translation import gettext as _

from platforms.adapters import MAX_FILE_BYTES, CsvStoreMetricsSource, read_feed_file
from platforms.models import ImportStatus
from platforms.parsing import COLUMN_HELP, REQUIRED_COLUMNS
from platforms.services import store_metrics_import


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keeps the description's lines: the column list stays a list."""


def _help() -> str:
    """The command's help, in the active language (the column texts are lazy translations)."""
    columns = "\n".join(
        f"  {column}{' *' if column in REQUIRED_COLUMNS else ''}: {text}"
        for column, text in COLUMN_HELP.items()
    )
    return (
        "Import a store metrics CSV file, whole or not at all. It prints the number of\n"
        "rows imported, or the report of every problem (row, counting the header as row 1;\n"
        "column; message) and exits with status 1, having imported nothing. A row for a\n"
        "platform, store and date already imported replaces its figures.\n\n"
        "The header row names the columns, in any order (* = required):\n"
        f"{columns}\n\n"
        "Yes/no: true/false, 1/0, yes/no, 是/否; empty = unknown. Numbers: at most two\n"
        "decimal places. Encodings: UTF-8, UTF-8 with BOM, GBK. At most "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
    )


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = _help()  # built once translations are ready, never at import

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as stream:
                data, sha256 = read_feed_file(stream)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        batch = store_metrics_import(
            source=CsvStoreMetricsSource(data), file_name=file.name, sha256=sha256
        )
        if batch.status == ImportStatus.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported %(count)d rows from %(file)s (import #%(id)d).")
                    % {"count": batch.rows_imported, "file": file.name, "id": batch.pk}
                )
            )
            return
        for problem in batch.errors:
            where = ", ".join(
                part
                for part in (
                    _("row %(row)d") % {"row": problem["row"]}
                    if problem["row"] is not None
                    else _("file"),
                    problem["column"],
                )
                if part
            )
            self.stderr.write(f"{where}: {problem['message']}")
        raise CommandError(
            _(
                "%(file)s was refused (import #%(id)d): nothing was imported. Fix the problems "
                "above and run the command again."
            )
            % {"file": file.name, "id": batch.pk}
        )
