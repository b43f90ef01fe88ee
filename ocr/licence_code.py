"""The USCC on a licence: where it stands, and its readings until two agree.

The code is read in the main pass; then from a crop of its line by the line model
(``line_model``), by the second network (one reading more: it never settles a code alone, two
readings must agree), by Tesseract's English model restricted to the code's alphabet, by the
Chinese model (other confusions), binarised and larger, until ``uscc.decide_uscc`` is sure of it
or the readings run out. Where the main pass read no code and the crop below its label settled
nothing, the line model looks for the code at the top of the page."""

from __future__ import annotations

import re

import cv2
import numpy as np

from . import engine, line_model, text
from .engine import Line, Page, Word
from .uscc import UsccDecision, decide_uscc

USCC_WHITELIST = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# "}" "]" are how a serif J often comes out, "(" a C
_CODE_RUN = re.compile(r"[0-9A-Z|}\](]{15,22}")
_CODE_LINE_HEIGHT = 44  # pixels the code crop is scaled to (Tesseract likes ~30–50 px)
_CODE_LINE_HEIGHT_LARGE = 60  # a last reading, larger
LINE_MODEL = "line model"  # a crop read by ``line_model`` instead of Tesseract
SECOND_MODEL = "second line model"  # a crop read by ``line_model.SECOND``
_NETWORKS = {LINE_MODEL: line_model.FIRST, SECOND_MODEL: line_model.SECOND}


def read_uscc(
    page: Page, lines: list[Line], label_field: text.Field | None
) -> tuple[UsccDecision, float]:
    """The code, read from the main pass and again from a crop of its line; while no two
    readings agree (``decide_uscc``), once more from the binarised crop and a larger one."""
    candidates = _code_candidates(lines)
    label_box = _label_box(lines)
    chosen = None
    if candidates:
        if label_box is not None:
            # nearest to the label, below it or on its right
            chosen = min(
                candidates,
                key=lambda c: abs(c[1][1] - label_box[3]) + abs(c[1][0] - label_box[0]) / 4,
            )
        else:
            chosen = next((c for c in candidates if c[0].startswith("9")), candidates[0])
    readings: list[str] = []
    confs: list[float] = []
    box = None
    if chosen is not None:
        readings.append(_trim(chosen[0]))
        box, confs = chosen[1], [chosen[2]]
    elif label_box is not None:
        left, _top, _right, bottom = label_box
        h = label_box[3] - label_box[1]
        box = (left - h // 2, bottom, left + 14 * h, bottom + 2 * h)
    if label_field is not None and not readings:
        readings.extend(_trim(r) for r in _CODE_RUN.findall(label_field.text.upper()))
    decision = decide_uscc(readings)
    modelled = None
    if box is not None:
        decision, modelled = _read_again(page, box, readings, confs, decision, model_read=False)
    if chosen is None and decision.code is None:
        # the main pass read no code and the crop below its label settled nothing: the line
        # model looks for the code in the lines at the top of the page, where it is printed,
        # and its box is read again; its reading replaces its reading below the label (one
        # model reads the code once)
        found = _code_by_line_model(page, lines)
        if found is not None:
            box, reading = found
            if modelled is not None:
                readings.remove(modelled)
            readings.append(reading)
            decision, _modelled = _read_again(
                page, box, readings, confs, decide_uscc(readings), model_read=True
            )
    confidence = round(sum(confs) / len(confs), 1) if confs else 0.0
    return decision, confidence


def _read_again(
    page: Page,
    box: tuple,
    readings: list[str],
    confs: list[float],
    decision: UsccDecision,
    *,
    model_read: bool,
) -> tuple[UsccDecision, str | None]:
    """The code's crop read until ``decide_uscc`` is sure: by the line model (another kind of
    reader: its mistakes are not Tesseract's; not again when it found the box), by the second
    network (a J the first reads as a bracket), then English restricted to the code's alphabet,
    then Chinese (another model, other confusions), then English again on the binarised and on
    a larger crop. Appends to ``readings``, ``confs``;
    returns the decision and the line model's reading, if it made one."""
    modelled = None
    for image, height, lang in (
        (page.gray, _CODE_LINE_HEIGHT, LINE_MODEL),
        (page.gray, _CODE_LINE_HEIGHT, SECOND_MODEL),
        (page.gray, _CODE_LINE_HEIGHT, "eng"),
        (page.gray, _CODE_LINE_HEIGHT, "chi_sim"),
        (page.binary, _CODE_LINE_HEIGHT, "eng"),
        (page.gray, _CODE_LINE_HEIGHT_LARGE, "eng"),
    ):
        if decision.code is not None:
            break
        if lang == LINE_MODEL and model_read:
            continue  # one model on one crop twice is one reading
        crop_reading, crop_conf = _read_code_crop(image, box, height=height, lang=lang)
        if crop_reading:
            readings.append(crop_reading)
            confs.append(crop_conf)
            decision = decide_uscc(readings)
            if lang == LINE_MODEL:
                modelled = crop_reading
    return decision, modelled


def _code_by_line_model(page: Page, lines: list[Line]) -> tuple[tuple, str] | None:
    """``(box, reading)`` of the code where the line model reads one (18 characters, 8 digits
    at least) in a line of the top quarter of the page, left of its middle; the box is the
    code's alone (the line also holds 编号 and its number on the right), to be read again."""
    height, width = page.gray.shape[:2]
    seen: set[tuple[int, int]] = set()
    for line in sorted(lines, key=lambda line: line.top):
        if line.top > height / 4:
            break
        if line.left > width / 2:
            continue
        # each band of ink the line's box touches, in the left part of the page where the code
        # stands (on the right, 副本 and 编号 stand at other heights): a line's box may hold the
        # label and the code
        for top, bottom in engine.ink_bands(
            page.gray, (line.left, line.top, min(line.right, int(0.4 * width)), line.bottom)
        ):
            if (top, bottom) in seen or not 8 <= bottom - top <= line.bottom - line.top:
                continue
            seen.add((top, bottom))
            found = _code_in_band(page, line, top, bottom)
            if found is not None:
                return found
    return None


def _code_in_band(page: Page, line: Line, top: int, bottom: int) -> tuple[tuple, str] | None:
    """``(box, code)`` where the line model reads a code in the band ``top``–``bottom`` of
    ``line``, the box in the page's pixels from the network's character positions."""
    band = bottom - top
    pad = max(2, band // 6)
    left = max(0, line.left - band - pad)  # where the crop starts
    # no further right than 60 % of the page's width: a line that reaches across the page (the
    # code's band and 编号 on the right) makes a crop so wide that the network, which takes at
    # most 66 heights of width, reads it squeezed and drops a character (11C for 116C)
    right = min(line.right + band, int(0.6 * page.gray.shape[1]))
    modelled = line_model.read_line(
        engine.crop(page.gray, (left + pad, top, right, bottom), pad=pad)
    )
    if modelled is not None:
        kept = [
            (char, x)
            for char, x in zip(modelled.text.upper(), modelled.positions, strict=True)
            if char not in " -_.,:;"
        ]
        joined = "".join(char for char, _x in kept)
        for match in _CODE_RUN.finditer(joined):
            code = _trim(match[0])
            if len(code) == 18 and sum(c.isdigit() for c in code) >= 8:
                first = kept[match.start()][1]
                last = kept[match.start() + 17][1]
                half = (last - first) / 34  # half a character's width
                box = (int(left + first - half), top, int(left + last + half), bottom)
                return box, code
    return None


def _trim(run: str) -> str:
    return run[:18] if len(run) > 18 and run[:2].isdigit() else run


def _label_box(lines: list[Line]):
    for line in lines:
        joined = "".join(w.text for w in line.words)
        if "信用代码" in joined or "社会信用" in joined:
            words = [w for w in line.words if any(c in "统一社会信用代码" for c in w.text)]
            if words:
                return (
                    min(w.left for w in words),
                    min(w.top for w in words),
                    max(w.right for w in words),
                    max(w.bottom for w in words),
                )
    return None


def _code_candidates(lines: list[Line]):
    """``(text, box, confidence)`` of code-like runs of adjacent words."""
    out = []
    for line in lines:
        words = sorted(line.words, key=lambda w: w.left)
        groups: list[list[Word]] = []
        for word in words:
            if groups and word.left - groups[-1][-1].right < 0.8 * word.height:
                groups[-1].append(word)
            else:
                groups.append([word])
        for group in groups:
            joined = "".join(w.text for w in group).upper()
            joined = re.sub(r"[\s\-_.,:;]", "", joined)
            for match in _CODE_RUN.finditer(joined):
                if sum(c.isdigit() for c in match[0]) < 8:
                    continue
                used = _words_for_span(group, match.start(), match.end())
                box = (
                    min(w.left for w in used),
                    min(w.top for w in used),
                    max(w.right for w in used),
                    max(w.bottom for w in used),
                )
                conf = sum(w.conf for w in used) / len(used)
                out.append((match[0], box, conf))
    return out


def _words_for_span(words: list[Word], start: int, end: int) -> list[Word]:
    used, position = [], 0
    for word in words:
        length = len(re.sub(r"[\s\-_.,:;]", "", word.text))
        if position < end and position + length > start:
            used.append(word)
        position += length
    return used or words


def _read_code_crop(gray: np.ndarray, box, *, height: int, lang: str) -> tuple[str | None, float]:
    left, top, right, bottom = box
    h = max(bottom - top, 8)
    if lang in _NETWORKS:
        # the band of the code's ink alone (a box may reach into the label's line above: the
        # band that covers most of it first, then the others it touches), with a margin: the
        # network drops a character that touches the crop's edge
        best = engine.line_band(gray, (left, top, right, bottom))
        bands = [b for b in engine.ink_bands(gray, box) if min(b[1], bottom) > max(b[0], top)]
        for band_top, band_bottom in [best, *(b for b in bands if b != best)]:
            band = max(band_bottom - band_top, 8)
            region = engine.crop(
                gray, (left - h // 2, band_top, right + 3 * h // 2, band_bottom), pad=band // 4
            )
            if region.size == 0:
                continue
            region = cv2.copyMakeBorder(region, 0, 0, band, band, cv2.BORDER_REPLICATE)
            modelled = line_model.read_line(region, _NETWORKS[lang])
            if modelled is None:
                return None, 0.0
            runs = _CODE_RUN.findall(re.sub(r"[\s\-_.,:;]", "", modelled.text.upper()))
            if runs:
                return _trim(max(runs, key=len)), 100 * modelled.least
        return None, 0.0
    # the main pass sometimes leaves the first or last character out of the word's box
    region = engine.crop(gray, (left - h // 2, top, right + 3 * h // 2, bottom), pad=max(4, h // 3))
    if region.size == 0:
        return None, 0.0
    scale = height / h
    if scale > 1.1 or scale < 0.7:
        region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    region = cv2.copyMakeBorder(region, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    whitelist = f"-c tessedit_char_whitelist={USCC_WHITELIST}" if lang == "eng" else ""
    words = engine.ocr_words(region, psm=7, lang=lang, config=whitelist)
    joined = "".join(w.text for w in words).upper()
    runs = _CODE_RUN.findall(joined)
    if not runs:
        return None, 0.0
    best = max(runs, key=len)
    conf = sum(w.conf for w in words) / len(words)
    return _trim(best), conf
