"""Administrative division names (行政区划), from the table python-stdnum ships for ``cn.ric``.

A company's name and address usually start with the names of its registration region, and the
USCC says which region that is (characters 3–8). OCR often misreads one character of a rarer
place name (番禺区 → 番昌区); the region names let that character be put right.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import stdnum

_LOC = Path(stdnum.__file__).parent / "cn" / "loc.dat"
_ENTRY = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")
_GENERIC = {"市辖区", "县", "郊区", "市区", "矿区"}


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    """6-digit code → names in use today."""
    table: dict[str, tuple[str, ...]] = {}
    province = ""
    for raw in _LOC.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        code, _sep, props = raw.strip().partition(" ")
        value = props.partition("=")[2].strip().strip('"')
        if not raw.startswith(" "):
            province = code
            table[f"{code}0000"] = (value,)
            continue
        names = []
        for entry in value.split(","):
            match = _ENTRY.match(entry)
            if match and not match[2] and match[3] not in _GENERIC:
                names.append(match[3])
        if names:
            table[province + code] = tuple(names)
    return table


def region_names(division: str) -> tuple[str, ...]:
    """Province, prefecture and county names around a 6-digit division code, longest first."""
    if not re.fullmatch(r"\d{6}", division or ""):
        return ()
    table = _table()
    names = set(table.get(f"{division[:2]}0000", ()))
    names.update(table.get(f"{division[:4]}00", ()))
    for code, entries in table.items():
        if code.startswith(division[:4]) and not code.endswith("00"):
            names.update(entries)
    return tuple(sorted(names, key=len, reverse=True))


@functools.cache
def _all_names() -> tuple[str, ...]:
    names = {name for entries in _table().values() for name in entries}
    return tuple(sorted(names, key=len, reverse=True))


def starts_with_region(text: str, division: str = "") -> bool:
    """Whether ``text`` begins with the name of a region: one around ``division`` when it is
    given (a company is registered where its USCC says), else any region of the table.

    Company names are 行政区划 + 字号 + 行业 + 组织形式: a name that begins with no region's
    name was misread at its start (上士海市 …) or is not a company name.
    """
    names = region_names(division) if division else _all_names()
    return any(text.startswith(name) for name in names)


def snap_region_prefix(text: str, division: str) -> str:
    """``text`` with its leading region names corrected where one character was misread.

    Only names of three or more characters whose last character (省/市/区/县…) was read right
    are corrected, so a trade name is never taken for a place.
    """
    names = region_names(division)
    position = 0
    for _round in range(3):
        exact = next((n for n in names if text.startswith(n, position)), None)
        if exact is None:
            near = [n for n in names if _one_off(text[position : position + len(n)], n)]
            if len(near) != 1:
                return text
            exact = near[0]
            text = text[:position] + exact + text[position + len(exact) :]
        position += len(exact)
    return text


def _one_off(piece: str, name: str) -> bool:
    return (
        len(name) >= 3
        and len(piece) == len(name)
        and piece[-1] == name[-1]
        and sum(a != b for a, b in zip(piece, name, strict=True)) == 1
    )
