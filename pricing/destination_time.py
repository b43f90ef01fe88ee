"""The destination's time zone, where a parcel's promised date is counted (issue 13, item 17).

The seller is promised delivery by a *date*: a parcel delivered on that date at the
destination is on time, whatever the hour. Which date it is depends on where the recipient
is, so the shipment's country (and, in the United States, its ZIP code) picks the zone:

- a country in one time zone: that zone;
- the United States: the state of the ZIP code (its first three digits, USPS's ranges), and
  the zone where most of that state's people live (Indiana, Kentucky, Michigan: Eastern;
  Tennessee, Kansas, the Dakotas, Nebraska, Texas: Central, El Paso's 885 Mountain; Idaho:
  Boise's Mountain; Oregon: Pacific); a ZIP that names no state (military, unassigned):
  the most populous zone, Eastern;
- a country in several zones: its most populous zone (Indonesia: Jakarta; Spain and
  Portugal: the mainland);
- a country not listed: UTC (no line serves it, so no shipment goes there).
"""

import datetime
from zoneinfo import ZoneInfo

from core.timezones import SHANGHAI

UTC = ZoneInfo("UTC")

# One zone each, or the most populous: the EU, the UK and South-East Asia (the lines we
# serve, DOMAIN.md §2), and the United States' fallback.
COUNTRY_ZONES: dict[str, str] = {
    "US": "America/New_York",  # most populous; a ZIP refines it (below)
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "HR": "Europe/Zagreb",
    "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague",
    "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "GR": "Europe/Athens",
    "HU": "Europe/Budapest",
    "IT": "Europe/Rome",
    "LV": "Europe/Riga",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",  # not the Azores
    "RO": "Europe/Bucharest",
    "SK": "Europe/Bratislava",
    "SI": "Europe/Ljubljana",
    "ES": "Europe/Madrid",  # not the Canary Islands
    "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore",
    "MY": "Asia/Kuala_Lumpur",
    "TH": "Asia/Bangkok",
    "VN": "Asia/Ho_Chi_Minh",
    "PH": "Asia/Manila",
    "ID": "Asia/Jakarta",  # WIB, most of the population
}

EASTERN, CENTRAL = "America/New_York", "America/Chicago"
MOUNTAIN, PACIFIC = "America/Denver", "America/Los_Angeles"
_EASTERN_STATES = "CT DC DE FL GA KY MA MD ME MI NC NH NJ NY OH PA RI SC VA VT WV"
_CENTRAL_STATES = "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI"
STATE_ZONES: dict[str, str] = {
    **dict.fromkeys(_EASTERN_STATES.split(" "), EASTERN),
    "IN": "America/Indiana/Indianapolis",
    **dict.fromkeys(_CENTRAL_STATES.split(" "), CENTRAL),
    **dict.fromkeys(("CO", "MT", "NM", "UT", "WY"), MOUNTAIN),
    "ID": "America/Boise",
    "AZ": "America/Phoenix",  # no daylight saving time
    **dict.fromkeys(("CA", "NV", "OR", "WA"), PACIFIC),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
    "VI": "America/St_Thomas",
    "GU": "Pacific/Guam",
}
# USPS: the first three digits of a ZIP code → its state, as inclusive ranges.
_ZIP3_RANGES = """
005 005 NY; 006 007 PR; 008 008 VI; 009 009 PR; 010 027 MA; 028 029 RI; 030 038 NH;
039 049 ME; 050 054 VT; 055 055 MA; 056 059 VT; 060 069 CT; 070 089 NJ; 100 149 NY;
150 196 PA; 197 199 DE; 200 205 DC; 206 219 MD; 220 246 VA; 247 268 WV; 270 289 NC;
290 299 SC; 300 319 GA; 320 349 FL; 350 369 AL; 370 385 TN; 386 397 MS; 398 399 GA;
400 427 KY; 430 459 OH; 460 479 IN; 480 499 MI; 500 528 IA; 530 549 WI; 550 567 MN;
569 569 DC; 570 577 SD; 580 588 ND; 590 599 MT; 600 629 IL; 630 658 MO; 660 679 KS;
680 693 NE; 700 714 LA; 716 729 AR; 730 749 OK; 750 797 TX; 798 799 TX-EL-PASO;
800 816 CO; 820 831 WY;
832 838 ID; 840 847 UT; 850 865 AZ; 870 884 NM; 885 885 TX-EL-PASO; 889 898 NV;
900 961 CA; 967 968 HI; 969 969 GU; 970 979 OR; 980 994 WA; 995 999 AK
"""
ZIP3_STATES: list[tuple[int, int, str]] = [
    (int(start), int(end), state)
    for start, end, state in (
        item.split() for item in _ZIP3_RANGES.replace("\n", " ").split(";") if item.strip()
    )
]
STATE_ZONES["TX-EL-PASO"] = MOUNTAIN  # El Paso (798–799, 885) keeps Mountain time


def us_state_of_zip(postcode: str) -> str | None:
    """The state (or territory) of a US ZIP code, from its first three digits."""
    digits = postcode[:3]
    if len(digits) != 3 or not digits.isdigit():
        return None
    prefix = int(digits)
    for start, end, state in ZIP3_STATES:
        if start <= prefix <= end:
            return state
    return None


def destination_zone(country: str, postcode: str = "") -> ZoneInfo:
    """The time zone a parcel's promised date is counted in (see the module's rule)."""
    country = (country or "").upper()
    if country == "US":
        state = us_state_of_zip(postcode or "")
        if state is not None:
            return ZoneInfo(STATE_ZONES[state])
    name = COUNTRY_ZONES.get(country)
    return ZoneInfo(name) if name else UTC


def promised_date(*, picked_up_at: datetime.datetime, transit_days: int) -> datetime.date:
    """The date promised: the day of pickup (in China, Asia/Shanghai, where the parcel
    is picked up) plus the lane's transit days."""
    return picked_up_at.astimezone(SHANGHAI).date() + datetime.timedelta(days=transit_days)


def end_of_day(day: datetime.date, zone: ZoneInfo) -> datetime.datetime:
    """The last instant of ``day`` in ``zone``: delivered at or before it is on time."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=zone)
