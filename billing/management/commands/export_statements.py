"""Export every statement line of a month, all sellers, to a file: the same code as the
finance admin's export job (``billing.services.exports.month_export_write``).

    python manage.py export_statements 2026-10 --format csv --out statements-2026-10.csv
"""

from django.core.management.base import BaseCommand, CommandError

from billing.exceptions import BillingError
from billing.models import ExportFormat
from billing.services import period_parse
from billing.services.exports import month_export_write


class Command(BaseCommand):
    help = "Export a month's statement lines (all sellers) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("period", help="the month, YYYY-MM (e.g. 2026-10)")
        parser.add_argument(
            "--format", dest="fmt", choices=ExportFormat.values, default=ExportFormat.CSV
        )
        parser.add_argument("--out", required=True, help="the file to write (replaced)")

    def handle(self, *args, period: str, fmt: str, out: str, **options):
        try:
            month = period_parse(period)
            with open(out, "wb") as stream:
                rows = month_export_write(period=month, fmt=fmt, out=stream)
        except BillingError as error:
            raise CommandError(str(error.message)) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{rows} lines of {month:%Y-%m} written to {out} ({fmt})")
