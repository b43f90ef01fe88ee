"""The one font every PDF of the portal embeds: labels, customs forms, statements, letters.

WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, Apache-2.0/GPL) has TrueType outlines, so
reportlab embeds it, subset to the characters used: a label prints the same on any printer,
and ``pdffonts`` lists every font as embedded. It covers Chinese (GB 18030 hanzi, 鑫 included)
and Latin. A character it lacks (an emoji, a rare symbol) would print as a box: ``printable``
replaces it with a visible ``?`` and ``unprintable`` names it, so the seller is told when the
order is created. ``PDF_FONT_PATH`` points elsewhere (a .ttf or .ttc with TrueType outlines).
"""

import functools
import os

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "JingluoSans"
DEFAULT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
REPLACEMENT = "?"


@functools.cache
def font() -> TTFont:
    """Register the font (once per process) and return it."""
    path = os.environ.get("PDF_FONT_PATH", DEFAULT_PATH)
    ttf = TTFont(FONT, path, subfontIndex=0)
    pdfmetrics.registerFont(ttf)
    return ttf


def _covered(char: str) -> bool:
    return char in "\n\t" or ord(char) in font().face.charToGlyph


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` the font lacks, each once, in order of appearance."""
    return list(dict.fromkeys(char for char in text if not _covered(char)))


def printable(text: str) -> str:
    """``text`` with every character the font lacks replaced by a visible ``?``."""
    return "".join(char if _covered(char) else REPLACEMENT for char in text)
