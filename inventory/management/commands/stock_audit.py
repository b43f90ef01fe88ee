"""python manage.py stock_audit: prove that every stock level equals the sum of its
movements (and what its locks, orders and inbound notices say). Exit status 1 otherwise."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inventory.models import Stock, StockMovement
from inventory.selectors import stock_audit


class Command(BaseCommand):
    help = (
        "Check every stock row: on hand, reserved, inbound and inbound locked equal the sums "
        "of its movements; reserved equals its active presale locks' held units plus its "
        "orders' reserved units; inbound equals its open inbound notices' outstanding lines."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = stock_audit()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found")
        self.stdout.write(
            f"ok: {Stock.objects.count()} stock rows, {StockMovement.objects.count()} movements; "
            "every level equals the sum of its movements"
        )
