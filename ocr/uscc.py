"""The Unified Social Credit Code (统一社会信用代码, GB 32100-2015) as OCR reads it.

18 characters from ``0-9A-Z`` without I, O, Z, S and V; characters 1–8 are digits (registration
authority, entity type, administrative division); the 18th is a check character. OCR confuses
look-alike characters (O/0, I/1, Z/2, S/5, B/8 …). ``repair_uscc`` uses the alphabet, the
structure and the check character to repair such confusions, and only ever calls a code valid
when it passes the check.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc

from . import reasons

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18

# Entity prefixes (characters 1–2) the onboarding rules care about.
ENTERPRISE = "91"
INDIVIDUAL_BUSINESS = "92"

# Province-level division codes: the first two digits of characters 3–8.
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

# A character that cannot appear at a position becomes the legal look-alike (nearly certain).
_TO_DIGIT = {
    "O": "0", "D": "0", "Q": "0", "U": "0", "C": "0",
    "I": "1", "L": "1", "J": "1", "|": "1", "!": "1", "]": "1", "[": "1",
    "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "T": "7", "E": "8", "Y": "7",
}  # fmt: skip
_TO_LEGAL = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "Y", "|": "1", "!": "1", "}": "J"}
_TO_LEGAL |= {"]": "J", "[": "1", "(": "C", "{": "C"}

# Legal characters OCR takes for one another, with a cost (lower = more common confusion).
_CONFUSABLE = {
    ("0", "D"): 0.6, ("0", "Q"): 0.7, ("0", "U"): 1.0, ("0", "C"): 1.0, ("0", "8"): 1.1,
    ("8", "B"): 0.6, ("6", "G"): 0.7, ("1", "L"): 0.8, ("1", "T"): 0.9, ("7", "T"): 0.8,
    ("4", "A"): 0.9, ("2", "Z"): 0.5, ("5", "S"): 0.5, ("1", "J"): 1.0, ("9", "P"): 1.2,
    ("3", "8"): 1.0, ("5", "6"): 1.0, ("6", "8"): 1.0, ("1", "7"): 1.0, ("9", "0"): 1.2,
    ("E", "F"): 0.8, ("P", "R"): 0.8, ("C", "G"): 0.8, ("M", "N"): 0.9, ("H", "N"): 1.0,
    ("K", "X"): 0.9, ("X", "Y"): 0.9, ("U", "W"): 1.0, ("V", "Y"): 0.5, ("H", "M"): 1.1,
    ("0", "O"): 0.2, ("1", "I"): 0.2, ("8", "S"): 0.7, ("6", "S"): 1.0, ("2", "7"): 1.2,
    ("Y", "T"): 1.1, ("W", "N"): 1.1, ("D", "P"): 1.2, ("J", "]"): 0.3, ("1", "]"): 0.5,
    ("C", "("): 0.3, ("G", "("): 0.8,
}  # fmt: skip
_ALTERNATIVES: dict[str, dict[str, float]] = {}
for (_a, _b), _cost in _CONFUSABLE.items():
    _ALTERNATIVES.setdefault(_a, {})[_b] = _cost
    _ALTERNATIVES.setdefault(_b, {})[_a] = _cost

_FORCED_COST = 0.15
_UNRELATED_COST = 1.5
# Every candidate tried is another chance to hit a wrong code that happens to pass the check
# (1 in 31), so only likely substitutions are tried: cheap look-alikes, or characters another
# reading of the same code saw.
_SINGLE_LIMIT = 0.8
_DOUBLE_LIMIT = 0.65
_AMBIGUITY_MARGIN = 0.3

_CANDIDATE = re.compile(r"[0-9A-Z|!\[\]{}(]{16,20}")


@dataclass(frozen=True)
class UsccReading:
    code: str | None  # 18 characters, or None when nothing code-like was read
    valid: bool  # passes the GB 32100-2015 check
    repaired: bool = False  # characters were changed to make it pass


def is_valid(code: str | None) -> bool:
    return bool(code) and stdnum_uscc.is_valid(code)


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


def _normalise(char: str, position: int) -> tuple[str, float]:
    """The legal character for ``char`` at ``position`` and the cost of the change."""
    if char in _allowed(position):
        return char, 0.0
    table = _TO_DIGIT if position < 8 else _TO_LEGAL
    if char in table:
        return table[char], _FORCED_COST
    return "?", 2.0


def _structure_penalty(code: str) -> float:
    """Codes that break the known structure are possible but unlikely."""
    penalty = 0.0
    if code[0] == "9" and code[1] not in "123":
        penalty += 1.5
    if code[2:4] not in PROVINCES:
        penalty += 1.5
    return penalty


def _char_cost(raw: str, candidate: str, position: int) -> float:
    """How unlikely it is that OCR read ``raw`` where ``candidate`` was printed."""
    if raw == candidate:
        return 0.0
    normal, forced = _normalise(raw, position)
    if normal == candidate:
        return forced
    known = [
        _ALTERNATIVES.get(raw, {}).get(candidate),
        _ALTERNATIVES.get(normal, {}).get(candidate),
    ]
    known = [cost for cost in known if cost is not None]
    return min(known) if known else _UNRELATED_COST


def _position_costs(readings: list[str], position: int) -> dict[str, float]:
    """Mean cost over the readings of each plausible character at ``position``."""
    allowed = _allowed(position)
    pool = set()
    for reading in readings:
        raw = reading[position]
        normal, _cost = _normalise(raw, position)
        for char in (raw, normal):
            if char in allowed:
                pool.add(char)
            pool.update(alt for alt in _ALTERNATIVES.get(char, {}) if alt in allowed)
    # sorted: ties between equally likely characters must not depend on hash order
    return {
        candidate: sum(_char_cost(r[position], candidate, position) for r in readings)
        / len(readings)
        for candidate in sorted(pool)
    }


def _normalised(reading: str) -> str:
    return "".join(_normalise(char, i)[0] for i, char in enumerate(reading))


MAX_DISAGREEMENTS = 3


def _disagreements(readings: list[str]) -> int:
    return sum(1 for chars in zip(*readings, strict=True) if len(set(chars)) > 1)


def repair_uscc(*readings: str | None) -> UsccReading:
    """The most likely valid code given one or more OCR readings of the same code.

    Readings of the wrong length are ignored. A reading that is valid once impossible
    characters are replaced (O→0 in the digits …) wins, the most frequent first. Otherwise
    each position votes and one or two likely look-alike substitutions are tried; a valid
    candidate is returned when no other is about as likely; failing that, the best reading
    with ``valid=False``.
    """
    usable = [compact(r) for r in readings if r]
    usable = [r for r in usable if len(r) == LENGTH]
    if not usable:
        fallback = next((compact(r) for r in readings if r), None)
        return UsccReading(code=fallback or None, valid=False)
    normalised = [_normalised(r) for r in usable]
    valid_as_read = [n for n in normalised if stdnum_uscc.is_valid(n)]
    if valid_as_read:
        best = max(
            valid_as_read, key=lambda code: (valid_as_read.count(code), -normalised.index(code))
        )
        return UsccReading(code=best, valid=True, repaired=best not in usable)
    if len(set(normalised)) > 1 and _disagreements(normalised) > MAX_DISAGREEMENTS:
        # Readings this different are misaligned (a character added or lost): voting
        # position by position would only manufacture a code that happens to be valid.
        return UsccReading(code=usable[0], valid=False)
    costs = [_position_costs(usable, i) for i in range(LENGTH)]
    if any(not options for options in costs):
        return UsccReading(code=usable[0], valid=False)
    base = [min(options, key=options.get) for options in costs]
    base_code = "".join(base)
    raw_equal = base_code in usable

    valid: dict[str, float] = {}

    def consider(chars: list[str]) -> None:
        code = "".join(chars)
        if "?" not in code and stdnum_uscc.is_valid(code):
            cost = sum(costs[i][c] for i, c in enumerate(chars)) + _structure_penalty(code)
            valid[code] = min(cost, valid.get(code, cost))

    consider(base)
    deviations = [
        (i, char, cost - costs[i][base[i]])
        for i, options in enumerate(costs)
        for char, cost in options.items()
        if char != base[i]
    ]
    for i, char, _delta in (d for d in deviations if d[2] <= _SINGLE_LIMIT):
        consider([*base[:i], char, *base[i + 1 :]])
    cheap = [d for d in deviations if d[2] <= _DOUBLE_LIMIT]
    for (i, a, _), (j, b, _) in itertools.combinations(cheap, 2):
        if i != j:
            chars = list(base)
            chars[i], chars[j] = a, b
            consider(chars)
    if not valid:
        return UsccReading(code=base_code.replace("?", "") or None, valid=False)
    ranked = sorted(valid.items(), key=lambda item: item[1])
    best, best_cost = ranked[0]
    if len(ranked) > 1 and ranked[1][1] - best_cost < _AMBIGUITY_MARGIN:
        return UsccReading(code=base_code, valid=stdnum_uscc.is_valid(base_code))
    return UsccReading(code=best, valid=True, repaired=not (raw_equal and best == base_code))


# Why a code read from a licence is not reported (``UsccDecision.reason``).
DISAGREE = reasons.USCC_DISAGREE
UNCONFIRMED = reasons.USCC_UNCONFIRMED
NOT_VALID = reasons.USCC_CHECK_FAILS
NOT_READ = reasons.USCC_NOT_READ


@dataclass(frozen=True)
class UsccDecision:
    code: str | None  # the code, only when it is sure
    reason: str | None  # why not, when ``code`` is None


def decide_uscc(readings: list[str | None]) -> UsccDecision:
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
