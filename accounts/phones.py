"""Mobile numbers: a seller's number for SMS alerts, as sellers type it and as it is kept.

Sellers are mainland enterprises and the SMS gateway is a mainland one, so a number is a
mainland mobile number: 11 digits, 1 then 3–9 then nine more. It is typed in many ways
("138 0013 8000", "138-0013-8000", "+86 13800138000", "0086 13800138000", full-width
digits from a Chinese input method) and kept one way, as E.164: "+8613800138000".
"""

import re

from core.normalise import normalise_code

from .exceptions import InvalidMobileNumber

MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only, as the database checks
_SEPARATORS = re.compile(r"[\s\-().]")
_COUNTRY_PREFIXES = ("+86", "0086", "86")


def mobile_normalize(raw: str) -> str:
    """The number as E.164, or "" for a blank entry (no SMS). Raises ``InvalidMobileNumber``
    for anything that is not a mainland mobile number."""
    # NFKC turns full-width digits and the full-width plus into ASCII; spaces go too.
    text = _SEPARATORS.sub("", normalise_code(raw))
    if not text:
        return ""
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
            break
    if not MAINLAND_MOBILE.fullmatch(text):
        raise InvalidMobileNumber()
    return f"+86{text}"


def mobile_display(e164: str) -> str:
    """Show a kept number as people read it: "+8613800138000" → "+86 138 0013 8000"."""
    if not e164:
        return ""
    digits = e164.removeprefix("+86")
    return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
