"""Customs input as a seller types or pastes it: item lines and tax numbers, checked before
the gate. A bad value is refused on its field (and its item row), with nothing created;
what a destination requires but the order lacks is the gate's matter (``gate_checks``)."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise
from stdnum import ean
from stdnum.eu import oss
from stdnum.gb import vat as gb_vat

from core.exceptions import DomainError
from core.gate import ParcelItem
from core.normalise import normalise_code, normalise_free_text

MAX_ITEMS = 200
MAX_QUANTITY = 100_000
MAX_UNIT_VALUE = Decimal("1000000")
MAX_DESCRIPTION = 200
MAX_CODE = 64
HS_DIGITS = re.compile(r"^\d{6,10}$")
EORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
COUNTRIES = frozenset(country.alpha_2 for country in pycountry.countries)


class InvalidCustomsInput(DomainError):
    """A customs value that cannot be right; ``field`` names it and ``item`` the item row
    (1-based) when it belongs to one."""

    def __init__(self, message: StrOrPromise, *, field: str, item: int | None = None):
        self.field = field
        self.item = item
        super().__init__(message)

    @property
    def where(self) -> str:
        return f"items[{self.item - 1}].{self.field}" if self.item else self.field


@dataclass(frozen=True, slots=True)
class RawItem:
    """An item line as typed: every value a string (or None), checked by ``item_clean``."""

    description: object = ""
    quantity: object = ""
    unit_value: object = ""
    currency: object = ""
    unit_weight_g: object = ""
    hs_code: object = ""
    origin_country: object = "CN"
    description_zh: object = ""
    sku: object = ""
    gtin: object = ""
    mpn: object = ""
    contains_battery: object = False

    @classmethod
    def of(cls, data: Mapping[str, object]) -> "RawItem":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def hs_code_clean(value: object, *, item: int | None = None) -> str:
    """6 to 10 digits; dots and spaces as in ``6109.10.00`` are dropped. Empty stays empty
    (the gate says whether the destination requires one)."""
    code = normalise_code(value).replace(".", "").replace("-", "")
    if code and not HS_DIGITS.match(code):
        raise InvalidCustomsInput(
            _("The HS code must be 6 to 10 digits (e.g. 610910), not “%(value)s”.")
            % {"value": str(value)[:20]},
            field="hs_code",
            item=item,
        )
    return code


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return normalise_code(value, upper=False).lower() in {"1", "true", "yes", "y", "是", "有", "on"}


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _decimal(value: object, *, field: str, item: int, message: str) -> Decimal:
    """A number as typed: ``1,250.00`` reads as 1250.00, ``12,50`` is not a number (a decimal
    comma would be read a hundred times too large)."""
    text = normalise_code(value)
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidCustomsInput(message, field=field, item=item) from None
    if not number.is_finite():
        raise InvalidCustomsInput(message, field=field, item=item)
    return number


def _whole(value: object, *, field: str, item: int, message: str, maximum: int) -> int:
    number = _decimal(value, field=field, item=item, message=message)
    if number != number.to_integral_value() or not 1 <= number <= maximum:
        raise InvalidCustomsInput(message, field=field, item=item)
    return int(number)


def item_clean(raw: RawItem, *, item: int, currencies: Iterable[str]) -> ParcelItem:
    """One item line, checked; ``item`` is its row (1-based) for the messages."""
    description = normalise_free_text(raw.description)
    if not description:
        raise InvalidCustomsInput(
            _("Describe the item in English (what it is, e.g. “cotton T-shirt”)."),
            field="description",
            item=item,
        )
    if (
        len(description) > MAX_DESCRIPTION
        or len(normalise_free_text(raw.description_zh)) > MAX_DESCRIPTION
    ):
        raise InvalidCustomsInput(
            _("A description has at most %(max)s characters.") % {"max": MAX_DESCRIPTION},
            field="description",
            item=item,
        )
    quantity = _whole(
        raw.quantity,
        field="quantity",
        item=item,
        message=_("The quantity is a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY},
        maximum=MAX_QUANTITY,
    )
    unit_value = _decimal(
        raw.unit_value,
        field="unit_value",
        item=item,
        message=_("The unit value is a number, e.g. 12.50."),
    )
    if (
        unit_value <= 0
        or unit_value >= MAX_UNIT_VALUE
        or unit_value != unit_value.quantize(Decimal("0.01"))
    ):
        raise InvalidCustomsInput(
            _("The unit value is greater than 0, below 1,000,000, with at most two decimals."),
            field="unit_value",
            item=item,
        )
    currency = normalise_code(raw.currency)
    known = set(currencies)
    if currency not in known:
        raise InvalidCustomsInput(
            _("Unknown currency “%(value)s”: use one of %(known)s.")
            % {"value": currency[:10], "known": ", ".join(sorted(known))},
            field="currency",
            item=item,
        )
    weight = _whole(
        raw.unit_weight_g,
        field="unit_weight_g",
        item=item,
        message=_("The unit weight is a whole number of grams, at least 1."),
        maximum=1_000_000,
    )
    origin = normalise_code(raw.origin_country) or "CN"
    if origin not in COUNTRIES:
        raise InvalidCustomsInput(
            _("Unknown country of origin “%(value)s”: use the two-letter ISO code, e.g. CN.")
            % {"value": origin[:10]},
            field="origin_country",
            item=item,
        )
    gtin = normalise_code(raw.gtin)
    if gtin and not (gtin.isdigit() and len(gtin) in (8, 12, 13, 14) and ean.is_valid(gtin)):
        raise InvalidCustomsInput(
            _(
                "The GTIN/EAN “%(value)s” is not valid "
                "(8, 12, 13 or 14 digits with their check digit)."
            )
            % {"value": gtin[:20]},
            field="gtin",
            item=item,
        )
    sku, mpn = normalise_free_text(raw.sku), normalise_free_text(raw.mpn)
    for name, text in (("sku", sku), ("mpn", mpn)):
        if len(text) > MAX_CODE:
            raise InvalidCustomsInput(
                _("%(field)s has at most %(max)s characters.")
                % {"field": name.upper(), "max": MAX_CODE},
                field=name,
                item=item,
            )
    return ParcelItem(
        description=description,
        quantity=quantity,
        unit_value=unit_value,
        currency=currency,
        unit_weight_g=weight,
        hs_code=hs_code_clean(raw.hs_code, item=item),
        origin_country=origin,
        description_zh=normalise_free_text(raw.description_zh),
        sku=sku,
        gtin=gtin,
        mpn=mpn,
        contains_battery=_bool(raw.contains_battery),
    )


def items_clean(
    raws: list[RawItem], *, parcel_weight_g: int, currencies: Iterable[str]
) -> tuple[ParcelItem, ...]:
    """A parcel's item lines: 1 to 200, one currency, no heavier together than the parcel."""
    if not raws:
        raise InvalidCustomsInput(
            _("Add at least one item: what the parcel contains, for customs."), field="items"
        )
    if len(raws) > MAX_ITEMS:
        raise InvalidCustomsInput(
            _("A parcel has at most %(max)s item lines (%(count)s given).")
            % {"max": MAX_ITEMS, "count": len(raws)},
            field="items",
            item=MAX_ITEMS + 1,
        )
    known = frozenset(currencies)
    items = tuple(item_clean(raw, item=n, currencies=known) for n, raw in enumerate(raws, 1))
    first = items[0].currency
    for n, parcel_item in enumerate(items, 1):
        if parcel_item.currency != first:
            raise InvalidCustomsInput(
                _("All items of a parcel are declared in one currency (item 1 is in %(first)s).")
                % {"first": first},
                field="currency",
                item=n,
            )
    total_g = sum(parcel_item.weight_g for parcel_item in items)
    if total_g > parcel_weight_g:
        raise InvalidCustomsInput(
            _("The items weigh %(items)s g together, more than the parcel's %(parcel)s g.")
            % {"items": total_g, "parcel": parcel_weight_g},
            field="unit_weight_g",
            item=len(items),
        )
    return items


def ioss_clean(value: object, *, field: str = "ioss_number") -> str:
    """An EU IOSS number, IM + 10 digits with its check (python-stdnum ``eu.oss``)."""
    number = normalise_code(value)
    if number and not (number.startswith("IM") and oss.is_valid(number)):
        raise InvalidCustomsInput(
            _("“%(value)s” is not a valid IOSS number (IM followed by 10 digits).")
            % {"value": number[:20]},
            field=field,
        )
    return number


def uk_vat_clean(value: object, *, field: str = "uk_vat_number") -> str:
    """A UK VAT number (python-stdnum ``gb.vat``), kept as GB + its digits."""
    number = normalise_code(value)
    if not number:
        return ""
    if not gb_vat.is_valid(number):
        raise InvalidCustomsInput(
            _("“%(value)s” is not a valid UK VAT number (GB and 9 or 12 digits).")
            % {"value": number[:20]},
            field=field,
        )
    compact = gb_vat.compact(number)
    return compact if compact.startswith("GB") else f"GB{compact}"


def eori_clean(value: object, *, field: str = "number") -> str:
    number = normalise_code(value)
    if number and not EORI.match(number):
        raise InvalidCustomsInput(
            _("“%(value)s” is not an EORI number (a country code and up to 15 letters or digits).")
            % {"value": number[:20]},
            field=field,
        )
    return number
