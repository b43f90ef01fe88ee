import datetime
import logging
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from core import workdays
from core.workdays import median_and_fastest, working_days_between

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def sh(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 12 hours inside one ordinary Wednesday.
        (sh(2026, 11, 25, 8), sh(2026, 11, 25, 20), Decimal("0.50")),
        # Friday 18:00 → Monday 06:00: 6 h on Friday + 6 h on Monday, the weekend is free.
        (sh(2026, 11, 20, 18), sh(2026, 11, 23, 6), Decimal("0.50")),
        # A whole ordinary week, Monday 00:00 → next Monday 00:00.
        (sh(2026, 11, 16), sh(2026, 11, 23), Decimal("5.00")),
        # Same instant.
        (sh(2026, 11, 25, 9), sh(2026, 11, 25, 9), Decimal("0.00")),
        # Saturday to Sunday: nothing.
        (sh(2026, 11, 21, 9), sh(2026, 11, 22, 18), Decimal("0.00")),
        # 1 minute = 0.000694… day → 0.00; 8 minutes = 0.00555… → 0.01 (half up).
        (sh(2026, 11, 25, 9), sh(2026, 11, 25, 9, 1), Decimal("0.00")),
        (sh(2026, 11, 25, 9), sh(2026, 11, 25, 9, 8), Decimal("0.01")),
        # 36 minutes = 0.025 day exactly → 0.03 (half up, not banker's rounding).
        (sh(2026, 11, 25, 9), sh(2026, 11, 25, 9, 36), Decimal("0.03")),
    ],
)
def test_working_days_between_exact_values(start, end, expected):
    assert working_days_between(start, end) == expected


def test_the_2026_national_day_calendar_is_what_the_tests_assume():
    # 国庆节 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are make-up
    # working days (调休).
    for day in range(1, 8):
        assert not chinese_calendar.is_workday(datetime.date(2026, 10, day))
    assert chinese_calendar.is_workday(datetime.date(2026, 9, 20))
    assert chinese_calendar.is_workday(datetime.date(2026, 10, 10))
    assert not chinese_calendar.is_workday(datetime.date(2026, 10, 11))


def test_the_national_day_holiday_does_not_count_and_the_make_up_saturday_does():
    # Wed 30 Sep 12:00 → Mon 12 Oct 12:00: 0.5 (30 Sep) + 0 (1–7 Oct holiday)
    # + 1 (Thu 8) + 1 (Fri 9) + 1 (Sat 10, 调休) + 0 (Sun 11) + 0.5 (Mon 12) = 4.00.
    assert working_days_between(sh(2026, 9, 30, 12), sh(2026, 10, 12, 12)) == Decimal("4.00")


def test_time_on_the_make_up_saturday_alone_counts():
    assert working_days_between(sh(2026, 10, 10, 9), sh(2026, 10, 10, 15)) == Decimal("0.25")


def test_a_make_up_sunday_before_the_holiday_counts():
    # Sat 19 Sep off, Sun 20 Sep worked (调休 for National Day 2026).
    assert working_days_between(sh(2026, 9, 19), sh(2026, 9, 21)) == Decimal("1.00")


def test_the_2025_national_day_holiday_and_its_make_up_days():
    # 2025: 1–8 October off (National Day and Mid-Autumn); Sun 28 Sep and Sat 11 Oct worked.
    # Sat 27 Sep 00:00 → Sun 12 Oct 00:00: 28, 29, 30 Sep + 9, 10, 11 Oct = 6 days.
    assert working_days_between(sh(2025, 9, 27), sh(2025, 10, 12)) == Decimal("6.00")


def test_utc_input_is_read_in_shanghai_time():
    # 2026-11-20 10:00 UTC is Friday 18:00 in Shanghai; 2026-11-22 22:00 UTC is Monday 06:00.
    start = datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)
    end = datetime.datetime(2026, 11, 22, 22, tzinfo=UTC)

    assert working_days_between(start, end) == Decimal("0.50")


def test_mixed_time_zones_are_compared_as_instants():
    start = sh(2026, 11, 25, 8)
    end = datetime.datetime(2026, 11, 25, 12, tzinfo=UTC)  # 20:00 in Shanghai

    assert working_days_between(start, end) == Decimal("0.50")


@pytest.mark.parametrize("naive", ["start", "end", "both"])
def test_naive_datetimes_are_refused(naive):
    aware = sh(2026, 11, 25, 9)
    plain = datetime.datetime(2026, 11, 25, 21)  # noqa: DTZ001 - the point of the test
    start = plain if naive in ("start", "both") else aware
    end = plain if naive in ("end", "both") else aware.replace(hour=21)

    with pytest.raises(ValueError, match="timezone-aware"):
        working_days_between(start, end)


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="after end"):
        working_days_between(sh(2026, 11, 25, 10), sh(2026, 11, 25, 9))


def test_years_outside_the_calendar_fall_back_to_monday_to_friday(caplog):
    workdays.is_working_day.cache_clear()
    workdays._years_without_calendar.discard(2099)

    with caplog.at_level(logging.WARNING, logger="core.workdays"):
        # Fri 2 Jan 2099 12:00 → Tue 6 Jan 2099 12:00: 0.5 + Mon + 0.5 = 2.00.
        first = working_days_between(sh(2099, 1, 2, 12), sh(2099, 1, 6, 12))
        workdays.is_working_day.cache_clear()
        second = working_days_between(sh(2099, 1, 2, 12), sh(2099, 1, 6, 12))

    assert first == second == Decimal("2.00")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2099" in warnings[0].getMessage()


def test_an_interval_spanning_covered_and_uncovered_years():
    # 2026 is covered (1 Jan 2027 would be New Year's Day, but 2027 is not in the data):
    # Thu 31 Dec 2026 + Fri 1 Jan 2027 (fallback: a weekday) = 2.00.
    assert working_days_between(sh(2026, 12, 31), sh(2027, 1, 2)) == Decimal("2.00")


def test_median_and_fastest_of_an_odd_list():
    durations = [
        Decimal("3.20"),
        Decimal("0.50"),
        Decimal("1.80"),
        Decimal("2.10"),
        Decimal("1.00"),
    ]

    assert median_and_fastest(durations) == (Decimal("1.80"), Decimal("0.50"))


def test_median_of_an_even_list_is_the_mean_of_the_middle_two_rounded_half_up():
    durations = iter([Decimal("1.75"), Decimal("0.50"), Decimal("1.80"), Decimal("4.00")])

    median, fastest = median_and_fastest(durations)

    assert median == Decimal("1.78")  # (1.75 + 1.80) / 2 = 1.775 → 1.78
    assert str(median) == "1.78"
    assert fastest == Decimal("0.50")


def test_median_and_fastest_of_nothing():
    assert median_and_fastest([]) == (None, None)
    assert median_and_fastest(iter(())) == (None, None)
