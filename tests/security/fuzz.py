"""Hypothesis strategies for hostile uploads: random bytes, real JPEG/PNG/PDF files with
bytes flipped, cut short or spliced, true headers over random bodies, images whose header
claims a huge canvas, and names that lie about the type."""

import io
import struct
import zlib

from hypothesis import strategies as st
from PIL import Image


def _jpeg(size, colour=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 200).save(buffer, "PNG")
    return buffer.getvalue()


def _pdf(size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PDF")
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, *, body: bytes = b"") -> bytes:
    """A PNG whose header (with a correct CRC) claims width × height, over ``body``."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(body))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF0 frame header is rewritten to claim width × height."""
    data = bytearray(_jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Real, valid files the mutations start from. Small, so that the views stay fast; one
# image above the OCR's minimum side (300 px), so that mutations reach Tesseract too.
SEEDS = {
    "jpeg": _jpeg((64, 40)),
    "jpeg-large": _jpeg((360, 320), (250, 250, 250)),
    "png": _png((64, 40)),
    "pdf": _pdf(),
}
HEADERS = (b"\xff\xd8\xff", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"%PDF-")
NAMES = st.sampled_from(
    [
        "licence.jpg",
        "licence.JPEG",
        "licence.png",
        "licence.pdf",
        "营业执照.PDF",
        "licence.gif",
        "licence",
        "licence.pdf.exe",
        "../../etc/passwd.jpg",
        "a" * 300 + ".png",
        "licence.jpg\x00.pdf",
        ".jpg",
    ]
)


@st.composite
def mutated(draw) -> bytes:
    """A valid seed file with a few bytes flipped, a slice cut, or a slice inserted."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "flip":
            data[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            data = data[: max(1, at)]
    return bytes(data) or b"\x00"


@st.composite
def header_over_noise(draw) -> bytes:
    body = draw(st.binary(max_size=2048))
    tail = draw(st.sampled_from([b"", b"%%EOF", b"\n%%EOF\n", b"\xff\xd9", b"IEND\xaeB`\x82"]))
    return draw(st.sampled_from(HEADERS)) + body + tail


@st.composite
def huge_canvas(draw) -> bytes:
    side = st.integers(1, 65535)
    width, height = draw(side), draw(side)
    if draw(st.booleans()):
        return png_claiming(width, height, body=draw(st.binary(max_size=256)))
    return jpeg_claiming(width, height)


@st.composite
def truncated(draw) -> bytes:
    data = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
    return data[: draw(st.integers(1, len(data) - 1))]


hostile_bytes = st.one_of(
    st.binary(min_size=0, max_size=4096),
    mutated(),
    header_over_noise(),
    huge_canvas(),
    truncated(),
)
