"""Asia/Shanghai, where the portal's days are counted: prices, trials, statements, ID
validity. Event times stay aware datetimes in UTC; a *date* is a Shanghai date."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_date(on: datetime.date | datetime.datetime) -> datetime.date:
    """The date of ``on`` in Asia/Shanghai; a datetime must be timezone-aware."""
    if isinstance(on, datetime.datetime):
        if timezone.is_naive(on):
            raise ValueError("on_date: a naive datetime is ambiguous; pass an aware one")
        return on.astimezone(SHANGHAI).date()
    return on


def today_shanghai() -> datetime.date:
    return timezone.now().astimezone(SHANGHAI).date()
