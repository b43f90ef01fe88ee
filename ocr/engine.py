"""Turning uploaded bytes into clean page images and Tesseract words.

Pages: JPEG/PNG decoded with EXIF orientation applied; PDFs rasterised with ``pdftoppm``.
Preprocessing: scale to a working resolution, take the red channel as grey (red seals, borders
and guilloche become background while black print stays dark), flatten uneven lighting, deskew
by projection profile, and binarise. Tesseract runs single-threaded (``OMP_THREAD_LIMIT=1``,
several Celery worker processes share the cores) with a per-page timeout.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import shlex
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .errors import OcrTimeout, UnreadableDocument

LANGUAGES = "chi_sim+eng"
PAGE_TIMEOUT_SECONDS = 30  # per Tesseract call on a page
PDF_TIMEOUT_SECONDS = 30
PDF_MAX_PAGES = 2
PDF_DPI = 300
PDF_MAX_SIDE = 2000  # pixels: the longest side of a rendered page, at most PDF_DPI
WORKING_WIDTH = 1600  # pixels: the longest side after scaling (text about 25 px high)
MIN_SIDE = 300
MAX_SKEW_DEGREES = 6.0

# The licence's company-name line is read a second time with the LSTM model of the
# tessdata 4.0.0 chi_sim (it reads rare trade-name characters such as 鑫 恒 泰 that the
# distribution's tessdata_fast model confuses). `make venv` installs it here; without it the
# second reading is skipped.
NAME_MODEL_DIR = Path(
    os.environ.get("OCR_NAME_TESSDATA_DIR")
    or Path(__file__).resolve().parents[1] / "var" / "tessdata"
)

os.environ["OMP_THREAD_LIMIT"] = "1"
logger = logging.getLogger(__name__)


@dataclass
class Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line_key: tuple[int, int, int]

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> int:
        return int(np.median([w.height for w in self.words]))


@dataclass
class Page:
    gray: np.ndarray  # deskewed, lighting flattened, uint8
    binary: np.ndarray  # black text on white, uint8 0/255


def tesseract_version() -> str:
    return str(pytesseract.get_tesseract_version())


def name_model_dir() -> Path | None:
    """The tessdata folder of the name-line model, None (logged once) when not installed."""
    if (NAME_MODEL_DIR / "chi_sim.traineddata").is_file():
        return NAME_MODEL_DIR
    _warn_name_model_missing()
    return None


@functools.cache
def _warn_name_model_missing() -> None:
    logger.warning("OCR name model missing in %s: run `make venv`", NAME_MODEL_DIR)


# ---------------------------------------------------------------- loading


def load_pages(*, data: bytes, content_type: str) -> list[Image.Image]:
    if content_type == "application/pdf":
        return _pdf_pages(data)
    if content_type in ("image/jpeg", "image/png"):
        return [_open_image(data)]
    raise UnreadableDocument("unsupported_type")


def _open_image(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            image.load()
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableDocument("image_unopenable") from exc
    except Image.DecompressionBombWarning as exc:
        raise UnreadableDocument("image_too_large") from exc
    if min(image.size) < MIN_SIDE:
        raise UnreadableDocument("image_too_small")
    return image.convert("RGB")


def _pdf_pages(data: bytes) -> list[Image.Image]:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted and len(reader.pages) == 0:
            raise UnreadableDocument("pdf_no_pages")
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableDocument("pdf_unopenable") from exc
    if encrypted:
        raise UnreadableDocument("pdf_encrypted")
    try:
        box = reader.pages[0].mediabox
        longest_inches = max(float(box.width), float(box.height)) / 72
    except (PdfReadError, ValueError, KeyError, TypeError):
        longest_inches = 11.69  # A4
    # render at up to 300 dpi, but no larger than the working resolution needs
    dpi = max(72, min(PDF_DPI, round(PDF_MAX_SIDE / max(longest_inches, 1))))
    with tempfile.TemporaryDirectory(prefix="ocr-pdf-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            # uncompressed PPM output: pdftoppm's PNG encoder takes seconds per page
            command = ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", str(PDF_MAX_PAGES)]
            subprocess.run(  # noqa: S603 (fixed arguments, our own temporary file)
                [*command, str(source), str(Path(tmp) / "page")],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrTimeout("pdf_timeout") from exc
        except subprocess.CalledProcessError as exc:
            raise UnreadableDocument("pdf_unrenderable") from exc
        pages = []
        for path in sorted(Path(tmp).glob("page*.ppm")):
            with Image.open(path) as page:
                pages.append(page.convert("RGB"))
    if not pages:
        raise UnreadableDocument("pdf_no_pages")
    return pages


# ---------------------------------------------------------------- preprocessing


def prepare(image: Image.Image, *, working_width: int = WORKING_WIDTH) -> Page:
    """Grey, flattened, deskewed and binarised version of a photographed document."""
    rgb = np.asarray(image)
    h, w = rgb.shape[:2]
    scale = working_width / max(w, h * 1.0)
    if abs(scale - 1) > 0.05:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        rgb = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=interpolation)
    # Red seal, red border and pinkish guilloche are bright in the red channel; black and grey
    # print stays dark in every channel. Pixels that are not reddish keep their luminance.
    r = rgb[..., 0].astype(np.int16)
    g = rgb[..., 1].astype(np.int16)
    b = rgb[..., 2].astype(np.int16)
    luminance = (0.299 * r + 0.587 * g + 0.114 * b).astype(np.int16)
    reddish = (r - np.maximum(g, b)) > 30
    gray = np.where(reddish, r, luminance).astype(np.uint8)
    gray = _flatten_lighting(gray)
    gray = _levels(gray)
    angle = _skew_angle(gray)
    if abs(angle) > 0.1:
        gray = _rotate(gray, angle)
    _threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return Page(gray=gray, binary=binary)


def _flatten_lighting(gray: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness (text removed by a closing) so shadows disappear."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), 3)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]))
    flat = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1) * 235
    return np.clip(flat, 0, 255).astype(np.uint8)


WHITE_LEVEL = 215  # after flattening paper is ~235; faint patterns sit between 200 and 230
BLACK_LEVEL = 40


def _levels(gray: np.ndarray) -> np.ndarray:
    """Stretch so faint background patterns (guilloche, paper texture) become white."""
    lut = np.clip((np.arange(256) - BLACK_LEVEL) * 255.0 / (WHITE_LEVEL - BLACK_LEVEL), 0, 255)
    return cv2.LUT(gray, lut.astype(np.uint8))


def _skew_angle(gray: np.ndarray) -> float:
    """Rotation (degrees) that makes text lines horizontal: the angle whose row profile of
    dark pixels is the most peaked."""
    small = cv2.resize(gray, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
    ink = (small < 150).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def score(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        rows = rotated.sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=score)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=score)
    return float(fine)


def _rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def rotate_quadrants(image: Image.Image, degrees: int) -> Image.Image:
    return image.rotate(-degrees, expand=True) if degrees % 360 else image


def detect_orientation(page: Page) -> int:
    """Clockwise rotation (0/90/180/270) Tesseract OSD says the page needs, 0 when unsure."""
    try:
        osd = pytesseract.image_to_osd(
            page.binary, config="--psm 0 -c min_characters_to_try=20", timeout=PAGE_TIMEOUT_SECONDS
        )
    except pytesseract.TesseractError:
        return 0
    except RuntimeError as exc:
        raise OcrTimeout("timeout") from exc
    rotate = confidence = 0.0
    for line in osd.splitlines():
        key, _sep, value = line.partition(":")
        if key.strip() == "Rotate":
            rotate = float(value)
        elif key.strip() == "Orientation confidence":
            confidence = float(value)
    return int(rotate) if confidence >= 2.0 else 0


# ---------------------------------------------------------------- tesseract


def ocr_words(
    image: np.ndarray,
    *,
    psm: int = 3,
    lang: str = LANGUAGES,
    config: str = "",
    tessdata_dir: Path | None = None,
):
    """Words with confidences and boxes from ``image_to_data``."""
    if tessdata_dir is not None:
        config = f"--tessdata-dir {shlex.quote(str(tessdata_dir))} {config}"
    try:
        data = pytesseract.image_to_data(
            image,
            lang=lang,
            config=f"--psm {psm} {config}".strip(),
            output_type=pytesseract.Output.DICT,
            timeout=PAGE_TIMEOUT_SECONDS,
        )
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrTimeout("timeout") from exc
    except pytesseract.TesseractError as exc:
        raise UnreadableDocument("unreadable") from exc
    words = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(
            Word(
                text=text,
                conf=conf,
                left=data["left"][i],
                top=data["top"][i],
                width=data["width"][i],
                height=data["height"][i],
                line_key=(data["block_num"][i], data["par_num"][i], data["line_num"][i]),
            )
        )
    return words


def group_lines(words: list[Word]) -> list[Line]:
    lines: dict[tuple[int, int, int], Line] = {}
    for word in words:
        lines.setdefault(word.line_key, Line()).words.append(word)
    return list(lines.values())


def crop(gray: np.ndarray, box: tuple[int, int, int, int], *, pad: int) -> np.ndarray:
    left, top, right, bottom = box
    h, w = gray.shape
    return gray[max(0, top - pad) : min(h, bottom + pad), max(0, left - pad) : min(w, right + pad)]


_IN_LINE_BLANK = 0.15  # a blank this share of a line's box high or less is inside the line


def line_band(
    gray: np.ndarray, box: tuple[int, int, int, int], *, short: bool = False
) -> tuple[int, int]:
    """``(top, bottom)`` of the text line that ``box`` holds, from the ink in its columns.

    Tesseract's word boxes of Chinese text are loose (a box may reach into the next line), so
    a crop taken from them catches parts of the lines above and below; here the rows with ink
    are split into bands at blank rows, and the band that covers most of ``box`` is the line.
    ``short``: the box holds a few characters only (a person's name), whose strokes may leave
    a row blank across all of them (丽 or 霞 in a Kai face); a blank of a few rows then does not
    split the line.
    """
    _left, top, _right, bottom = box
    bands: list[tuple[int, int]] = []
    for band in ink_bands(gray, box):
        if short and bands and band[0] - bands[-1][1] <= _IN_LINE_BLANK * (bottom - top):
            bands[-1] = (bands[-1][0], band[1])
        else:
            bands.append(band)
    if not bands:
        return top, bottom

    def overlap(band: tuple[int, int]) -> int:
        return min(band[1], bottom) - max(band[0], top)

    best = max(bands, key=overlap)
    return (best[0], best[1]) if overlap(best) > 0 else (top, bottom)


_INK = 128  # a pixel darker than this is ink, on a page of good contrast


def ink_threshold(region: np.ndarray) -> int:
    """The grey level below which a pixel of ``region`` is ink: 128, or, where the print is
    faint (a phone photo in shadow, its strokes at 110-140 on paper at 230), halfway between
    the darkest print and the paper (its median), so that a faint line is not cut into specks."""
    if region.size == 0:
        return _INK
    darkest, paper = np.percentile(region, (1, 50))
    return max(_INK, int((darkest + paper) / 2))


def ink_bands(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """``(top, bottom)`` of each band of rows with ink in the columns of ``box``, from a box
    height above it to a box height below it, top to bottom."""
    left, top, right, bottom = box
    h, w = gray.shape
    reach = max(bottom - top, 8)
    y0, y1 = max(0, top - reach), min(h, bottom + reach)
    region = gray[y0:y1, max(0, left) : min(w, right)]
    if region.size == 0:
        return []
    ink = (region < ink_threshold(region)).sum(axis=1)
    rows = ink > max(1, 0.01 * region.shape[1])
    bands, start = [], None
    for y, on in enumerate([*rows, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append((start + y0, y + y0))
            start = None
    return bands
