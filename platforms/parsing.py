"""One record of the store metrics feed: its columns, and its text values turned into typed
values under the portal's rules, or the reasons why not.

Every source (the CSV file today, a platform API later) goes through ``parse_metrics_record``
so that all obey the same rules; the ranges are the database's own (``models.METRIC_RANGES``).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    METRIC_RANGES,
    PLATFORM_ONLY_FIELDS,
    AliExpressTier,
    Platform,
    TikTokSite,
)

REQUIRED_COLUMNS = (
    "platform",
    "store_id",
    "as_of",
    "positive_rating_pct",
    "dsr_logistics",
    "fulfilment_score",
    "return_rate_pct",
    "label_print_success_pct",
    "serious_complaints_30d",
    "store_bound",
)
OPTIONAL_COLUMNS = (
    "store_level",
    "aliexpress_tier",
    "lazada_official_warehouse",
    "temu_full_custody_whitelisted",
    "tiktok_site",
    "tiktok_logistics_partner",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The snapshot's fields, in column order: what a ``MetricsRow`` carries besides its row.
METRIC_FIELDS = COLUMNS
# What goes in each column, for the admin's import page and the command's help.
COLUMN_HELP = {
    "platform": gettext_lazy("aliexpress, lazada, temu or tiktok"),
    "store_id": gettext_lazy("the platform's store ID, up to 64 characters"),
    "as_of": gettext_lazy("the day the figures describe: YYYY-MM-DD, not in the future"),
    "positive_rating_pct": gettext_lazy("logistics positive rating, 0–100, e.g. 96.5 or 96.5%"),
    "dsr_logistics": gettext_lazy("DSR logistics score, 0–5, e.g. 4.85"),
    "fulfilment_score": gettext_lazy("fulfilment score (履约分), 0–100"),
    "return_rate_pct": gettext_lazy("return rate, 0–100, e.g. 2.5 or 2.5%"),
    "label_print_success_pct": gettext_lazy("label-print success rate, 0–100"),
    "serious_complaints_30d": gettext_lazy("serious logistics complaints, last 30 days: 0, 1, 2…"),
    "store_bound": gettext_lazy("yes/no: 菜鸟经络速通 is ticked in the store's logistics settings"),
    "store_level": gettext_lazy("e.g. L3"),
    "aliexpress_tier": gettext_lazy("AliExpress only: ka, preferred (优选) or other"),
    "lazada_official_warehouse": gettext_lazy(
        "Lazada only, yes/no: uses Lazada's official overseas warehouse"
    ),
    "temu_full_custody_whitelisted": gettext_lazy(
        "Temu only, yes/no: full-custody supplier on the logistics whitelist"
    ),
    "tiktok_site": gettext_lazy("TikTok Shop only: uk, us or other"),
    "tiktok_logistics_partner": gettext_lazy(
        "TikTok Shop only, yes/no: signed official logistics partner"
    ),
}

_TRUE = {"true", "1", "yes", "是"}
_FALSE = {"false", "0", "no", "否"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
_MAX_COUNT = 2_147_483_647  # PositiveIntegerField
_EXCEL_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+\d+$")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the feed. ``row`` counts the header as row 1; ``None`` means the
    whole feed; ``column`` is empty when the problem is not in one column."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True, slots=True)
class MetricsRow:
    """One valid record of the feed: a snapshot's values and where it came from."""

    row: int
    platform: str
    store_id: str
    as_of: date
    positive_rating_pct: Decimal
    dsr_logistics: Decimal
    fulfilment_score: Decimal
    return_rate_pct: Decimal
    label_print_success_pct: Decimal
    serious_complaints_30d: int
    store_bound: bool
    store_level: str
    aliexpress_tier: str
    lazada_official_warehouse: bool | None
    temu_full_custody_whitelisted: bool | None
    tiktok_site: str
    tiktok_logistics_partner: bool | None

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.platform, self.store_id, self.as_of)


# ---------------------------------------------------------------------------
# One record: text values → typed values, or the reasons why not
# ---------------------------------------------------------------------------
class _Invalid(Exception):
    def __init__(self, message: str):
        self.message = message


def _required(text: str) -> str:
    if not text:
        raise _Invalid(_("A value is required."))
    return text


def _platform(text: str) -> str:
    value = _required(text).lower()
    if value not in Platform.values:
        raise _Invalid(
            _("Unknown platform “%(value)s”: use one of %(choices)s.")
            % {"value": text, "choices": ", ".join(Platform.values)}
        )
    return value


def _store_id(text: str) -> str:
    _required(text)
    if len(text) > 64:
        raise _Invalid(_("A store ID has at most 64 characters."))
    if _EXCEL_SCIENTIFIC.match(text):
        raise _Invalid(
            _(
                "“%(value)s” looks like a number Excel shortened: format the column as text "
                "and export again."
            )
            % {"value": text}
        )
    return text


@lru_cache(maxsize=4096)
def _calendar_date(text: str) -> date | None:
    # A feed holds few distinct dates (often one): parse each once.
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def _date(text: str) -> date:
    _required(text)
    value = _calendar_date(text)
    if value is None:
        raise _Invalid(_("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": text})
    if value > timezone.localdate():
        raise _Invalid(_("The date %(value)s is in the future.") % {"value": text})
    return value


def _decimal(places: int, column: str, percent: bool) -> Callable[[str], Decimal]:
    low, high = METRIC_RANGES[column]
    quantum = Decimal(1).scaleb(-places)

    def parse(text: str) -> Decimal:
        number = _required(text)
        if percent and number[-1] in "%％":
            number = number[:-1].rstrip()
        try:
            value = Decimal(number)
        except InvalidOperation:
            raise _Invalid(_("“%(value)s” is not a number.") % {"value": text}) from None
        if not value.is_finite():
            raise _Invalid(_("“%(value)s” is not a number.") % {"value": text})
        if value < 0:
            raise _Invalid(_("%(value)s is negative.") % {"value": text})
        if not low <= value <= high:
            raise _Invalid(
                _("%(value)s is out of range: it must be between %(low)s and %(high)s.")
                % {"value": text, "low": low, "high": high}
            )
        rounded = value.quantize(quantum)
        if rounded != value:
            raise _Invalid(
                _("“%(value)s” has more than %(places)d decimal places.")
                % {"value": text, "places": places}
            )
        return rounded

    return parse


def _count(text: str) -> int:
    _required(text)
    if text.startswith("-") and text[1:].isdigit():
        raise _Invalid(_("%(value)s is negative.") % {"value": text})
    if not text.isascii() or not text.isdigit():
        raise _Invalid(_("“%(value)s” is not a whole number.") % {"value": text})
    value = int(text)
    if value > _MAX_COUNT:
        raise _Invalid(_("%(value)s is too large.") % {"value": text})
    return value


def _boolean(text: str) -> bool | None:
    return _yes_or_no(text) if text else None


def _yes_or_no(text: str) -> bool:
    value = text.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _Invalid(
        _("“%(value)s” is not yes or no: write true/false, 1/0, yes/no or 是/否.") % {"value": text}
    )


def _required_boolean(text: str) -> bool:
    _required(text)
    return _yes_or_no(text)


def _choice(choices: list[str], aliases: Mapping[str, str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text:
            return ""
        value = aliases.get(text, text.lower())
        if value not in choices:
            raise _Invalid(
                _("Unknown value “%(value)s”: use one of %(choices)s, or leave it empty.")
                % {"value": text, "choices": ", ".join(choices)}
            )
        return value

    return parse


def _store_level(text: str) -> str:
    if len(text) > 10:
        raise _Invalid(_("A store level has at most 10 characters."))
    return text.upper()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "platform": _platform,
    "store_id": _store_id,
    "as_of": _date,
    "positive_rating_pct": _decimal(2, "positive_rating_pct", percent=True),
    "dsr_logistics": _decimal(2, "dsr_logistics", percent=False),
    "fulfilment_score": _decimal(2, "fulfilment_score", percent=False),
    "return_rate_pct": _decimal(2, "return_rate_pct", percent=True),
    "label_print_success_pct": _decimal(2, "label_print_success_pct", percent=True),
    "serious_complaints_30d": _count,
    "store_bound": _required_boolean,
    "store_level": _store_level,
    "aliexpress_tier": _choice(AliExpressTier.values, {"优选": AliExpressTier.PREFERRED}),
    "lazada_official_warehouse": _boolean,
    "temu_full_custody_whitelisted": _boolean,
    "tiktok_site": _choice(TikTokSite.values, {}),
    "tiktok_logistics_partner": _boolean,
}


def parse_metrics_record(row: int, record: Mapping[str, str | None]) -> MetricsRow | list[RowError]:
    """One record of text values, column → text as in the CSV, as a ``MetricsRow``, or
    every problem it has. A source other than CSV can map its records to text and reuse
    this, so that every source obeys the same rules."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, parse in _PARSERS.items():
        text = (record.get(column) or "").strip()
        try:
            values[column] = parse(text)
        except _Invalid as invalid:
            errors.append(RowError(row, column, invalid.message))
    platform = values.get("platform")
    if platform:
        for column, only_on in PLATFORM_ONLY_FIELDS.items():
            if platform != only_on and values.get(column) not in (None, ""):
                errors.append(
                    RowError(
                        row,
                        column,
                        _("Only %(platform)s rows have this value; leave it empty.")
                        % {"platform": Platform(only_on).label},
                    )
                )
    if errors:
        return errors
    return MetricsRow(row=row, **values)
