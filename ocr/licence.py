"""Fields of a three-in-one business licence (营业执照).

The layout: the USCC under its label at the top left; two columns of labelled fields — 名称,
类型, 法定代表人 (经营者 for a 个体工商户), 经营范围 on the left; 注册资本, 成立日期 (注册日期),
营业期限, 住所 (经营场所) on the right. The USCC is read a second time from a crop of its line
with Tesseract's English model restricted to the code's alphabet, and both readings go through
the check-character repair. When the main pass is unsure of a character of the company name's
first line, that line is read again with a second model (``engine.name_model_dir``).
"""

from __future__ import annotations

import difflib
import re

import cv2
import numpy as np

from . import engine, regions, text
from .engine import Line, Page, Word
from .uscc import repair_uscc

LABELS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码",),
    "name": ("名称",),
    "entity_type": ("类型",),
    "legal_representative": ("法定代表人", "经营者", "负责人", "执行事务合伙人", "投资人"),
    "business_scope": ("经营范围",),
    "capital": ("注册资本", "出资额"),
    "established": ("成立日期", "注册日期"),
    "term": ("营业期限", "合伙期限"),
    "address": ("住所", "经营场所", "主要经营场所"),
    "form": ("组成形式",),
    "authority": ("登记机关",),
}
RIGHT_COLUMN_LABELS = ("注册资本", "成立日期", "营业期限", "注册日期", "组成形式", "经营场所")
CONTINUED = {"business_scope", "address", "name"}
FIELD_KEYS = (
    "uscc",
    "uscc_valid",
    "name",
    "entity_type",
    "legal_representative",
    "business_scope",
    "address",
    "established",
)

# Entity types as SAMR prints them (GB/T 12402 and the registration rules).
ENTITY_TYPES = (
    "有限责任公司",
    "有限责任公司（自然人投资或控股）",
    "有限责任公司（自然人独资）",
    "有限责任公司（法人独资）",
    "有限责任公司（非自然人投资或控股的法人独资）",
    "有限责任公司（自然人投资或控股的法人独资）",
    "有限责任公司（外国法人独资）",
    "有限责任公司（台港澳法人独资）",
    "有限责任公司（外商投资、非独资）",
    "有限责任公司（中外合资）",
    "有限责任公司（国有独资）",
    "股份有限公司",
    "股份有限公司（非上市）",
    "股份有限公司（上市）",
    "股份有限公司（非上市、自然人投资或控股）",
    "股份有限公司（非上市、国有控股）",
    "其他股份有限公司（非上市）",
    "个体工商户",
    "个人独资企业",
    "普通合伙企业",
    "有限合伙企业",
    "农民专业合作社",
)
_NAME_ENDINGS = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "商行",
    "店",
    "厂",
    "部",
    "中心",
)
USCC_WHITELIST = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# "}" "]" are how a serif J often comes out, "(" a C
_CODE_RUN = re.compile(r"[0-9A-Z|}\](]{15,22}")
_CODE_LINE_HEIGHT = 44  # pixels the code crop is scaled to (Tesseract likes ~30–50 px)
# A word of the name's first line read with a confidence below this (0–100) has the line read
# again with the name model; the fast model gives its misreadings of rare trade-name characters
# (鑫 → 套, 恒 → 便) a confidence near 0, and its right readings mostly 30 or more.
NAME_REREAD_BELOW = 30
# The second reading replaces the first only when it still looks like the same name.
_NAME_MIN_SIMILARITY = 0.6
_LABEL_REST = re.compile(r"^[^\u3400-\u9fff]*(?:称[^\u3400-\u9fff]*)?")


def extract(page: Page, words: list[Word]) -> tuple[dict, dict, bool]:
    """``(fields, confidences, found_any_label)`` from the main pass of a licence page."""
    lines = engine.group_lines(words)
    boundary = text.find_column_boundary(lines, RIGHT_COLUMN_LABELS)
    segments = text.split_columns(lines, boundary=boundary, gap_factor=2.6)
    found = text.collect_fields(segments, LABELS, continues=CONTINUED)
    fields: dict[str, object] = dict.fromkeys(FIELD_KEYS)
    confidences: dict[str, float] = {}

    reading, conf = _read_uscc(page, lines, found.get("uscc"))
    fields["uscc"], fields["uscc_valid"] = reading.code, reading.valid
    if reading.code:
        confidences["uscc"] = conf

    def put(key, value, source_key=None):
        if value:
            fields[key] = value
            confidence = found[source_key or key].confidence
            if confidence is not None:
                confidences[key] = confidence

    # the name and the address start with the region the USCC was registered in
    division = reading.code[2:8] if reading.valid and reading.code else ""
    if "name" in found:
        put("name", _snap(_read_name(page, found["name"]), division))
    if "entity_type" in found:
        put("entity_type", _clean_entity_type(found["entity_type"].text))
    if "legal_representative" in found:
        put("legal_representative", _clean_person(found["legal_representative"].text))
    if "business_scope" in found:
        put("business_scope", text.normalise_cjk(text.strip_junk(found["business_scope"].text)))
    if "address" in found:
        put("address", _snap(text.normalise_cjk(text.strip_junk(found["address"].text)), division))
    if "established" in found:
        put("established", text.parse_chinese_date(found["established"].text))
    if fields["established"] is None and "term" in found:
        # 营业期限 runs from the founding date: "2015年03月12日至长期"
        put("established", text.parse_chinese_date(found["term"].text), "term")
    return fields, confidences, bool(found)


def _snap(value: str | None, division: str) -> str | None:
    return regions.snap_region_prefix(value, division) if value and division else value


def _clean_name(field: text.Field) -> str | None:
    # the name wraps only when long; a following line belongs to it only if the first line
    # did not already end like a name
    first = text.normalise_cjk(text.strip_junk(field.lines[0]))
    name = first
    if not first.endswith(_NAME_ENDINGS) and len(field.lines) > 1:
        name = first + text.normalise_cjk(text.strip_junk(field.lines[1]))
    for ending in _NAME_ENDINGS[:4]:
        index = name.rfind(ending)
        if index >= 0:
            name = name[: index + len(ending)] + _trailing_bracket(name[index + len(ending) :])
            break
    name = "".join(c for c in name if text.is_cjk(c) or c.isalnum() or c in "（）·")
    return name or None


def _read_name(page: Page, field: text.Field) -> str | None:
    name = _clean_name(field)
    row = _first_row(field.value_words)
    if name is None or not row or min(w.conf for w in row) >= NAME_REREAD_BELOW:
        return name
    model = engine.name_model_dir()
    if model is None:
        return name
    first = _read_name_line(page.gray, row, field.value_left, model)
    if not first:
        return name
    candidate = _clean_name(text.Field(label="name", lines=[first, *field.lines[1:]]))
    if (
        candidate is None
        or not candidate.endswith(_NAME_ENDINGS)
        or difflib.SequenceMatcher(None, name, candidate).ratio() < _NAME_MIN_SIMILARITY
    ):
        return name
    return candidate


def _first_row(words: list[Word]) -> list[Word]:
    """The value's words on its first line (a wrapped name continues below)."""
    if not words:
        return []
    height = float(np.median([w.height for w in words]))
    # a word box sometimes reaches up into the line above: such boxes do not place the line
    normal = [w for w in words if w.height <= 1.4 * height] or words
    top = min(w.top for w in normal)
    return [w for w in words if w.top - top < 0.6 * height]


def _read_name_line(gray: np.ndarray, row: list[Word], value_left, model) -> str:
    normal = [w for w in row if w.height <= 1.4 * np.median([w.height for w in row])] or row
    top = int(np.median([w.top for w in normal]))
    bottom = int(np.median([w.bottom for w in normal]))
    h = max(bottom - top, 8)
    left = min(w.left for w in row)
    if value_left is not None:
        left = max(left, value_left)
    # the main pass sometimes leaves the last characters out of the line's boxes
    box = (left - h // 4, top, max(w.right for w in row) + h, bottom)
    region = engine.crop(gray, box, pad=max(4, h // 3))
    if region.size == 0:
        return ""
    region = cv2.copyMakeBorder(region, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    words = engine.ocr_words(region, psm=7, lang="chi_sim", tessdata_dir=model)
    line = "".join(w.text for w in words)
    # the crop may catch the end of the label (名　　称): as 称 or as Latin letters, punctuation
    return _LABEL_REST.sub("", line)


def _trailing_bracket(rest: str) -> str:
    # names such as XX有限公司（分公司） keep their bracketed part
    match = re.match(r"（[\u3400-\u9fff]{1,8}）", rest)
    return match[0] if match else ""


def _clean_entity_type(raw: str) -> str | None:
    value = text.normalise_cjk(text.strip_junk(raw))
    value = "".join(c for c in value if text.is_cjk(c) or c in "（）、")
    if not value:
        return None
    match = difflib.get_close_matches(value, ENTITY_TYPES, n=1, cutoff=0.6)
    return match[0] if match else value


def _clean_person(raw: str) -> str | None:
    chars = "".join(c for c in raw if text.is_cjk(c) or c == "·")
    return chars[:8] or None


# ---------------------------------------------------------------- the USCC


def _read_uscc(page: Page, lines: list[Line], label_field: text.Field | None):
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
    if box is not None:
        crop_reading, crop_conf = _read_code_crop(page.gray, box)
        if crop_reading:
            readings.append(crop_reading)
            confs.append(crop_conf)
    if label_field is not None and not readings:
        readings.extend(_trim(r) for r in _CODE_RUN.findall(label_field.text.upper()))
    result = repair_uscc(*readings)
    confidence = round(sum(confs) / len(confs), 1) if confs else 0.0
    return result, confidence


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


def _read_code_crop(gray: np.ndarray, box) -> tuple[str | None, float]:
    left, top, right, bottom = box
    h = max(bottom - top, 8)
    # the main pass sometimes leaves the first or last character out of the word's box
    region = engine.crop(gray, (left - h // 2, top, right + 3 * h // 2, bottom), pad=max(4, h // 3))
    if region.size == 0:
        return None, 0.0
    scale = _CODE_LINE_HEIGHT / h
    if scale > 1.1 or scale < 0.7:
        region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    region = cv2.copyMakeBorder(region, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    words = engine.ocr_words(
        region,
        psm=7,
        lang="eng",
        config=f"-c tessedit_char_whitelist={USCC_WHITELIST}",
    )
    joined = "".join(w.text for w in words).upper()
    runs = _CODE_RUN.findall(joined)
    if not runs:
        return None, 0.0
    best = max(runs, key=len)
    conf = sum(w.conf for w in words) / len(words)
    return _trim(best), conf
