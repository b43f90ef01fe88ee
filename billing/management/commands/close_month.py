"""``python manage.py close_month 2026-10``: issue the month's statements by hand (what
Celery beat does at 00:15 on the 1st). Safe to run again: nothing is issued twice."""

from django.core.management.base import BaseCommand, CommandError

from billing.exceptions import BillingError
from billing.services import (
    period_parse,
    statements_close_month,
    statements_close_month_preview,
)


class Command(BaseCommand):
    help = "Close a month (YYYY-MM) into one statement per monthly seller, numbered without gaps."

    def add_arguments(self, parser) -> None:
        parser.add_argument("period", help="the month to close, e.g. 2026-10")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count the statements it would issue"
        )

    def handle(self, *args, period: str, dry_run: bool, **options) -> None:
        try:
            month = period_parse(period)
            if dry_run:
                count = statements_close_month_preview(period=month)
                self.stdout.write(f"{month:%Y-%m}: {count} statement(s) would be issued.")
                return
            result = statements_close_month(period=month)
        except BillingError as error:
            raise CommandError(str(error.message)) from error
        if result.statements:
            self.stdout.write(
                f"{month:%Y-%m}: {result.statements} statement(s) issued "
                f"({result.first_number} … {result.last_number}), {result.lines} line(s)."
            )
        else:
            self.stdout.write(f"{month:%Y-%m}: 0 statements issued (nothing left to bill).")
