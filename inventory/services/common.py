"""Input shared by inventory's services: order lines and quantities as typed."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Seller
from core.normalise import normalise_code, normalise_free_text

from ..exceptions import InvalidInventoryInput
from ..models import Sku

MAX_QUANTITY = 100_000
_WHOLE = re.compile(r"-?[0-9]{1,9}")
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class SkuQuantity:
    """A SKU code and a quantity, as an order line, an inbound line or a lock asks them."""

    sku: str
    quantity: int


def quantity_clean(value: object, *, field: str = "quantity") -> int:
    """A whole number from 1 to 100,000; anything else is refused on ``field``."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = normalise_code(value)
        if _WHOLE.fullmatch(text):
            number = int(text)
    if number is None or not 1 <= number <= MAX_QUANTITY:
        raise InvalidInventoryInput(
            _("A quantity is a whole number from 1 to %(max)s (got “%(value)s”).")
            % {"max": f"{MAX_QUANTITY:,}", "value": str(value)[:20]},
            field=field,
        )
    return number


def lines_parse(text: str) -> list[SkuQuantity]:
    """``SKU-1:2,SKU-2:1`` (commas or new lines) → lines; a bad one is refused on ``lines``."""
    lines = []
    for part in normalise_free_text(text.replace("\n", ",")).split(","):
        part = part.strip()
        if not part:
            continue
        sku, sep, quantity = part.rpartition(":")
        if not sep or not sku.strip():
            raise InvalidInventoryInput(
                _("Write each line as SKU:quantity, e.g. SKU-1:2 (got “%(value)s”).")
                % {"value": part[:40]},
                field="lines",
            )
        lines.append(SkuQuantity(sku.strip(), quantity_clean(quantity, field="lines")))
    return lines


def lines_resolve(
    *, seller: Seller, lines: Iterable[SkuQuantity], field: str = "lines"
) -> list[tuple[Sku, int]]:
    """The seller's SKUs of ``lines`` with their quantities, in the order asked, a SKU
    named twice added up. Refuses no line, too many, a quantity out of range, and any SKU
    the seller does not have (every unknown one named), before anything is written."""
    wanted: dict[str, int] = {}
    for line in lines:
        code = normalise_free_text(line.sku)
        quantity = quantity_clean(line.quantity, field=field)
        wanted[code] = wanted.get(code, 0) + quantity
    if not wanted:
        raise InvalidInventoryInput(
            _("Add at least one line: a SKU and its quantity."), field=field
        )
    if len(wanted) > MAX_LINES:
        raise InvalidInventoryInput(
            _("At most %(max)s lines at a time.") % {"max": MAX_LINES}, field=field
        )
    for code, quantity in wanted.items():
        if quantity > MAX_QUANTITY:
            raise InvalidInventoryInput(
                _("At most %(max)s units of %(sku)s at a time.")
                % {"max": f"{MAX_QUANTITY:,}", "sku": code},
                field=field,
            )
    skus = {sku.code: sku for sku in Sku.objects.filter(seller=seller, code__in=list(wanted))}
    unknown = [code for code in wanted if code not in skus]
    if unknown:
        raise InvalidInventoryInput(
            _("Unknown SKU: %(skus)s. Add it on the SKUs page first.")
            % {"skus": ", ".join(code[:64] for code in unknown[:10])},
            field=field,
        )
    return [(skus[code], quantity) for code, quantity in wanted.items()]


def reference_clean(value: object, *, limit: int = 64) -> str:
    return normalise_free_text(value)[:limit]


def as_lines(pairs: Sequence[tuple[Sku, int]]) -> list[SkuQuantity]:
    return [SkuQuantity(sku.code, quantity) for sku, quantity in pairs]
