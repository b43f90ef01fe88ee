"""The Unified Social Credit Code (统一社会信用代码, GB 32100-2015) as OCR reads it.

18 characters from ``0-9A-Z`` without I, O, Z, S and V; characters 1–8 are digits (registration
authority, entity type, administrative division); the 18th is a check character. OCR confuses
look-alike characters (O/0, I/1, Z/2, S/5, B/8 …). ``decide_uscc`` reports a code only when it
passes the check and two readings agree on it; a character that cannot stand at its position is
taken for its look-alike, nothing else is repaired.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc

from . import reasons

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18

# Entity prefixes (characters 1–2) the onboarding rules care about.
ENTERPRISE = "91"
INDIVIDUAL_BUSINESS = "92"

# A character that cannot appear at a position becomes the legal look-alike (nearly certain).
_TO_DIGIT = {
    "O": "0", "D": "0", "Q": "0", "U": "0", "C": "0",
    "I": "1", "L": "1", "J": "1", "|": "1", "!": "1", "]": "1", "[": "1",
    "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "T": "7", "E": "8", "Y": "7",
}  # fmt: skip
_TO_LEGAL = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "Y", "|": "1", "!": "1", "}": "J"}
_TO_LEGAL |= {"]": "J", "[": "1", "(": "C", "{": "C"}

# Legal characters OCR takes for one another (the number: how common, lower is more; kept as
# a record of what was seen, only the pairs are used).
_CONFUSABLE = {
    ("0", "D"): 0.6, ("0", "Q"): 0.7, ("0", "U"): 1.0, ("0", "C"): 1.0, ("0", "8"): 1.1,
    ("8", "B"): 0.6, ("6", "G"): 0.7, ("1", "L"): 0.8, ("1", "T"): 0.9, ("7", "T"): 0.8,
    ("4", "A"): 0.9, ("2", "Z"): 0.5, ("5", "S"): 0.5, ("1", "J"): 1.0, ("9", "P"): 1.2,
    ("3", "8"): 1.0, ("5", "6"): 1.0, ("6", "8"): 1.0, ("1", "7"): 1.0, ("9", "0"): 1.2,
    ("E", "F"): 0.8, ("P", "R"): 0.8, ("C", "G"): 0.8, ("M", "N"): 0.9, ("H", "N"): 1.0,
    ("K", "X"): 0.9, ("X", "Y"): 0.9, ("U", "W"): 1.0, ("V", "Y"): 0.5, ("H", "M"): 1.1,
    ("0", "O"): 0.2, ("1", "I"): 0.2, ("8", "S"): 0.7, ("6", "S"): 1.0, ("2", "7"): 1.2,
    ("Y", "T"): 1.1, ("W", "N"): 1.1, ("D", "P"): 1.2, ("J", "]"): 0.3, ("1", "]"): 0.5,
    ("C", "("): 0.3, ("G", "("): 0.8, ("7", "Y"): 1.0, ("8", "E"): 1.1,
}  # fmt: skip
_ALTERNATIVES: dict[str, dict[str, float]] = {}
for (_a, _b), _cost in _CONFUSABLE.items():
    _ALTERNATIVES.setdefault(_a, {})[_b] = _cost
    _ALTERNATIVES.setdefault(_b, {})[_a] = _cost

_CANDIDATE = re.compile(r"[0-9A-Z|!\[\]{}(]{16,20}")


def is_valid(code: str | None) -> bool:
    return bool(code and stdnum_uscc.is_valid(code))


def is_enterprise(code: str) -> bool:
    return code.startswith(ENTERPRISE)


def is_individual_business(code: str) -> bool:
    return code.startswith(INDIVIDUAL_BUSINESS)


def compact(raw: str) -> str:
    """Upper case, without spaces and separators OCR puts inside a code."""
    return re.sub(r"[\s\-_.,:;·'\"`]", "", raw).upper()


def find_candidates(text: str) -> list[str]:
    """Code-like runs (16–20 characters) in free OCR text, spaces removed."""
    return _CANDIDATE.findall(compact(text))


def _allowed(position: int) -> str:
    return "0123456789" if position < 8 else ALPHABET


def _normalise(char: str, position: int) -> str:
    """The legal character for ``char`` at ``position``: itself, its only look-alike that can
    stand there (O → 0 among the digits), or ? when there is none."""
    if char in _allowed(position):
        return char
    table = _TO_DIGIT if position < 8 else _TO_LEGAL
    return table.get(char, "?")


def _normalised(reading: str) -> str:
    return "".join(_normalise(char, i) for i, char in enumerate(reading))


# Why a code read from a licence is not reported (``UsccDecision.reason``).
DISAGREE = reasons.USCC_DISAGREE
UNCONFIRMED = reasons.USCC_UNCONFIRMED
NOT_VALID = reasons.USCC_CHECK_FAILS
NOT_READ = reasons.USCC_NOT_READ


@dataclass(frozen=True)
class UsccDecision:
    code: str | None  # the code, only when it is sure
    reason: str | None  # why not, when ``code`` is None


def decide_uscc(readings: Sequence[str | None]) -> UsccDecision:
    """A code is sure only when its check character holds **and** two readings agree on it.

    Readings are compared once characters that cannot stand at their position are replaced by
    their look-alikes (O→0 among the digits …). A valid code is supported by each reading that
    is the same code, or that fails the check and differs from it in one character only, a
    known look-alike (``…D01095`` read ``…001095``): that reading saw the same code and
    misread one character of it. A code with two supporting readings, and more than any other
    valid code, is sure. Nothing else is repaired into a reported code: each substitution
    that makes a code pass is right only 30 times in 31, so a repaired code is a guess. Two
    readings that make two different valid codes disagree (a licence's main pass once read
    ``…AXVW945`` where ``…AXW945Q`` was printed, and V→Y made that valid too). The caller adds
    readings (another crop, another size) while there is no answer.
    """
    normalised = [_normalised(compact(r)) for r in readings if r]
    normalised = [r for r in normalised if len(r) == LENGTH]
    if not normalised:
        return UsccDecision(None, NOT_READ)
    valid = sorted({r for r in normalised if stdnum_uscc.is_valid(r)})
    if not valid:
        return UsccDecision(None, NOT_VALID)
    support = {code: sum(_supports(r, code) for r in normalised) for code in valid}
    ranked = sorted(support.values(), reverse=True)
    best = max(valid, key=support.__getitem__)
    if ranked[0] < 2:
        return UsccDecision(None, DISAGREE if len(valid) > 1 else UNCONFIRMED)
    if len(ranked) > 1 and ranked[1] * 2 > ranked[0] - 1:
        # another valid code is read too: only a clear majority (3 against 1) settles it
        return UsccDecision(None, DISAGREE)
    return UsccDecision(best, None)


def _supports(reading: str, code: str) -> bool:
    if reading == code:
        return True
    if stdnum_uscc.is_valid(reading):
        return False
    differences = [i for i in range(LENGTH) if reading[i] != code[i]]
    if len(differences) != 1:
        return False
    i = differences[0]
    return code[i] in _ALTERNATIVES.get(reading[i], {})
