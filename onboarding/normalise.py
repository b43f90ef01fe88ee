"""Text comparison as a reviewer would do it: full/half width, spaces and brackets ignored."""

import re
import unicodedata

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_IGNORED = re.compile(r"[\s·・.,，。、:：;；\-—_\"'“”‘’]+")


def normalise_text(value: str | None) -> str:
    """NFKC (full width → half width), brackets unified, spaces and punctuation removed,
    Latin letters upper-cased."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS)
    return _IGNORED.sub("", text).upper()


def same_text(a: str | None, b: str | None) -> bool:
    return bool(normalise_text(a)) and normalise_text(a) == normalise_text(b)
