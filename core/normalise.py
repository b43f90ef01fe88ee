"""Seller input as it is typed or pasted: full-width characters, spaces around and inside.

One normaliser for every input that is a code or a number (postcode, USCC, ID number, HS
code, weight, dimensions, phone): NFKC turns full-width digits and letters (``９４１０５``) into
ASCII, the text is trimmed, and a code loses the spaces inside it (a pasted
``9144 0300 MA5F XK3Q 6D``). Free text (a name, an address) is NFKC'd and trimmed, its inner
runs of spaces kept as one. Forms and files call these before any other check, so that a
malformed value is refused for what it is (a postcode error), never as something else.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_code(value: object, *, upper: bool = True) -> str:
    """A code or number as typed: NFKC, no whitespace anywhere, upper case by default."""
    if value is None:
        return ""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    return text.upper() if upper else text


def normalise_free_text(value: object) -> str:
    """Free text as typed: NFKC, trimmed, inner whitespace runs made one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
