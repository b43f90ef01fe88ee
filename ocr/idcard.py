"""Fields of the resident ID card (居民身份证).

Front: 姓名 and 公民身份号码 (validated with ``stdnum.cn.ric``; OCR confusions are repaired only
toward a valid number). Back: 有效期限 ``YYYY.MM.DD-YYYY.MM.DD`` or ``YYYY.MM.DD-长期``. The number
and the validity period are read a second time from a crop of their line.
"""

from __future__ import annotations

import datetime as dt
import re

import cv2
import numpy as np
from stdnum.cn import ric

from . import engine, reasons, text
from .engine import Line, Page, Word

FRONT_KEYS = ("name", "id_number")
BACK_KEYS = ("valid_from", "valid_until")
FRONT_LABELS = {"name": ("姓名",), "id_number": ("公民身份号码", "身份号码")}
BACK_LABELS = {"validity": ("有效期限", "有效期"), "authority": ("签发机关",)}
_LINE_HEIGHT = 44

_DIGIT = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "|": "1", "Z": "2", "S": "5"}
_DIGIT |= {"B": "8", "G": "6", "T": "7", "A": "4", "x": "X", "×": "X"}
_DIGIT_CONFUSIONS = {
    "0": "86",
    "1": "7",
    "3": "8",
    "5": "6",
    "6": "58",
    "7": "1",
    "8": "360",
    "9": "0",
}


# ---------------------------------------------------------------- back


def extract_back(page: Page, words: list[Word]) -> tuple[dict, dict, dict, bool]:
    lines = engine.group_lines(words)
    fields: dict[str, object] = dict.fromkeys(BACK_KEYS)
    confidences: dict[str, float] = {}
    segments = text.split_columns(lines, boundary=None, gap_factor=4.0)
    found = text.collect_fields(segments, BACK_LABELS, continues=set())
    readings: list[tuple[str, float]] = []
    box = None
    validity = found.get("validity")
    if validity is not None and validity.value_words:
        readings.append((validity.text, validity.confidence or 0.0))
        box = _box(validity.value_words)
    else:
        # no label: any line holding a date range
        for line in lines:
            if _parse_period(line.text):
                readings.append((line.text, _mean(line.words)))
                box = _box(line.words)
                break
    # read again from crops (grey, then binarised) while no reading is a plausible period
    for image in (page.gray, page.binary):
        if box is None or (_choose_period(readings)[0] is not None and len(readings) > 1):
            break
        crop_text, crop_conf = _read_crop(image, box, lang="chi_sim")
        if crop_text:
            readings.append((crop_text, crop_conf))
    if validity is None and _choose_period(readings)[0] is None:
        # the main pass dropped the lines under the large title (it happens on small photos):
        # read the lower half, where they stand, as one block of text
        lower = page.gray[page.gray.shape[0] // 2 :]
        for line in engine.group_lines(engine.ocr_words(lower, lang="chi_sim", psm=6)):
            if _parse_period(line.text):
                readings.append((line.text, _mean(line.words)))
    period, conf = _choose_period(readings)
    unsure: dict[str, str] = {}
    if period is not None:
        fields["valid_from"], fields["valid_until"] = period
        confidences["valid_from"] = confidences["valid_until"] = conf
    else:
        # a period that is not 5, 10 or 20 years to the day (or 长期) was misread
        reason = (
            reasons.READINGS_DISAGREE
            if any(_parse_period(r) for r, _c in readings)
            else reasons.NOT_READ
        )
        unsure["valid_from"] = unsure["valid_until"] = reason
    return fields, confidences, unsure, bool(found)


def _parse_period(raw: str) -> tuple[str, str | None] | None:
    compact = re.sub(r"\s+", "", raw)
    unlimited = "长期" in compact or "长" in compact[-3:] or "期" in compact[-2:]
    digits = "".join(_DIGIT.get(c, c) for c in compact if c.isdigit() or c in _DIGIT)
    digits = re.sub(r"\D", "", digits)
    start = _date(digits[:8])
    if start is None:
        return None
    if len(digits) >= 16:
        end = _date(digits[8:16])
        return (start.isoformat(), end.isoformat()) if end and end > start else None
    if unlimited:
        return start.isoformat(), None
    return None


def _plausible(period: tuple[str, str | None]) -> bool:
    """ID cards run 5, 10 or 20 years to the same day, or are 长期 (long-term)."""
    start, end = period
    if end is None:
        return True
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return (b.month, b.day) in ((a.month, a.day), (2, 28)) and b.year - a.year in (5, 10, 20)


def _choose_period(readings: list[tuple[str, float]]):
    parsed = [(p, conf) for raw, conf in readings if (p := _parse_period(raw))]
    if not parsed:
        return None, 0.0
    plausible = [item for item in parsed if _plausible(item[0])]
    if not plausible:
        return None, 0.0
    period, conf = max(plausible, key=lambda item: item[1])
    return period, round(conf, 1)


def _date(digits: str) -> dt.date | None:
    if len(digits) != 8:
        return None
    try:
        date = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return date if 1980 <= date.year <= 2100 else None


# ---------------------------------------------------------------- front


def extract_front(page: Page, words: list[Word]) -> tuple[dict, dict, dict, bool]:
    lines = engine.group_lines(words)
    fields: dict[str, object] = dict.fromkeys(FRONT_KEYS)
    confidences: dict[str, float] = {}
    segments = text.split_columns(lines, boundary=None, gap_factor=4.0)
    found = text.collect_fields(segments, FRONT_LABELS, continues=set())
    name = found.get("name")
    value, conf = None, 0.0
    if name is not None:
        value = "".join(c for c in name.text if text.is_cjk(c) or c == "·")
        conf = name.confidence or 0.0
    if not value or not 2 <= len(value) <= 8:
        value, conf = _name_above_sex(lines)
    if value and 2 <= len(value) <= 8:
        fields["name"] = value
        confidences["name"] = conf
    readings, box = _number_readings(lines, found.get("id_number"))
    if box is not None:
        crop_text, crop_conf = _read_crop(
            page.gray, box, lang="eng", whitelist="0123456789X", psm=7
        )
        if crop_text:
            readings.insert(0, (crop_text, crop_conf))
    number, conf = repair_id_number([r for r, _c in readings]), _mean_conf(readings)
    if number:
        fields["id_number"] = number
        confidences["id_number"] = conf
    unsure = {key: reasons.NOT_READ for key in FRONT_KEYS if fields[key] is None}
    return fields, confidences, unsure, bool(found)


def _name_above_sex(lines: list[Line]) -> tuple[str | None, float]:
    """The name is the line above 性别/民族 (its label is light blue and often not read)."""
    anchor = next((ln for ln in lines if "民族" in ln.text or "性别" in ln.text), None)
    if anchor is None:
        return None, 0.0
    above = [
        ln
        for ln in lines
        if ln.bottom <= anchor.top + anchor.height // 2
        and anchor.top - ln.bottom < 3 * anchor.height
        and any(text.is_cjk(c) for c in ln.text)
    ]
    if not above:
        return None, 0.0
    line = max(above, key=lambda ln: ln.top)
    raw = line.text
    for label, latest in (("姓名", 2), ("名", 2)):
        index = raw.find(label)
        if 0 <= index <= latest and len(raw) - index - len(label) >= 2:
            raw = raw[index + len(label) :]
            break
    value = "".join(c for c in raw if text.is_cjk(c) or c == "·")
    return value or None, _mean(line.words)


def _number_readings(lines: list[Line], labelled: text.Field | None):
    readings, box = [], None
    if labelled is not None and labelled.value_words:
        readings.append((labelled.text, labelled.confidence or 0.0))
        box = _box(labelled.value_words)
    for line in lines:
        compact = "".join(_DIGIT.get(c, c) for c in re.sub(r"\s+", "", line.text))
        match = re.search(r"\d{17}[\dX]", compact)
        if match:
            readings.append((match[0], _mean(line.words)))
            if box is None:
                box = _box(line.words)
    return readings, box


def repair_id_number(readings: list[str]) -> str | None:
    """The first reading that is, or becomes with one look-alike digit, a valid number; a
    repair counts only when exactly one substitution makes the number valid."""
    for raw in readings:
        compact = "".join(_DIGIT.get(c, c) for c in re.sub(r"\s+", "", raw.upper()))
        for match in re.finditer(r"\d{17}[\dX]", compact):
            if _ric_valid(match[0]):
                return match[0]
    for raw in readings:
        compact = "".join(_DIGIT.get(c, c) for c in re.sub(r"\s+", "", raw.upper()))
        found = re.search(r"\d{17}[\dX]", compact)
        if not found:
            continue
        number = found[0]
        repaired = {
            number[:i] + alt + number[i + 1 :]
            for i, char in enumerate(number)
            for alt in _DIGIT_CONFUSIONS.get(char, "")
        }
        valid = [n for n in repaired if _ric_valid(n)]
        if len(valid) == 1:
            return valid[0]
    return None


# ---------------------------------------------------------------- helpers


def _ric_valid(number: str) -> bool:
    """Valid per ``stdnum.cn.ric`` and born between 1900 and today (stdnum takes any year)."""
    try:
        if not ric.is_valid(number):
            return False
    except (KeyError, ValueError):  # stdnum's region lookup on codes it does not know
        return False
    birth = ric.get_birth_date(number)
    return dt.date(1900, 1, 1) <= birth <= dt.datetime.now(tz=dt.UTC).date()


def _read_crop(gray: np.ndarray, box, *, lang: str, whitelist: str = "", psm: int = 7):
    _left, top, _right, bottom = box
    h = max(bottom - top, 8)
    region = engine.crop(gray, box, pad=max(4, h // 3))
    if region.size == 0:
        return None, 0.0
    scale = _LINE_HEIGHT / h
    if scale > 1.1 or scale < 0.7:
        region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    region = cv2.copyMakeBorder(region, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    config = f"-c tessedit_char_whitelist={whitelist}" if whitelist else ""
    words = engine.ocr_words(region, psm=psm, lang=lang, config=config)
    if not words:
        return None, 0.0
    return "".join(w.text for w in words), _mean(words)


def _box(words: list[Word]):
    return (
        min(w.left for w in words),
        min(w.top for w in words),
        max(w.right for w in words),
        max(w.bottom for w in words),
    )


def _mean(words: list[Word]) -> float:
    return round(sum(w.conf for w in words) / len(words), 1) if words else 0.0


def _mean_conf(readings) -> float:
    return round(max((c for _r, c in readings), default=0.0), 1)
