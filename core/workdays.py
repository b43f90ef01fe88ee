"""Durations in Chinese working days (工作日), for the onboarding dashboard.

A working day is a date on which people in China work: Monday to Friday unless it is a public
holiday, plus the make-up days (调休) that move a weekend day into the working week. The
calendar is `chinese_calendar`'s; for a year it does not cover yet, Monday to Friday stands in
and a warning is logged once per such year.

Each working day's 24 hours (Asia/Shanghai) count as 1.0 day; time on other days counts 0.
"""

import datetime
import functools
import logging
import statistics
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import chinese_calendar

from core.timezones import SHANGHAI

logger = logging.getLogger(__name__)


_SECONDS_PER_DAY = 24 * 60 * 60
_HUNDREDTH = Decimal("0.01")
_years_without_calendar: set[int] = set()


def quantize_days(value: Decimal) -> Decimal:
    """The one rounding rule for working-day figures: 0.01, half up."""
    return value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=4096)
def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day in China, holidays and 调休 included."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _years_without_calendar:
            _years_without_calendar.add(day.year)
            logger.warning(
                "chinese_calendar has no holiday data for %s; counting Monday to Friday "
                "as working days for that year.",
                day.year,
            )
        return day.weekday() < 5


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    """Time from `start` to `end` that falls on Chinese working days, in days of 24 hours,
    to 0.01. Both datetimes must be timezone-aware; they are read in Asia/Shanghai."""
    for name, value in (("start", start), ("end", end)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}.")
    if start > end:
        raise ValueError(f"start ({start.isoformat()}) is after end ({end.isoformat()}).")

    # Wall-clock time in Shanghai, so that a calendar day is exactly its 24 hours.
    local_start = start.astimezone(SHANGHAI).replace(tzinfo=None)
    local_end = end.astimezone(SHANGHAI).replace(tzinfo=None)

    worked = datetime.timedelta()
    day = local_start.date()
    while day <= local_end.date():
        if is_working_day(day):
            day_start = datetime.datetime.combine(day, datetime.time.min)
            day_end = day_start + datetime.timedelta(days=1)
            worked += min(local_end, day_end) - max(local_start, day_start)
        day += datetime.timedelta(days=1)

    seconds = Decimal(worked.days * _SECONDS_PER_DAY + worked.seconds) + Decimal(
        worked.microseconds
    ) / Decimal(1_000_000)
    return quantize_days(seconds / _SECONDS_PER_DAY)


def median_and_fastest(
    durations: Iterable[Decimal],
) -> tuple[Decimal | None, Decimal | None]:
    """Median and minimum of durations in working days, to 0.01; (None, None) when empty."""
    values = list(durations)
    if not values:
        return None, None
    return quantize_days(statistics.median(values)), quantize_days(min(values))
