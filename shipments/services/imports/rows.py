"""One row of a file of orders: its text turned into an order (a checked parcel, the
recipient, contents and declared value) with the same rules as the single-order form, or
the first thing wrong with it, with a code for the report."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from core.gate import Parcel
from pricing.exceptions import InvalidDimensions, InvalidPostcode, InvalidWeight, UnknownCountry
from pricing.models import Region

from ...exceptions import InvalidOrder
from ..creation import Recipient, declared_value_clean, order_number_clean, parcel_build
from .columns import COLUMNS, REQUIRED, column_label

_MAX_LENGTHS = {
    "recipient_name": 100,
    "recipient_phone": 30,
    "address": 300,
    "city": 100,
    "postcode": 12,
    "contents": 200,
}
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
    row: int
    order_number: str
    parcel: Parcel
    recipient: Recipient
    contents: str
    declared_value: Decimal


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    order_number: str
    code: str
    message: str


class _Invalid(Exception):
    def __init__(self, code: str, message: StrOrPromise):
        self.code = code
        self.message = str(message)


_PARCEL_CODES: dict[type, str] = {
    InvalidWeight: "invalid_weight",
    InvalidDimensions: "invalid_dimensions",
    UnknownCountry: "unknown_country",
    InvalidPostcode: "invalid_postcode",
}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _number(text: str, column: str, code: str) -> Decimal:
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


def order_row_parse(row: int, cells: list[str], header: dict[str, int]) -> OrderRow | RowProblem:
    """One data row as an ``OrderRow``, or the first thing wrong with it."""
    values = {column.name: cell_at(cells, header.get(column.name)) for column in COLUMNS}
    order_number = values["order_number"][:64]
    try:
        try:
            order_number = order_number_clean(values["order_number"])
        except InvalidOrder as error:
            code = "missing_value" if not values["order_number"] else "invalid_order_number"
            raise _Invalid(code, error.message) from None
        for name in REQUIRED:
            if not values[name]:
                raise _Invalid(
                    "missing_value",
                    _("%(column)s is empty.") % {"column": column_label(name)},
                )
        for name, limit in _MAX_LENGTHS.items():
            if len(values[name]) > limit:
                raise _Invalid(
                    "too_long",
                    _("%(column)s is longer than %(max)s characters.")
                    % {"column": column_label(name), "max": limit},
                )
        origin = _origin(values["origin"])
        weight_g = _weight(values["weight_g"])
        dims = _dims(values)
        country = values["country"]
        country = _COUNTRY_ALIASES.get(country, country)
        try:
            parcel = parcel_build(
                origin=origin,
                country=country,
                postcode=values["postcode"],
                weight_g=weight_g,
                dims_cm=dims,
            )
        except InvalidOrder as error:
            code = _PARCEL_CODES.get(type(error.__context__), "invalid_parcel")
            raise _Invalid(code, error.message) from None
        try:
            declared_value = declared_value_clean(values["declared_value"])
        except InvalidOrder as error:
            raise _Invalid("invalid_declared_value", error.message) from None
    except _Invalid as invalid:
        return RowProblem(row, order_number, invalid.code, invalid.message)
    return OrderRow(
        row=row,
        order_number=order_number,
        parcel=parcel,
        recipient=Recipient(
            name=values["recipient_name"],
            address=values["address"],
            city=values["city"],
            phone=values["recipient_phone"],
        ),
        contents=values["contents"],
        declared_value=declared_value,
    )
