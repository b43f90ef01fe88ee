"""python manage.py quote: price a parcel with the rate card in force, as the portal would."""

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.timezones import today_shanghai
from pricing.exceptions import QuoteRefused
from pricing.services.quotes import quote

DIMS = re.compile(r"^\s*([\d.]+)\s*[x×*]\s*([\d.]+)\s*[x×*]\s*([\d.]+)\s*$", re.IGNORECASE)


def _dims(value: str) -> tuple[Decimal, Decimal, Decimal]:
    match = DIMS.match(value)
    if not match:
        raise CommandError(f"--dims: expected LxWxH in cm, e.g. 20x15x10 (got {value!r})")
    try:
        length, width, height = (Decimal(side) for side in match.groups())
    except InvalidOperation:
        raise CommandError(f"--dims: not a number in {value!r}") from None
    return length, width, height


class Command(BaseCommand):
    help = (
        "Price a parcel: the base freight of its weight band on the lane, adjusted for the "
        "fulfilment score, the peak season and the green discount. Prints the breakdown, or "
        "the reason for a refusal on stderr (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--origin",
            required=True,
            help="an origin's code: a Chinese region (east, south, north, central, southwest) "
            "or an overseas warehouse's (wh-…)",
        )
        parser.add_argument("--country", required=True, help="ISO code, e.g. US, DE, SG")
        parser.add_argument("--postcode", default="", help="required for the US (5-digit ZIP)")
        parser.add_argument("--weight-g", type=int, required=True, help="actual weight, grams")
        parser.add_argument("--dims", default=None, help="LxWxH in cm, e.g. 20x15x10")
        parser.add_argument("--score", type=Decimal, default=Decimal(100), help="0-100")
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="shipment date YYYY-MM-DD (default: today, Asia/Shanghai)",
        )
        parser.add_argument("--green", action="store_true", help="apply the green discount")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = quote(
                origin=options["origin"],
                country=options["country"],
                postcode=options["postcode"],
                weight_g=options["weight_g"],
                dims_cm=_dims(options["dims"]) if options["dims"] else None,
                score=options["score"],
                on_date=options["date"] or today_shanghai(),
                green=options["green"],
            )
        except QuoteRefused as refused:
            raise CommandError(str(refused.message)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        rows = [
            ("lane", result.lane),
            ("date", result.on_date.isoformat()),
            ("chargeable weight", f"{result.chargeable_weight_g} g"),
            ("band", f"≤ {result.band_up_to_g} g"),
            ("base", f"¥{result.base}"),
            ("fulfilment score adjustment", f"¥{result.fulfillment_adjustment}"),
            ("peak season", f"¥{result.peak_adjustment}"),
            ("green discount", f"¥{result.green_discount}"),
            ("total", f"¥{result.total}"),
            ("promised transit", f"{result.transit_days} days"),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"{label:<{width}}  {value}")
