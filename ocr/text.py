"""Turning Tesseract lines into labelled fields: label matching, columns, clean-up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .engine import Line, Word

_CJK = re.compile(r"[\u3400-\u9fff]")
# What Tesseract puts around and inside spaced-out labels (名　　称 → 名。称, 类“型).
_JUNK = set(" \t|!:;,.'\"`~-_=+*^°•·。，、；：“”‘’「」『』《》〈〉…—()（）[]【】{}/\\")
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ";": "；", ":": "：", ",": "，", "〈": "（"})


@dataclass
class Segment(Line):
    """Part of a line in one column. Its height is the upper median of its words'."""

    @property
    def height(self) -> int:
        heights = sorted(w.height for w in self.words)
        return heights[len(heights) // 2]


@dataclass
class Field:
    label: str
    value_words: list[Word] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    value_left: int = 0
    last_top: int = 0

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def confidence(self) -> float | None:
        if not self.value_words:
            return None
        return round(sum(w.conf for w in self.value_words) / len(self.value_words), 1)


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def match_label(
    text: str, labels: dict[str, tuple[str, ...]], *, near_miss: bool = False
) -> tuple[str, int] | None:
    """``(key, end)`` when ``text`` starts with one of the labels (ignoring junk between its
    characters, up to two stray leading characters and, for labels of four or more
    characters, one misread character, for labels of five or more two apart, or one after a
    stray leading character); ``end`` indexes the first character of the value.

    ``near_miss``: the text starts where labels stand on the form, so a label of two or three
    characters may have one of them misread too (名称 read 各称 or 名你)."""
    best = None
    for key, variants in labels.items():
        for label in variants:
            for skip in range(1 if near_miss else 3):
                end = _match_at(text, label, skip, near_miss=near_miss)
                if end is not None and (best is None or (skip, -len(label)) < best[2]):
                    best = (key, end, (skip, -len(label)))
    return (best[0], best[1]) if best else None


def _match_at(text: str, label: str, skip: int, *, near_miss: bool = False) -> int | None:
    # skip up to `skip` leading characters, then read len(label) CJK characters, junk allowed
    i = 0
    skipped = 0
    while i < len(text) and text[i] in _JUNK:
        i += 1
    while skipped < skip and i < len(text):
        i += 1
        skipped += 1
        while i < len(text) and text[i] in _JUNK:
            i += 1
    if skipped < skip:
        return None
    got: list[str] = []
    while i < len(text) and len(got) < len(label):
        if text[i] not in _JUNK:
            got.append(text[i])
        i += 1
    if len(got) < len(label):
        return None
    missed = [k for k, (a, b) in enumerate(zip(got, label, strict=True)) if a != b]
    misses = len(missed)
    # a label of five characters or more with two characters misread, apart (话定代表入 for
    # 法定代表人), is still the label; two side by side may be another word (主要经营项目)
    apart = misses == 2 and missed[1] - missed[0] > 1
    allowed = 2 if len(label) >= 5 and apart else 1 if len(label) >= 4 or near_miss else 0
    if near_miss and misses and not all(is_cjk(c) for c in got):
        return None
    if skip and misses > (1 if len(label) >= 5 else 0):
        return None
    if misses > allowed or (skip and len(label) < 3 and skip > 1):
        return None
    return i


def strip_junk(text: str) -> str:
    start, end = 0, len(text)
    while start < end and text[start] in _JUNK:
        start += 1
    while end > start and text[end - 1] in _JUNK - {")", "）"}:
        end -= 1
    return text[start:end]


def normalise_cjk(text: str) -> str:
    """Spaces out, Chinese punctuation full-width (Tesseract returns ASCII ( ; : ,)."""
    text = re.sub(r"\s+", "", text)
    return text.translate(_FULL_WIDTH).replace("〉", "）")


# A month or day is a whole run of one or two digits; a single digit beside a character that
# looks like a digit (1] for 11, l1, |2) may have lost its twin: such a date is not read at all
# rather than read wrong (2009年1]月 is not January, 11月2l日 not the 2nd).
_DIGIT_LIKE = r"\]\[|lIi!oO"
_NUMBER = rf"(?<!\d)(\d\d|(?<![{_DIGIT_LIKE}])\d(?![{_DIGIT_LIKE}]))(?!\d)"
DATE = re.compile(rf"(\d{{4}})\D{{0,2}}年?\D{{0,2}}?{_NUMBER}\D{{0,2}}月?\D{{0,2}}?{_NUMBER}")


def parse_chinese_date(text: str) -> str | None:
    """First ``YYYY年MM月DD日`` (or YYYY.MM.DD) in ``text`` as an ISO date."""
    for match in DATE.finditer(text):
        try:
            date = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if 1949 <= date.year <= 2100:
            return date.isoformat()
    return None


def find_column_boundary(lines: list[Line], labels: tuple[str, ...]) -> int | None:
    """x where the right column starts: the median left edge of its labels."""
    lefts = []
    for line in lines:
        words = sorted(line.words, key=lambda w: w.left)
        text = "".join(w.text for w in words)
        for label in labels:
            index = text.find(label)
            if index < 0:
                continue
            position = 0
            for word in words:
                if position + len(word.text) > index:
                    lefts.append(word.left)
                    break
                position += len(word.text)
    if not lefts:
        return None
    lefts.sort()
    return lefts[len(lefts) // 2]


def split_columns(lines: list[Line], *, boundary: int | None, gap_factor: float) -> list[Segment]:
    """Each line cut at the column ``boundary`` (x) and at horizontal gaps wider than
    ``gap_factor`` × the line's height."""
    segments = []
    for line in lines:
        words = sorted(line.words, key=lambda w: w.left)
        height = line.height or 1
        current: list[Word] = []
        for word in words:
            if current:
                gap = word.left - current[-1].right
                crosses = (
                    boundary is not None
                    and current[-1].left < boundary - height
                    and word.left >= boundary - height
                )
                if crosses or gap > gap_factor * height:
                    segments.append(Segment(current))
                    current = []
            current.append(word)
        if current:
            segments.append(Segment(current))
    return segments


def body_height(segments: list[Segment]) -> int:
    """Typical character height on the page (median over segments)."""
    heights = sorted(s.height for s in segments if len(s.text) >= 4)
    return heights[len(heights) // 2] if heights else 20


def collect_fields(
    segments: list[Segment],
    labels: dict[str, tuple[str, ...]],
    *,
    continues: set[str],
    max_pitch: float = 2.2,
) -> dict[str, Field]:
    """Fields by label, values continued on following lines of the same column for the keys
    in ``continues`` (long values such as the business scope and the address wrap)."""
    height = body_height(segments)
    ordered = sorted(segments, key=lambda s: (s.top + s.bottom) / 2)
    matches = {id(s): match_label(s.text, labels) for s in ordered}
    # Where labels stand (their left edges), a segment that starts there may be a label with a
    # misread character: match it again, more tolerantly, for the labels not yet found.
    label_lefts = [s.left for s in ordered if matches[id(s)]]
    missing = dict(labels)
    for found_match in matches.values():
        if found_match:
            missing.pop(found_match[0], None)
    for segment in ordered:
        if matches[id(segment)] or not missing:
            continue
        if any(abs(segment.left - left) <= 1.0 * height for left in label_lefts):
            again = match_label(segment.text, missing, near_miss=True) or _cut_short(
                segment.text, missing
            )
            if again:
                matches[id(segment)] = again
                missing.pop(again[0], None)
                continue
        # a letter-spaced label cut in two: 名 alone, then 称 before the value
        head = strip_junk(segment.text)
        if len(head) != 1:
            continue
        for other in ordered:
            rest = strip_junk(other.text)
            beside = (
                other is not segment
                and not matches[id(other)]
                and abs((other.top + other.bottom) / 2 - (segment.top + segment.bottom) / 2)
                < 0.6 * height
                and 0 <= other.left - segment.right < 4 * height
            )
            if not beside or not rest:
                continue
            joined = match_label(head + rest, missing)
            if joined and joined[1] > 1:
                key, end = joined
                # the end within ``other``'s own text: skip its leading junk, then the rest
                offset = len(other.text) - len(other.text.lstrip("".join(_JUNK)))
                matches[id(other)] = (key, offset + end - 1)
                missing.pop(key, None)
                break
    used: set[int] = set()
    fields: dict[str, Field] = {}
    open_fields: list[Field] = []
    for segment in ordered:
        if id(segment) in used:
            continue
        found = matches[id(segment)]
        if found:
            key, end = found
            current = Field(label=key)
            value_words = _words_from(segment.words, end)
            current.lines.append(segment.text[end:])
            current.value_words = value_words
            value_left = _char_left(segment.words, end) if value_words else None
            current.last_top = segment.top
            if not strip_junk(segment.text[end:]):
                # the value was cut off as a segment of its own on the same row
                neighbour = _same_row_right(segment, ordered, matches, used, height)
                if neighbour is not None:
                    used.add(id(neighbour))
                    current.lines.append(neighbour.text)
                    current.value_words = list(neighbour.words)
                    value_left = neighbour.left
            current.value_left = segment.right + height if value_left is None else value_left
            if key not in fields:
                fields[key] = current
            # a label closes the open field above it in the same column
            open_fields = [
                f for f in open_fields if abs(f.value_left - current.value_left) > 4 * height
            ]
            if key in continues:
                open_fields.append(current)
            continue
        for candidate in open_fields:
            near_x = abs(segment.left - candidate.value_left) <= 2 * height
            near_y = 0.5 * height <= segment.top - candidate.last_top <= max_pitch * height
            if near_x and near_y:
                candidate.lines.append(segment.text)
                candidate.value_words.extend(segment.words)
                candidate.last_top = segment.top
                break
    return fields


def _cut_short(text: str, labels: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """``(key, end)`` when ``text`` is a label of ``labels`` whose last characters were lost
    (经营者 read 经营, its value a segment of its own): at least two characters that begin
    the label of one key only; the value is then the segment beside it."""
    head = "".join(c for c in text if c not in _JUNK)
    if len(head) < 2 or not all(is_cjk(c) for c in head):
        return None
    keys = {
        key
        for key, variants in labels.items()
        for label in variants
        if len(label) > len(head) and label.startswith(head)
    }
    return (keys.pop(), len(text)) if len(keys) == 1 else None


def _same_row_right(segment, ordered, matches, used, height) -> Segment | None:
    centre = (segment.top + segment.bottom) / 2
    best = None
    for other in ordered:
        if other is segment or id(other) in used or matches[id(other)]:
            continue
        other_centre = (other.top + other.bottom) / 2
        gap = other.left - segment.right
        beside = abs(other_centre - centre) < 0.6 * height and 0 <= gap < 6 * height
        if beside and (best is None or other.left < best.left):
            best = other
    return best


def _char_left(words: list[Word], index: int) -> int:
    """x of character ``index`` of the words' joined text (characters evenly spread)."""
    position = 0
    for word in words:
        if position + len(word.text) > index:
            offset = index - position
            return word.left + round(word.width * offset / max(len(word.text), 1))
        position += len(word.text)
    return words[-1].right


def _words_from(words: list[Word], end: int) -> list[Word]:
    """The words that hold characters from index ``end`` on."""
    out, position = [], 0
    for word in words:
        if position + len(word.text) > end:
            out.append(word)
        position += len(word.text)
    return out
