"""Fields of a three-in-one business licence (营业执照).

The layout: the USCC under its label at the top left (read by ``licence_code``); two columns
of labelled fields — 名称, 类型, 法定代表人 (经营者 for a 个体工商户), 经营范围 on the left;
注册资本, 成立日期 (注册日期), 营业期限, 住所 (经营场所) on the right. Labels are found
whatever the face (``text.collect_fields``), values whose label was lost by their place and
shape. The company name, the legal representative and the founding date are read again from
crops of their line, first by the line model (``line_model``: another kind of reader than
Tesseract), until two kinds of reader agree, the line model is sure, or Tesseract's vote settles
them. A field that is not sure is None, with its reason (``reasons``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from . import engine, line_model, reasons, regions, text
from .engine import Line, Page, Word
from .licence_code import read_uscc

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
# A gap this many line heights wide splits a line into segments. Labels are letter-spaced to
# four character widths (名　　称: a gap of two), and the value starts 1.5–2 widths after its
# label, so only wider gaps part what belongs together; the columns are split at the right
# column's labels (text.find_column_boundary).
GAP_FACTOR = 3.5
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
_SHORT_VALUE = 6  # a value fewer line heights wide than this is a few characters (a person)
_VALUE_LINE_HEIGHTS = (30, 56)  # a value's line crop outside these heights is scaled into them
# A word of the name's first line read with a confidence below this (0–100) has the line read
# again with the name model; the fast model gives its misreadings of rare trade-name characters
# (鑫 → 套, 恒 → 便) a confidence near 0, and its right readings mostly 30 or more.
NAME_REREAD_BELOW = 30
# The second reading replaces the first only when it still looks like the same name.
_NAME_MIN_SIMILARITY = 0.6
# The line model's reading settles a value alone when each of its characters has at least this
# probability; a value it reads less surely needs a Tesseract reading that agrees. A value it
# reads with a probability of LINE_MODEL_WEAK or more stands against Tesseract's vote (neither
# is taken); below it, Tesseract's readings decide alone.
LINE_MODEL_SURE = 0.9
LINE_MODEL_WEAK = 0.5
_LINE_END_UNSURE = 0.6
_LABEL_REST = re.compile(r"^[^\u3400-\u9fff]*(?:称[^\u3400-\u9fff]*)?")


def extract(page: Page, words: list[Word]) -> tuple[dict, dict, dict, bool]:
    """``(fields, confidences, unsure, found_any_label)`` from the main pass of a licence page;
    ``unsure`` names the fields left None because their readings did not agree (the reason)."""
    lines = engine.group_lines(words)
    boundary = text.find_column_boundary(lines, RIGHT_COLUMN_LABELS)
    segments = text.split_columns(lines, boundary=boundary, gap_factor=GAP_FACTOR)
    found = text.collect_fields(segments, LABELS, continues=CONTINUED)
    found |= _unlabelled(segments, found, boundary)
    if "name" in found:
        _join_name_rest(found["name"], segments, found, boundary)
    fields: dict[str, object] = dict.fromkeys(FIELD_KEYS)
    confidences: dict[str, float] = {}
    unsure: dict[str, str] = {}

    decision, conf = read_uscc(page, lines, found.get("uscc"))
    fields["uscc"], fields["uscc_valid"] = decision.code, decision.code is not None
    if decision.code:
        confidences["uscc"] = conf
    elif decision.reason != reasons.USCC_NOT_READ or found:
        unsure["uscc"] = decision.reason or reasons.USCC_NOT_READ

    def put(key: str, value: object, source_key: str | None = None) -> None:
        if value:
            fields[key] = value
            source = found.get(source_key or key)
            if source is not None and source.confidence is not None:
                confidences[key] = source.confidence

    _align_to_column(found, segments)
    # the name and the address start with the region the USCC was registered in
    division = decision.code[2:8] if decision.code else ""
    if "name" in found:
        name, reason = _read_name(page, found["name"], division)
        put("name", name)
        if reason:
            unsure["name"] = reason
    else:
        unsure["name"] = reasons.LABEL_NOT_FOUND
    if "entity_type" in found:
        put("entity_type", _clean_entity_type(found["entity_type"].text))
    person_field = found.get("legal_representative") or _lost_person_line(found)
    if person_field is not None and not person_field.value_words:
        person_field = _beside_label(person_field, segments)
    if person_field is not None:
        person, reason = _read_person(page, person_field)
        put("legal_representative", person)
        if reason:
            lost = "legal_representative" not in found and reason == reasons.NOT_READ
            unsure["legal_representative"] = reasons.LABEL_NOT_FOUND if lost else reason
    else:
        unsure["legal_representative"] = reasons.LABEL_NOT_FOUND
    if "business_scope" in found:
        put("business_scope", text.normalise_cjk(text.strip_junk(found["business_scope"].text)))
    if "address" in found:
        put("address", _snap(text.normalise_cjk(text.strip_junk(found["address"].text)), division))
    established, reason = _read_established(page, found, lines)
    if established:
        put("established", established, "established" if "established" in found else "term")
    else:
        unsure["established"] = reason
    return fields, confidences, unsure, bool(found)


def _unlabelled(
    segments: list[text.Segment], found: dict[str, text.Field], boundary: int | None
) -> dict[str, text.Field]:
    """Values whose label the main pass did not read, found by their place and shape.

    Tesseract sometimes drops the whole label column (a bold label face, a low-resolution
    photo) while it reads the values beside it. Then the name is the value that ends as names
    do (公司, 商行 …) above the entity type, and the legal representative the short value
    right below the entity type. (The founding date: ``_read_established``.)
    """
    height = text.body_height(segments)
    ordered = sorted(segments, key=lambda seg: seg.top)
    used = {id(w) for field in found.values() for w in field.value_words}
    free = [seg for seg in ordered if not any(id(w) in used for w in seg.words)]
    left_column = [seg for seg in free if boundary is None or seg.right <= boundary + height]
    type_field = found.get("entity_type")
    type_top = type_field.last_top if type_field and type_field.value_words else None
    type_left = type_field.value_left if type_field and type_field.value_words else None
    type_text = type_field.text if type_field and type_field.value_words else ""
    if type_top is None:
        # the entity type by its wording (有限责任公司（自然人独资） …)
        typed = [seg for seg in left_column if _is_entity_type(seg.text)]
        type_top = typed[0].top if typed else None
        type_left = typed[0].left if typed else None
        type_text = typed[0].text if typed else ""
    person_top = type_top  # the representative stands on the line below the entity type
    if type_top is not None and type_left is not None and _opens_bracket(type_text):
        # a long entity type wraps (股份有限公司（非上市、自然人投资或控 / 股）): the short line
        # below that starts where it does, and is no person's name, is its end (read 股）, 用
        # or a bracket), and the representative stands below that
        wrapped = [
            seg
            for seg in left_column
            if 0.5 * height < seg.top - type_top < 2.6 * height
            and abs(seg.left - type_left) < height
            and seg.right - seg.left <= 5 * height
            and not 2 <= len(_clean_person(seg.text) or "") <= 4
        ]
        if wrapped:
            person_top = wrapped[0].top
            left_column = [seg for seg in left_column if seg is not wrapped[0]]
    out: dict[str, text.Field] = {}
    if "name" not in found:
        names = [
            seg
            for seg in left_column
            if (_clean_name(text.Field(label="name", lines=[seg.text])) or "").endswith(
                _NAME_ENDINGS
            )
            and (type_top is None or seg.top < type_top - 0.5 * height)
            and len(seg.text) >= 6
        ]
        if names:
            seg = names[-1] if type_top is not None else names[0]
            out["name"] = _field_of("name", seg)
    if "legal_representative" not in found and person_top is not None:
        band = [seg for seg in left_column if 0.5 * height < seg.top - person_top < 2.6 * height]
        below = [seg for seg in band if 2 <= len(_clean_person(seg.text) or "") <= 4]
        if below:
            out["legal_representative"] = _field_of("legal_representative", below[0])
        elif type_left is not None:
            # its surname misread as no surname (冯文 read 汉文 in a Kai face), or all but a
            # character or a stroke of it lost (郭平文 read 用, 郑文 read ")"): the short value
            # that starts where the entity type does. The readers read again the box of five
            # character widths where it stands (the main pass's reading is none).
            lone = [
                seg
                for seg in band
                if abs(seg.left - type_left) < height and seg.right - seg.left <= 5 * height
            ]
            if lone:
                centre = (lone[0].top + lone[0].bottom) // 2
                out["legal_representative"] = _person_box(
                    "legal_representative", lone[0].left, centre - height // 2, height
                )
    return out


_LEFT_COLUMN_VALUES = ("name", "entity_type", "legal_representative", "business_scope")


def _align_to_column(found: dict[str, text.Field], segments: list[text.Segment]) -> None:
    """The values of the left column start at one x (their labels are justified to one width).
    A name or representative that starts right of the others lost its first characters in the
    main pass (曾艳霞 read 色霞): its line is read again from where the column starts."""
    lefts = [
        found[key].value_left
        for key in _LEFT_COLUMN_VALUES
        if key in found and found[key].value_words
    ]
    if len(lefts) < 3:
        return
    column = int(np.median(lefts))
    height = text.body_height(segments)
    for key in ("name", "legal_representative"):
        if key in found and found[key].value_left - column > 0.6 * height:
            found[key].value_left = column


def _beside_label(field: text.Field, segments: list[text.Segment]) -> text.Field:
    """A person's value the main pass did not read beside its label: the box of five
    character widths where it stands, on the label's row, to be read from its crop."""
    height = int(text.body_height(segments))
    return _person_box(field.label, field.value_left, field.last_top, height)


def _person_box(label: str, left: int, top: int, height: int) -> text.Field:
    """A person's value as the box where it stands, one line ``height`` high from ``top`` and
    five character widths wide from ``left`` (a person's name is at most four characters), with
    no main-pass reading: its crop is read, and two readers must agree."""
    box = Word("", 0.0, left, top, 5 * height, height, (0, 0, 0))
    return text.Field(label=label, value_words=[box], lines=[""], value_left=left)


def _lost_person_line(found: dict[str, text.Field]) -> text.Field | None:
    """Where the legal representative stands when the main pass lost its whole line (label
    and value): the value column between the entity type and the business scope, one line
    high. Its crop is read as a found line's is, without a main-pass reading (so two re-reads
    must agree)."""
    type_field, scope = found.get("entity_type"), found.get("business_scope")
    if type_field is None or scope is None:
        return None
    type_row, scope_row = _first_row(type_field.value_words), _first_row(scope.value_words)
    if not type_row or not scope_row:
        return None
    height = float(np.median([w.height for w in type_row + scope_row]))
    top = int(np.median([w.bottom for w in type_row]) + 0.3 * height)
    bottom = int(np.median([w.top for w in scope_row]) - 0.3 * height)
    if not 0.5 * height <= bottom - top <= 3 * height:
        return None
    left = type_field.value_left
    # a person's name is at most four characters: the box reaches five character widths
    box = Word("", 0.0, left, top, int(5 * height), bottom - top, (0, 0, 0))
    return text.Field(label="legal_representative", value_words=[box], lines=[""], value_left=left)


def _join_name_rest(
    name: text.Field,
    segments: list[text.Segment],
    found: dict[str, text.Field],
    boundary: int | None,
) -> None:
    """A name whose first line does not end as names do may have the rest of its line in a
    segment of its own (a word box Tesseract drew too small opened a wide gap): the nearest
    free segment on the right, on the same row and in the left column, is appended to it."""
    row = _first_row(name.value_words)
    if not row or (_clean_name(name) or "").endswith(_NAME_ENDINGS):
        return
    height = text.body_height(segments)
    centre = float(np.median([(w.top + w.bottom) / 2 for w in row]))
    right = max(w.right for w in row)
    used = {id(w) for field in found.values() for w in field.value_words}
    beside = [
        seg
        for seg in segments
        if not any(id(w) in used for w in seg.words)
        and abs((seg.top + seg.bottom) / 2 - centre) < 0.6 * height
        and 0 <= seg.left - right < 6 * height
        and (boundary is None or seg.right <= boundary + height)
    ]
    if beside:
        rest = min(beside, key=lambda seg: seg.left)
        name.lines[0] += rest.text
        name.value_words = [*name.value_words, *rest.words]


def _opens_bracket(raw: str) -> bool:
    """Whether ``raw`` opens a bracket it does not close (its line wrapped inside it)."""
    return raw.count("(") + raw.count("（") > raw.count(")") + raw.count("）")


def _field_of(key: str, segment: text.Segment) -> text.Field:
    return text.Field(
        label=key,
        value_words=list(segment.words),
        lines=[segment.text],
        value_left=segment.left,
        last_top=segment.top,
    )


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


def _read_name(page: Page, field: text.Field, division: str) -> tuple[str | None, str | None]:
    """The company name and, when it is not sure, None and the reason.

    The first line of the name is read again from its crop by the line model, then with the
    name model and the distribution's model (``_read_line``); a name the line model settles,
    or else Tesseract's vote (readings of two sources), is sure (``_decided``). Failing that,
    and unless the line model read another name it is half sure of, the name model's reading
    is taken where it changes only words the main pass was unsure of (鑫 恒 泰). A name must
    also end as names do (公司, 商行 …) and begin with a region's name (the USCC's region, when
    it was read).
    """
    name = _snap(_clean_name(field), division)
    if name is None:
        return None, reasons.NOT_READ
    row = _first_row(field.value_words)

    def reading_of(first: str) -> str | None:
        # the crop may catch the end of the label (名　　称): 称, Latin letters, punctuation
        first = _LABEL_REST.sub("", first)
        again = _without_label(
            _clean_name(text.Field(label="name", lines=[first, *field.lines[1:]])), division
        )
        return _snap(again, division) if first else None

    readings, line, confirming = _read_line(page, row, field.value_left, name, reading_of)
    chosen = _decided(readings, line, confirming)
    if chosen is None:
        second = readings[1].value if len(readings) > 1 else None
        unsure_words = "".join(w.text for w in row if w.conf < NAME_REREAD_BELOW)
        if (
            second is not None
            and _line_is_weak(line)
            and engine.name_model_dir() is not None
            and unsure_words
            and difflib.SequenceMatcher(None, name, second).ratio() >= _NAME_MIN_SIMILARITY
            and _changes_only(name, second, unsure=unsure_words)
        ):
            chosen = second
        else:
            return None, reasons.READINGS_DISAGREE
    if not chosen.endswith(_NAME_ENDINGS):
        return None, reasons.NOT_A_NAME
    if not regions.starts_with_region(chosen, division):
        return None, reasons.NO_REGION
    return chosen, None


def _without_label(name: str | None, division: str) -> str | None:
    """A name reading without the label a crop caught before the region's name: the end of the
    label misread as a character (称 → 人), or the whole label (名称, 各称) with ink around it."""
    if not name or regions.starts_with_region(name, division):
        return name
    if regions.starts_with_region(name[1:], division):
        return name[1:]
    for start in range(2, 7):
        if "称" in name[:start] and regions.starts_with_region(name[start:], division):
            return name[start:]
    return name


def _changes_only(first: str, second: str, *, unsure: str) -> bool:
    """Whether every character ``second`` changes in ``first`` is one of ``unsure``."""
    matcher = difflib.SequenceMatcher(None, first, second)
    changed = "".join(
        first[i1:i2] for op, i1, i2, _j1, _j2 in matcher.get_opcodes() if op != "equal"
    )
    return all(c in unsure for c in changed)


def _read_person(page: Page, field: text.Field) -> tuple[str | None, str | None]:
    """The legal representative: the main reading and the readings of its line's crop
    (``_read_line``); a name the line model or the votes settle (``_decided``) is sure, else it
    is left for review."""
    row = _first_row(field.value_words)
    if not row:
        return None, reasons.NOT_READ
    readings, line, second = _read_line(
        page,
        row,
        field.value_left,
        _clean_person(field.text),
        lambda raw: _clean_person(_LABEL_REST.sub("", raw)),
    )
    chosen = _decided(readings, line, second)
    if chosen is not None:
        return chosen, None
    read_any = any(r.value for r in readings) or any(
        n is not None and n.value for n in (line, second)
    )
    return None, reasons.READINGS_DISAGREE if read_any else reasons.NOT_READ


def _read_line(
    page: Page,
    row: list[Word],
    value_left: int | None,
    main: str | None,
    value_of: Callable[[str], str | None],
) -> tuple[list[Reading], Reading | None, Reading | None]:
    """The readings of a value's line: the main pass's (``main``), the line model's, the second
    network's where the first does not settle the value with the main pass, then Tesseract's
    of its crop (``_rereads``) until no more are needed (``_stop``); ``value_of`` makes a value
    of a line's text. Returns Tesseract's readings and the two networks'."""
    readings: list[Reading] = [Reading(main, 1.0, DISTRIBUTION_GREY)]
    line = _line_reading(page, row, value_left, value_of)
    second = None
    if _line_settles(readings, line) is None:
        second = _line_reading(page, row, value_left, value_of, network=line_model.SECOND)
    rereads = _rereads(page)
    for index, reread in enumerate(rereads):
        if _stop(readings, line, second, still_to_come=sum(r.weight for r in rereads[index:])):
            break
        again = _read_value_line(
            reread.image, row, value_left, tessdata_dir=reread.tessdata_dir, enlarge=reread.enlarge
        )
        readings.append(Reading(value_of(again), *reread.vote))
    return readings, line, second


# Sources of readings: a model on the grey page (whole, or a crop of it at any size) or on the
# binarised one. The main pass is the distribution's model on the grey page, as its crop is.
DISTRIBUTION_GREY = "distribution's model, grey"
DISTRIBUTION_BINARY = "distribution's model, binarised"
NAME_MODEL_GREY = "name model, grey"
NAME_MODEL_BINARY = "name model, binarised"
LINE_MODEL = "line model, grey"
SECOND_MODEL = "second line model, grey"


@dataclass(frozen=True)
class Reading:
    """One reading of a value, its weight in the vote, and its source: the model and the
    image it was read from. Readings of one source (one model on the page and on a crop of it,
    at two sizes) make the same mistakes (隆 read 降 by the distribution's model on the page
    and on the crop), so only readings of two sources can confirm each other."""

    value: str | None
    weight: float
    source: str
    probability: float | None = None  # the line model's, of its least sure character


@dataclass(frozen=True)
class Reread:
    """How a value's line is read again: the image its crop is cut from, the tessdata folder
    (None: the distribution's), the weight of its vote, the crop's enlargement, the source."""

    image: np.ndarray
    tessdata_dir: Path | None
    weight: float
    enlarge: float
    source: str

    @property
    def vote(self) -> tuple[float, str]:
        return self.weight, self.source


def _rereads(page: Page) -> list[Reread]:
    """How a value's line is read again, in order, until the vote is settled.

    The name model (tessdata 4.0.0's LSTM) reads rare characters the distribution's model
    confuses, so its readings weigh more; it reads the grey crop, the binarised one and, last,
    the grey crop enlarged (the grey crop's source: it adds weight, it cannot confirm it). The
    distribution's model reads the grey crop (the main pass's source: weight only). Without the
    name model, the distribution's model reads the grey crop and the binarised one.
    """
    model = engine.name_model_dir()
    if model is None:
        return [
            Reread(page.gray, None, 1.0, 1.0, DISTRIBUTION_GREY),
            Reread(page.binary, None, 1.0, 1.0, DISTRIBUTION_BINARY),
        ]
    return [
        Reread(page.gray, model, 1.5, 1.0, NAME_MODEL_GREY),
        Reread(page.binary, model, 1.25, 1.0, NAME_MODEL_BINARY),
        Reread(page.gray, None, 1.0, 1.0, DISTRIBUTION_GREY),
        Reread(page.gray, model, 1.25, 1.6, NAME_MODEL_GREY),
    ]


def _voted(readings: list[Reading], *, margin: float = 0.0) -> str | None:
    """The value that readings of at least two sources give and that outweighs every other
    value (by more than ``margin``)."""
    weights: dict[str, float] = {}
    sources: dict[str, set[str]] = {}
    for reading in readings:
        if reading.value:
            weights[reading.value] = weights.get(reading.value, 0.0) + reading.weight
            sources.setdefault(reading.value, set()).add(reading.source)
    if not weights:
        return None
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    best, weight = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if len(sources[best]) < 2 or runner_up + margin >= weight:
        return None
    return best


def _line_reading(
    page: Page,
    row: list[Word],
    value_left: int | None,
    value_of: Callable[[str], str | None],
    probability_of: Callable[[str | None, str, tuple[float, ...]], float] | None = None,
    *,
    network: line_model.Network = line_model.FIRST,
) -> Reading | None:
    """``network``'s reading of a value's line (``value_of`` makes the value of the line's
    text), with the probability of the least sure character the value kept (``probability_of``,
    by default ``_probability_of``); None when its model is not installed."""
    region, _h = _value_line_crop(page.gray, row, value_left)
    modelled = line_model.read_line(region, network) if region.size else None
    if modelled is None:
        return None
    # characters the network is unsure of at the line's end may be the crop's edge (a rule of
    # the border, the next column's ink read as 一), not the value: they are left out, and the
    # rest (which may have lost its last character) then settles the value only where a
    # Tesseract reading agrees, and does not stand against Tesseract's vote (probability 0)
    kept = len(modelled.text)
    while kept and modelled.probabilities[kept - 1] < _LINE_END_UNSURE:
        kept -= 1
    raw = modelled.text[:kept]
    value = value_of(raw)
    probability = (probability_of or _probability_of)(value, raw, modelled.probabilities)
    source = LINE_MODEL if network == line_model.FIRST else SECOND_MODEL
    return Reading(value, 0.0, source, probability if kept == len(modelled.text) else 0.0)


def _probability_of(value: str | None, raw: str, probabilities: tuple[float, ...]) -> float:
    """The least probability of the characters of ``value`` in the line ``raw`` they were kept
    from (in order); a character of the value not found in the line counts as 0."""
    if not value:
        return 0.0
    least, position = 1.0, 0
    for char in value:
        while position < len(raw) and text.normalise_cjk(raw[position]) != char:
            position += 1
        if position == len(raw):
            return 0.0
        least = min(least, probabilities[position])
        position += 1
    return least


def _date_probability(value: str | None, raw: str, probabilities: tuple[float, ...]) -> float:
    """The least probability of the characters of the written date that gave ``value``."""
    for match in text.DATE.finditer(raw):
        if value is not None and text.parse_chinese_date(match[0]) == value:
            return min(probabilities[match.start() : match.end()], default=0.0)
    return 0.0


def _line_is_weak(line: Reading | None) -> bool:
    """Whether the line model read nothing, or nothing it is even half sure of: then Tesseract's
    readings decide alone."""
    return line is None or not line.value or (line.probability or 0.0) < LINE_MODEL_WEAK


def _line_settles(
    readings: list[Reading], line: Reading | None, second: Reading | None = None
) -> str | None:
    """The line model's value when the network is sure of every character of it; else the value
    of a network that a Tesseract reading agrees with: two kinds of reader, the same value (when
    both networks find agreement, for two values: none).

    The second network's reading never settles a value alone, however sure: it drops a
    character now and then without a doubt shown. Nor does it, with a Tesseract reading, settle
    a value the line model stands against (another value it is at least half sure of: 胡刚霞
    at 67 %, where the second network and the name model both read 胡刚露).

    Where both networks read the same value, each at least half sure of it, that value is
    settled when they are sure of it together (``_networks_agree``): on a low-resolution Kai
    print every Tesseract reading may miss a character (彭超宇 read 彭超字) that both networks
    read right."""
    if line is not None and line.value and (line.probability or 0.0) >= LINE_MODEL_SURE:
        return line.value
    if _networks_agree(line, second):
        return line.value if line is not None else None
    networks = [line]
    # the second network confirms where the line model does not stand against it
    if second is not None and (line is None or _line_is_weak(line) or line.value == second.value):
        networks.append(second)
    agreed = {
        network.value
        for network in networks
        if network is not None and network.value and any(r.value == network.value for r in readings)
    }
    return agreed.pop() if len(agreed) == 1 else None


def _networks_agree(line: Reading | None, second: Reading | None) -> bool:
    """Whether the two networks read the same whole value (none of it left out as unsure at the
    line's end), each at least half sure of every character of it, and sure of it together:
    were their mistakes independent, both would misread it with a chance of at most
    1 − ``LINE_MODEL_SURE`` (each one's least sure character taken).

    Their mistakes are not wholly independent (both read 稠城 as 稠域 on one Kai licence, at 75
    and 85 %, where a Tesseract reading agreed too). Measured on the tuning seeds (0–539, every
    face, and the AR PL UKai seeds of 30000–32159), every person's name the two networks read
    alike this surely was right (874 of 874), and every company name but that one."""
    if line is None or second is None or not line.value or line.value != second.value:
        return False
    first_sure, second_sure = line.probability or 0.0, second.probability or 0.0
    doubt = (1.0 - first_sure) * (1.0 - second_sure)
    return min(first_sure, second_sure) >= LINE_MODEL_WEAK and 1.0 - doubt >= LINE_MODEL_SURE


def _decided(
    readings: list[Reading], line: Reading | None, second: Reading | None = None
) -> str | None:
    """The value of a field once its readings are made: a network's (``_line_settles``);
    else Tesseract's vote (``_voted``), unless the line model read another value it is at
    least half sure of."""
    settled = _line_settles(readings, line, second)
    if settled is not None:
        return settled
    return _voted(readings) if _line_is_weak(line) else None


def _stop(
    readings: list[Reading],
    line: Reading | None,
    second: Reading | None = None,
    *,
    still_to_come: float,
) -> bool:
    """Whether more readings are not needed: a network's value is settled, or Tesseract's
    vote is and the line model does not stand against it."""
    if _line_settles(readings, line, second) is not None:
        return True
    return _line_is_weak(line) and _settled(readings, still_to_come=still_to_come)


def _settled(readings: list[Reading], *, still_to_come: float) -> bool:
    """Whether the readings still to come, all for one other value, could not change the
    vote: then they need not be made."""
    return _voted(readings, margin=still_to_come) is not None


def _read_established(
    page: Page, found: dict[str, text.Field], lines: list[Line]
) -> tuple[str | None, str]:
    """The founding date is printed twice on a company's licence: as 成立日期 and as the start
    of 营业期限; once (注册日期) on an individual business's.

    Both lines read by one model from one print make the same mistakes (11月 read 01月 on both),
    so each date line is also read by the line model (``_dates_decided``). Until the readings
    settle, each line is read again, alone, by the distribution's model and, where one line only
    was found (or the date is printed once), by the name model too."""
    labelled = [found[key] for key in ("established", "term") if key in found]
    readings = [text.parse_chinese_date(f.text) for f in labelled]
    fields = labelled
    if not labelled:
        # neither label read: the dates printed in the upper part of the page (the issue date
        # stands at the foot); the founding date is the one printed twice, or the only one
        readings = _dates_above(lines, share=0.7)
        fields = _date_fields(lines, share=0.7)
    modelled = [
        _line_reading(page, row, field.value_left, text.parse_chinese_date, _date_probability)
        for field in fields
        if (row := _first_row(field.value_words))
    ]
    line_dates = [m for m in modelled if m is not None and m.value]
    agreed = _dates_decided(readings, line_dates)
    reread = fields if labelled or len(readings) == 1 else []
    model = engine.name_model_dir() if len(reread) == 1 else None
    for tessdata_dir in (None, model) if model is not None else (None,):
        for field in reread:
            if agreed is not None:
                break
            row = _first_row(field.value_words)
            if row:
                line = _read_value_line(page.gray, row, field.value_left, tessdata_dir=tessdata_dir)
                readings.append(text.parse_chinese_date(line))
                agreed = _dates_decided(readings, line_dates)
    if agreed is not None:
        return agreed, ""
    if not labelled:
        return None, reasons.LABEL_NOT_FOUND
    read_any = any(readings) or bool(line_dates)
    return None, reasons.READINGS_DISAGREE if read_any else reasons.NOT_READ


def _dates_decided(readings: list[str | None], line_dates: list[Reading]) -> str | None:
    """The founding date: one that a Tesseract reading and the line model both give (the only
    such date); else the date two Tesseract readings agree on (``_agreed``), unless the line
    model read another date it is at least half sure of."""
    both = {r for r in readings if r} & {m.value for m in line_dates}
    if both:
        return both.pop() if len(both) == 1 else None
    agreed = _agreed(readings)
    against = any(
        m.value != agreed and (m.probability or 0.0) >= LINE_MODEL_WEAK for m in line_dates
    )
    return None if agreed is None or against else agreed


def _dates_above(lines: list[Line], *, share: float) -> list[str | None]:
    bottom = max((line.bottom for line in lines), default=0)
    return [
        text.parse_chinese_date(match[0])
        for line in lines
        if line.top < share * bottom
        for match in text.DATE.finditer(line.text)
    ]


def _date_fields(lines: list[Line], *, share: float) -> list[text.Field]:
    """The dates of ``_dates_above`` as fields: the run of words from the first with a digit to
    the last with a digit or 日, so their line can be read again."""
    bottom = max((line.bottom for line in lines), default=0)
    out = []
    for line in lines:
        if line.top >= share * bottom or not text.DATE.search(line.text):
            continue
        words = sorted(line.words, key=lambda w: w.left)
        dated = [i for i, w in enumerate(words) if any(c.isdigit() or c == "日" for c in w.text)]
        run = words[dated[0] : dated[-1] + 1]
        out.append(text.Field(label="established", value_words=run, lines=[line.text]))
    return out


def _agreed(readings: list[str | None]) -> str | None:
    """The value at least two readings give, and more readings than any other value."""
    counts: dict[str, int] = {}
    for reading in readings:
        if reading:
            counts[reading] = counts.get(reading, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return None
    return max(counts, key=counts.__getitem__)


def _first_row(words: list[Word]) -> list[Word]:
    """The value's words on its first line (a wrapped name continues below)."""
    if not words:
        return []
    height = float(np.median([w.height for w in words]))
    # a word box sometimes reaches up into the line above: such boxes do not place the line
    normal = sorted((w for w in words if w.height <= 1.4 * height), key=lambda w: w.top)
    if not normal:
        normal = sorted(words, key=lambda w: w.top)
    # the first row of boxes (their tops less than 0.6 of a height apart) that holds two
    # characters or more: a lone mark above the line (a rule of the border read |) is not it
    rows: list[list[Word]] = []
    for word in normal:
        if rows and word.top - rows[-1][-1].top < 0.6 * height:
            rows[-1].append(word)
        else:
            rows.append([word])
    first = next(
        (i for i, row in enumerate(rows) if len("".join(w.text for w in row).strip()) >= 2), 0
    )
    marks = {id(w) for row in rows[:first] for w in row}
    top = rows[first][0].top
    # the line's words: those that do not start below it (boxes that reach above it among them)
    return [w for w in words if w.top - top < 0.6 * height and id(w) not in marks]


def _read_value_line(
    gray: np.ndarray,
    row: list[Word],
    value_left: int | None,
    *,
    tessdata_dir: Path | None,
    enlarge: float = 1.0,
) -> str:
    """One line of a value read again from a crop (psm 7), with the model in ``tessdata_dir``
    (the distribution's when None)."""
    region, h = _value_line_crop(gray, row, value_left)
    if region.size == 0:
        return ""
    scale = (
        1.0
        if _VALUE_LINE_HEIGHTS[0] <= h <= _VALUE_LINE_HEIGHTS[1]
        else sum(_VALUE_LINE_HEIGHTS) / 2 / h
    )
    scale *= enlarge
    if scale != 1.0:
        region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    region = cv2.copyMakeBorder(region, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    words = engine.ocr_words(region, psm=7, lang="chi_sim", tessdata_dir=tessdata_dir)
    return "".join(w.text for w in words)


def _value_line_crop(
    gray: np.ndarray, row: list[Word], value_left: int | None
) -> tuple[np.ndarray, int]:
    """The crop of a value's line and the height of its band of ink."""
    # the smallest boxes place the line; the band of ink around them is the line
    small = sorted(row, key=lambda w: w.height)[: max(1, len(row) // 2)]
    top = min(w.top for w in small)
    bottom = max(w.bottom for w in small)
    # where the value starts (the main pass may have lost its first characters), else its words
    left = value_left if value_left is not None else min(w.left for w in row)
    right = max(w.right for w in row)
    height = bottom - top
    short = right - left < _SHORT_VALUE * height
    top, bottom = engine.line_band(gray, (left, top, right, bottom), short=short)
    h = max(bottom - top, 8)
    # the main pass sometimes leaves the last characters out of the line's boxes
    box = (left - h // 4, top, right + h, bottom)
    return engine.crop(gray, box, pad=max(4, h // 3)), h


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


def _is_entity_type(raw: str) -> bool:
    value = "".join(c for c in text.normalise_cjk(raw) if text.is_cjk(c) or c in "（）、")
    return len(value) >= 4 and bool(
        difflib.get_close_matches(value, ENTITY_TYPES, n=1, cutoff=0.75)
    )


_LABEL_WORDS = {label for variants in LABELS.values() for label in variants}
# Surnames of nearly every Chinese person (the common single-character surnames, most frequent
# first, and the compound ones): a reading of a person that starts otherwise was misread.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁"
    "胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰"
    "支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜"
    "印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")


def _clean_person(raw: str) -> str | None:
    chars = "".join(c for c in raw if text.is_cjk(c) or c == "·")
    # the end of the label (法定代表人, 经营者) caught before the name, its 人 sometimes read 入;
    # no surname is 人, 入 or 者
    chars = chars.lstrip("人入者")[:8]
    # a person's name has two characters at least: one is a surname alone, the rest lost
    if len(chars) < 2 or chars in _LABEL_WORDS or any(w in chars for w in ("代表", "经营")):
        return None
    if chars[0] not in SURNAMES and not chars.startswith(COMPOUND_SURNAMES) and "·" not in chars:
        return None  # a misread surname (only 只 鹏 …); names of minorities carry a ·
    return chars
