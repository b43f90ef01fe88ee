"""UPU S10 tracking numbers: two letters, an 8-digit serial, a check digit, the country.

``LJ123456785CN``: ``L`` is the S10 service indicator for tracked small packets, ``J`` ours
(经络). The serial comes from a PostgreSQL sequence, so two workers never draw the same one.
"""

import re

from django.db import connection

PREFIX = "LJ"
# Test mode (an API ``jl_test_`` key): ``LT…CN`` from the same sequence, so a test parcel is
# told apart at a glance and never collides with a live one.
TEST_PREFIX = "LT"
COUNTRY = "CN"
SEQUENCE = "shipments_tracking_serial"
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_FORMAT = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")


def check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError(f"an S10 serial has 8 digits, got {serial!r}")
    total = sum(int(digit) * weight for digit, weight in zip(serial, WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 5}.get(digit, digit)


def format_s10(serial: int, *, prefix: str = PREFIX, country: str = COUNTRY) -> str:
    digits = f"{serial:08d}"
    return f"{prefix}{digits}{check_digit(digits)}{country}"


def is_valid(number: str) -> bool:
    number = number.strip().upper()
    return bool(S10_FORMAT.fullmatch(number)) and check_digit(number[2:10]) == int(number[10])


def next_serials(count: int) -> list[int]:
    """``count`` fresh serials from the sequence, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, %s)",  # noqa: S608
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def tracking_numbers(count: int, *, livemode: bool = True) -> list[str]:
    prefix = PREFIX if livemode else TEST_PREFIX
    return [format_s10(serial, prefix=prefix) for serial in next_serials(count)]
