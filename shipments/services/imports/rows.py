"""The rows of a file of orders turned into orders: rows that share an order number (one after
the other) are the item lines of one parcel; the order's own values (recipient, address,
weight …) are read from its first row. Each order gets the same rules as the single-order
form, or each of its rows the first thing wrong with it, with a code for the report."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from core.gate import Parcel
from core.normalise import normalise_code, normalise_free_text
from customs.validation import RawItem
from pricing.exceptions import InvalidDimensions, InvalidPostcode, InvalidWeight, UnknownCountry
from pricing.models import Region

from ...exceptions import InvalidOrder
from ..creation import Recipient, order_number_clean, parcel_build
from .columns import COLUMNS, ITEM_COLUMNS, REQUIRED, column_label

_MAX_LENGTHS = {
    "recipient_name": 100,
    "recipient_phone": 30,
    "address": 300,
    "city": 100,
    "postcode": 12,
    "address2": 300,
    "recipient_email": 254,
}
# The order number of the template's example row: never a real order.
EXAMPLE_ORDER_PREFIX = "EXAMPLE-"
ITEM_PATTERN = re.compile(r"^items\[(\d+)\]\.")
_ORIGIN_ALIASES = {
    "华东": Region.EAST,
    "华南": Region.SOUTH,
    "华北": Region.NORTH,
    "华中": Region.CENTRAL,
    "西南": Region.SOUTHWEST,
}
# Region.values builds its list on every read: once here, not once per row.
_REGIONS = frozenset(Region.values)
# Chinese names sellers write instead of ISO codes; RU and BR so that they are told
# "no line", not "unknown country".
_COUNTRY_ALIASES = {
    "美国": "US",
    "英国": "GB",
    "德国": "DE",
    "法国": "FR",
    "意大利": "IT",
    "西班牙": "ES",
    "荷兰": "NL",
    "比利时": "BE",
    "奥地利": "AT",
    "波兰": "PL",
    "葡萄牙": "PT",
    "爱尔兰": "IE",
    "瑞典": "SE",
    "丹麦": "DK",
    "芬兰": "FI",
    "希腊": "GR",
    "捷克": "CZ",
    "匈牙利": "HU",
    "罗马尼亚": "RO",
    "新加坡": "SG",
    "马来西亚": "MY",
    "泰国": "TH",
    "越南": "VN",
    "菲律宾": "PH",
    "印度尼西亚": "ID",
    "印尼": "ID",
    "俄罗斯": "RU",
    "巴西": "BR",
}


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One order of the file: its rows (the first one first), its parcel and recipient."""

    rows: tuple[int, ...]
    order_number: str
    parcel: Parcel
    recipient: Recipient

    @property
    def row(self) -> int:
        return self.rows[0]


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    order_number: str
    code: str
    message: str


class _Invalid(Exception):
    def __init__(self, code: str, message: StrOrPromise, *, item: int | None = None):
        self.code = code
        self.message = str(message)
        self.item = item  # 0-based item row of the order, when the problem is an item's


_PARCEL_CODES: dict[type, str] = {
    InvalidWeight: "invalid_weight",
    InvalidDimensions: "invalid_dimensions",
    UnknownCountry: "unknown_country",
    InvalidPostcode: "invalid_postcode",
}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _number(text: str, column: str, code: str) -> Decimal:
    text = normalise_code(text)
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Invalid(
            code,
            _("%(column)s: “%(value)s” is not a number.")
            % {"column": column_label(column), "value": text[:40]},
        )
    return value


def _weight(text: str) -> int:
    value = _number(text, "weight_g", "invalid_weight")
    if value != value.to_integral_value():
        raise _Invalid(
            "invalid_weight", _("The weight is in whole grams: “%(value)s”.") % {"value": text}
        )
    return int(value)


def _dims(cells: dict[str, str]) -> tuple[Decimal, Decimal, Decimal] | None:
    texts = [cells["length_cm"], cells["width_cm"], cells["height_cm"]]
    if not any(texts):
        return None
    if not all(texts):
        raise _Invalid(
            "invalid_dimensions", _("Give the length, width and height in cm, or none of them.")
        )
    length, width, height = (
        _number(text, name, "invalid_dimensions")
        for text, name in zip(texts, ("length_cm", "width_cm", "height_cm"), strict=True)
    )
    if any(side != side.quantize(Decimal("0.1")) for side in (length, width, height)):
        raise _Invalid("invalid_dimensions", _("Dimensions have at most one decimal, in cm."))
    return length, width, height


def _origin(text: str) -> str:
    if not text:
        return Region.EAST
    value = _ORIGIN_ALIASES.get(text, text.lower())
    if value not in _REGIONS:
        raise _Invalid(
            "unknown_origin",
            _("Unknown origin “%(value)s”: use east, south, north, central or southwest.")
            % {"value": text[:40]},
        )
    return value


def cell_at(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _unquoted(text: str) -> str:
    """A cell our own error report wrote with a leading ``'`` (so that a spreadsheet shows
    ``+1 415 …`` as text), as the seller typed it."""
    text = text.strip()
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def row_values(cells: list[str], header: dict[str, int]) -> dict[str, str]:
    return {column.name: _unquoted(cell_at(cells, header.get(column.name))) for column in COLUMNS}


def _item(values: dict[str, str], *, weight_g: int, single: bool) -> RawItem:
    """An item line as typed, with the file's defaults: quantity 1, USD, and for a parcel
    of one item line its weight shared by the quantity."""
    raw = {name: values[name] for name in ITEM_COLUMNS}
    raw["quantity"] = raw["quantity"] or "1"
    raw["currency"] = raw["currency"] or "USD"
    raw["origin_country"] = raw["origin_country"] or "CN"
    if not raw["unit_weight_g"] and single:
        try:
            quantity = max(int(Decimal(normalise_code(raw["quantity"]))), 1)
        except (InvalidOperation, ValueError):
            quantity = 1
        raw["unit_weight_g"] = str(max(weight_g // quantity, 1))
    return RawItem.of(raw)


def order_rows_parse(
    group: list[tuple[int, list[str]]], header: dict[str, int], *, currencies: frozenset[str]
) -> OrderRow | list[RowProblem]:
    """The rows of one order (same order number, one after the other) as an ``OrderRow``,
    or a problem for each of its rows: the first thing wrong with the row at fault, and
    for the order's other rows which row that is."""
    rows = [number for number, _cells in group]
    values = [row_values(cells, header) for _number_, cells in group]
    first = values[0]
    order_number = first["order_number"][:64]
    try:
        try:
            order_number = order_number_clean(first["order_number"])
        except InvalidOrder as error:
            code = "missing_value" if not first["order_number"] else "invalid_order_number"
            raise _Invalid(code, error.message) from None
        if order_number.upper().startswith(EXAMPLE_ORDER_PREFIX):
            raise _Invalid(
                "example_row",
                _("This is the template's example row: replace it with your orders."),
            )
        for item, row in enumerate(values):
            for name in REQUIRED:
                if not row[name] and (item == 0 or name in ITEM_COLUMNS):
                    raise _Invalid(
                        "missing_value",
                        _("%(column)s is empty.") % {"column": column_label(name)},
                        item=item,
                    )
        for name, limit in _MAX_LENGTHS.items():
            if len(first[name]) > limit:
                raise _Invalid(
                    "too_long",
                    _("%(column)s is longer than %(max)s characters.")
                    % {"column": column_label(name), "max": limit},
                )
        origin = _origin(first["origin"])
        weight_g = _weight(first["weight_g"])
        dims = _dims(first)
        country = normalise_code(first["country"])
        country = _COUNTRY_ALIASES.get(first["country"], country)
        try:
            parcel = parcel_build(
                origin=origin,
                country=country,
                postcode=first["postcode"],
                weight_g=weight_g,
                dims_cm=dims,
                items=[_item(row, weight_g=weight_g, single=len(values) == 1) for row in values],
                state=first["state"],
                city=first["city"],
                address=first["address"],
                incoterm=normalise_code(first["incoterm"]) or "DDU",
                ioss_number=first["ioss_number"],
                uk_vat_number=first["uk_vat_number"],
                currencies=currencies,
            )
        except InvalidOrder as error:
            found = ITEM_PATTERN.match(error.field)
            code = _PARCEL_CODES.get(
                type(error.__context__), "invalid_item" if found else "invalid_parcel"
            )
            raise _Invalid(
                code, error.message, item=int(found.group(1)) if found else None
            ) from None
    except _Invalid as invalid:
        at_fault = (
            rows[invalid.item] if invalid.item is not None and invalid.item < len(rows) else rows[0]
        )
        return [
            RowProblem(row, order_number, invalid.code, invalid.message)
            if row == at_fault
            else RowProblem(
                row,
                order_number,
                "order_invalid",
                _("Row %(row)d of the same order is not valid.") % {"row": at_fault},
            )
            for row in rows
        ]
    return OrderRow(
        rows=tuple(rows),
        order_number=order_number,
        parcel=parcel,
        recipient=Recipient(
            name=normalise_free_text(first["recipient_name"]),
            address=parcel.address,
            address2=normalise_free_text(first["address2"]),
            city=parcel.city,
            phone=first["recipient_phone"],
            email=first["recipient_email"],
        ),
    )
