"""python manage.py route_order: route an order of a seller to the overseas warehouse(s),
as the portal's page and the API do (``inventory.services.order_route``)."""

import json
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import Seller
from inventory.exceptions import InventoryError, RouteRefused
from inventory.models import Policy
from inventory.reasons import reasons_json
from inventory.services import (
    DEFAULT_MAX_SPLITS,
    Destination,
    SkuQuantity,
    lines_parse,
    order_route,
)


class Command(BaseCommand):
    help = (
        "Route an order to the overseas warehouse(s) that hold it: one warehouse when one can "
        "fill it, else the fewest parcels, then the same market, the price and the transit "
        "days. Prints each allocation (with its shipment's tracking number, none in a dry "
        "run), what ships from China, and why each warehouse was or was not chosen. Bad input "
        "or a refusal exits with status 1 (2 for a refusal), its reason on stderr."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", required=True, help="the seller's id")
        parser.add_argument("--country", required=True, help="destination, ISO code, e.g. DE")
        parser.add_argument("--postcode", default="", help="destination postcode (US: ZIP)")
        parser.add_argument("--lines", required=True, help="SKU:quantity,… e.g. SKU-1:2,SKU-2:1")
        parser.add_argument(
            "--policy",
            choices=Policy.values,
            default=Policy.FILL_OR_KILL,
            help="fill_or_kill (default: all lines or nothing) or fill_all_available",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="decide only: reserve and ship nothing"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        # Beyond the arguments: what a real (not dry-run) route needs.
        parser.add_argument(
            "--order-number", default="", help="the platform's order number (default: CLI-…)"
        )
        parser.add_argument("--campaign", default="", help="a presale campaign's code")
        parser.add_argument(
            "--max-splits", type=int, default=DEFAULT_MAX_SPLITS, help="at most this many parcels"
        )
        parser.add_argument(
            "--recipient",
            default="",
            help="to ship: 'name; street; city[; state]' (a dry run needs none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seller = self._seller(options["seller"])
        order_number = options["order_number"] or (
            f"CLI-{timezone.localtime():%Y%m%d%H%M%S}-{secrets.token_hex(2).upper()}"
        )
        name, street, city, state = ([*options["recipient"].split(";"), "", "", "", ""])[:4]
        try:
            lines = lines_parse(options["lines"])
            result = order_route(
                seller=seller,
                order_number=order_number,
                destination=Destination(
                    country=options["country"],
                    postcode=options["postcode"],
                    name=name.strip(),
                    address=street.strip(),
                    city=city.strip(),
                    state=state.strip(),
                ),
                lines=lines,
                policy=options["policy"],
                campaign=options["campaign"],
                max_splits=options["max_splits"],
                dry_run=options["dry_run"],
            )
        except RouteRefused as refused:  # before InventoryError: it is one
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        self._refusal_json(order_number, options, lines, refused),
                        ensure_ascii=False,
                    )
                )
            raise CommandError(
                f"refused ({refused.code}): {refused.message}", returncode=2
            ) from None
        except InventoryError as error:  # bad input, or the stock changed meanwhile
            raise CommandError(
                f"{getattr(error, 'field', '') or 'input'}: {error.message}"
            ) from None
        if result.replayed:
            self.stderr.write(f"{result.order_number} was routed before: its first result.")
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"order {result.order_number} · {result.policy} · {result.seconds:.3f} s")
        for allocation in result.allocations:
            lines_text = ", ".join(f"{ln.sku} ×{ln.quantity}" for ln in allocation.lines)
            tracking = allocation.tracking_number or "(dry run)"
            self.stdout.write(f"  {allocation.warehouse}: {lines_text} → {tracking}")
        for line in result.unallocated:
            self.stdout.write(f"  from China: {line.sku} ×{line.quantity}")
        for reason in reasons_json(result.reasons):
            mark = "✓" if reason["chosen"] else "·"
            self.stdout.write(f"  {mark} {reason['warehouse'] or 'order'}: {reason['reason']}")

    def _seller(self, value: str) -> Seller:
        if not str(value).isdigit():
            raise CommandError("--seller: the seller's id, a number")
        seller = Seller.objects.filter(pk=int(value)).first()
        if seller is None:
            raise CommandError(f"--seller: no seller {value}")
        return seller

    def _refusal_json(
        self,
        order_number: str,
        options: dict[str, Any],
        lines: list[SkuQuantity],
        refused: RouteRefused,
    ) -> dict[str, Any]:
        """A refusal in the same six keys: nothing allocated, every line unallocated, the
        gate's refusal first among the reasons."""
        return {
            "order_number": order_number,
            "policy": options["policy"],
            "allocations": [],
            "unallocated": [{"sku": line.sku, "quantity": line.quantity} for line in lines],
            "reasons": [
                {
                    "warehouse": None,
                    "chosen": False,
                    "code": refused.code,
                    "reason": str(refused.message),
                },
                *reasons_json(refused.reasons),
            ],
            "seconds": 0.0,
        }
