"""Labels for thermal printers: ZPL II at 203 dpi (8 dots/mm) on 100 × 150 mm stock, and the
PDF label as a 203 dpi PNG.

ZPL: one format (``^XA … ^XZ``) for the label and one per page of the customs declaration,
the same facts as the PDF (``labels``): a Code 128 barcode of the tracking number (``^BC``),
the recipient, the sender, order, lane, weight, contents; text in UTF-8 (``^CI28``), every
field hex-escaped (``^FH``) so that a seller's ``^`` or ``~`` cannot become a command. Latin
text uses the printer's scalable font 0; text with Chinese characters uses the TrueType font
``API_ZPL_CJK_FONT`` (default ``E:SIMSUN.TTF``), which such printers carry or are sent once.
PNG: the PDF's label page rendered by PDFium (pypdfium2's wheel, no system package) at
203 dpi, 799 × 1199 pixels, one bit of grey per dot as a thermal printer prints it.
"""

import io
import re

from django.conf import settings
from django.utils import timezone

from ..models import Shipment
from .labels import CARRIER, _country, _customs_lines, labels_pdf

DPI = 203
DOTS_PER_MM = 8
WIDTH, HEIGHT = 100 * DOTS_PER_MM, 150 * DOTS_PER_MM
MARGIN = 40
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
ITEMS_PER_PAGE = 12


def _hex(text: str) -> str:
    """A field's data for ``^FH_``: the characters ZPL reads as commands, hex-escaped."""
    out = []
    for char in text:
        if char in "^~_" or ord(char) < 32:
            out.append("".join(f"_{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def _text(x: int, y: int, text: str, *, size: int = 30, width: int | None = None) -> str:
    font = (
        f"^A@N,{size},{size},{settings.API_ZPL_CJK_FONT}"
        if _CJK.search(text)
        else f"^A0N,{size},{size}"
    )
    block = f"^FB{width},1,0,L,0" if width else ""
    return f"^FO{x},{y}{font}{block}^FH_^FD{_hex(text)}^FS"


def _line(y: int) -> str:
    return f"^FO{MARGIN},{y}^GB{WIDTH - 2 * MARGIN},2,2^FS"


def _label(shipment: Shipment) -> str:
    inner = WIDTH - 2 * MARGIN
    store = shipment.store
    parts = [
        "^XA",
        "^CI28",
        f"^PW{WIDTH}",
        f"^LL{HEIGHT}",
        "^LH0,0",
        _text(MARGIN, 30, CARRIER, size=32),
        _text(WIDTH - 330, 36, "Standard small parcel", size=24),
        _line(75),
        # Code 128 of the tracking number, 160 dots high, module 3 dots.
        f"^FO{MARGIN + 40},100^BY3,3,160^BCN,160,N,N,N^FD{shipment.tracking_number}^FS",
        _text(MARGIN, 275, shipment.tracking_number, size=48, width=inner),
        _line(335),
        _text(MARGIN, 350, "TO", size=22),
        _text(MARGIN, 380, shipment.recipient_name[:40], size=36),
    ]
    y = 425
    if shipment.recipient_phone:
        parts.append(_text(MARGIN, y, shipment.recipient_phone[:30], size=26))
        y += 35
    street = ", ".join(p for p in (shipment.address, shipment.address2) if p)
    for start in range(0, min(len(street), 120), 40):
        parts.append(_text(MARGIN, y, street[start : start + 40], size=30))
        y += 36
    city = " ".join(p for p in (shipment.city, shipment.state, shipment.postcode) if p)
    parts += [
        _text(MARGIN, y, city[:45], size=30),
        _text(MARGIN, y + 40, _country(shipment.country), size=40),
        _line(y + 95),
    ]
    y += 110
    parts.append(_text(MARGIN, y, "FROM", size=22))
    parts.append(_text(MARGIN, y + 28, store.company_name[:30], size=26))
    parts.append(_text(MARGIN, y + 60, store.sender_address[:34], size=22))
    parts.append(_text(MARGIN, y + 88, "CHINA", size=22))
    y += 125
    parts.append(_line(y))
    rows = [
        ("Order", shipment.order_number),
        ("Lane", shipment.lane),
        ("Weight", f"{shipment.weight_g} g"),
        ("Contents", shipment.contents[:40]),
        ("Date", f"{timezone.localtime(shipment.created_at):%Y-%m-%d}"),
    ]
    for label, value in rows:
        y += 36
        parts.append(_text(MARGIN, y, label, size=24))
        parts.append(_text(MARGIN + 190, y, value, size=26))
    if not shipment.livemode:
        parts.append(_text(WIDTH - 260, HEIGHT - 80, "TEST - DO NOT SHIP", size=28))
    parts.append("^XZ")
    return "\n".join(parts)


def _customs(shipment: Shipment) -> list[str]:
    lines = _customs_lines(shipment)
    pages = max(1, -(-len(lines) // ITEMS_PER_PAGE))
    form = shipment.customs_form or "CN22"
    formats = []
    for page in range(1, pages + 1):
        parts = [
            "^XA",
            "^CI28",
            f"^PW{WIDTH}",
            f"^LL{HEIGHT}",
            _text(MARGIN, 30, f"CUSTOMS DECLARATION {form}", size=34),
            _text(WIDTH - 140, 36, f"{page}/{pages}", size=24),
            _text(MARGIN, 75, f"May be opened officially - {shipment.tracking_number}", size=22),
            _text(MARGIN, 105, "Category: [X] Sale of goods", size=22),
            _line(135),
            _text(MARGIN, 145, "Description          Qty   kg     Value   HS", size=22),
        ]
        y = 175
        first = (page - 1) * ITEMS_PER_PAGE
        for description, quantity, weight_g, value, hs_code, origin in lines[
            first : first + ITEMS_PER_PAGE
        ]:
            parts.append(_text(MARGIN, y, description[:26], size=22))
            parts.append(
                _text(
                    MARGIN + 380,
                    y,
                    f"{quantity}  {weight_g / 1000:.3f}  {value:.2f}  {hs_code or '-'} {origin}",
                    size=22,
                )
            )
            y += 30
        if page == pages:
            total_g = sum(line[2] for line in lines)
            parts += [
                _line(y + 10),
                _text(MARGIN, y + 25, f"Total gross weight: {total_g / 1000:.3f} kg", size=24),
                _text(
                    MARGIN,
                    y + 58,
                    f"Total value: {shipment.declared_value:.2f} {shipment.declared_currency}",
                    size=24,
                ),
                _text(MARGIN, y + 91, f"Incoterm: {shipment.incoterm}", size=24),
            ]
            number = shipment.ioss_number or shipment.uk_vat_number
            if number:
                kind = "IOSS" if shipment.ioss_number else "UK VAT"
                parts.append(_text(MARGIN, y + 124, f"{kind}: {number}", size=24))
            sender = shipment.store.sender_name_latin or shipment.store.company_name
            parts.append(_text(MARGIN, y + 160, f"Sender: {sender[:40]}", size=22))
        parts.append("^XZ")
        formats.append("\n".join(parts))
    return formats


def labels_zpl(*, shipments: list[Shipment]) -> bytes:
    """ZPL II for the shipments (each with its ``store`` and ``items`` loaded): per shipment
    its label, then its customs declaration."""
    formats: list[str] = []
    for shipment in shipments:
        formats.append(_label(shipment))
        formats += _customs(shipment)
    return ("\n".join(formats) + "\n").encode("utf-8")


def label_png(*, shipment: Shipment) -> bytes:
    """The label page of the shipment's PDF as a PNG at 203 dpi (the customs declaration
    pages are in the PDF and the ZPL)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(labels_pdf(shipments=[shipment]))
    try:
        page = pdf[0]
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        image = bitmap.to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
        return buffer.getvalue()
    finally:
        pdf.close()
