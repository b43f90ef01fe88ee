"""Shipping labels: 100 × 150 mm PDF pages, one per shipment, many in one file.

Each label carries a Code 128 barcode of the tracking number (and the number in clear),
the sender (the store's company and its sender address), the recipient, the order number,
the lane and the weight. Chinese text is set in reportlab's built-in CID font STSong-Light,
as the authorisation letters are (``onboarding/letters.py``: the installed Noto CJK fonts
are CFF-based .ttc files reportlab cannot embed); the tracking number, in Helvetica, stays
extractable for scanners and tests. Drawn straight on a canvas (no platypus) so that a
thousand labels take a few seconds.
"""

import datetime
import functools
import io
import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from pricing.countries import COUNTRY_NAMES

from ..exceptions import IllegalStatusChange, ShipmentError
from ..models import EventSource, Shipment, ShipmentStatus
from .tracking import shipments_mark_label_printed

PAGE_SIZE = (100 * mm, 150 * mm)
MARGIN = 5 * mm
CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CARRIER = "经络速通 Jingluo Express"
MAX_LABELS = 1000

_TOKENS = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+"
)


@functools.cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Greedy line breaking that works for Chinese (any character) and Latin (words)."""
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(text.split())):
        candidate = line + token
        if pdfmetrics.stringWidth(candidate.rstrip(), font, size) <= width or not line:
            line = candidate
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
    return lines


def _font(text: str) -> str:
    """Helvetica for plain ASCII (foreign addresses read best in it, and render without
    CJK support), the CID font for anything Chinese."""
    return LATIN if text.isascii() else CJK


def _country(code: str) -> str:
    with translation.override("en"):
        name = COUNTRY_NAMES.get(code)
        return f"{code} {name}".upper() if name else code


def _draw_label(canvas: Canvas, shipment: Shipment) -> None:
    width, height = PAGE_SIZE
    inner = width - 2 * MARGIN
    top = height - MARGIN

    # Header: carrier and service.
    canvas.setFont(CJK, 11)
    canvas.drawString(MARGIN, top - 11, CARRIER)
    canvas.setFont(CJK, 8)
    canvas.drawRightString(width - MARGIN, top - 10, "标准小包 Standard small parcel")
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 16, width - MARGIN, top - 16)

    # Barcode and the number in clear.
    barcode = Code128(shipment.tracking_number, barWidth=0.42 * mm, barHeight=20 * mm, quiet=False)
    barcode.drawOn(canvas, MARGIN + (inner - barcode.width) / 2, top - 16 - 4 * mm - 20 * mm)
    canvas.setFont(LATIN_BOLD, 15)
    canvas.drawCentredString(width / 2, top - 16 - 30 * mm, shipment.tracking_number)
    y = top - 16 - 33 * mm
    canvas.line(MARGIN, y, width - MARGIN, y)

    # Recipient, large.
    y -= 11
    canvas.setFont(CJK, 8)
    canvas.drawString(MARGIN, y, "收件人 TO")
    y -= 14
    canvas.setFont(LATIN_BOLD, 12)
    canvas.drawString(MARGIN, y, shipment.recipient_name[:40])
    if shipment.recipient_phone:
        canvas.setFont(LATIN, 9)
        canvas.drawRightString(width - MARGIN, y, shipment.recipient_phone)
    font = _font(shipment.address)
    canvas.setFont(font, 10.5)
    for line in _wrap(shipment.address, font, 10.5, inner, 3):
        y -= 13
        canvas.drawString(MARGIN, y, line)
    y -= 13
    city = " ".join(p for p in (shipment.city, shipment.postcode) if p)
    canvas.setFont(_font(city), 10.5)
    canvas.drawString(MARGIN, y, city)
    y -= 15
    canvas.setFont(LATIN_BOLD, 12)
    canvas.drawString(MARGIN, y, _country(shipment.country))
    y -= 7
    canvas.line(MARGIN, y, width - MARGIN, y)

    # Sender.
    store = shipment.store
    y -= 10
    canvas.setFont(CJK, 8)
    canvas.drawString(MARGIN, y, "寄件人 FROM")
    for line in _wrap(store.company_name, CJK, 9, inner, 2):
        y -= 11
        canvas.setFont(CJK, 9)
        canvas.drawString(MARGIN, y, line)
    canvas.setFont(CJK, 8)
    for line in _wrap(store.sender_address, CJK, 8, inner, 2):
        y -= 10
        canvas.drawString(MARGIN, y, line)
    canvas.drawString(MARGIN, y - 10, "CHINA")
    y -= 16
    canvas.line(MARGIN, y, width - MARGIN, y)

    # Order, lane, weight, contents.
    rows = [
        ("订单号 Order", shipment.order_number),
        ("线路 Lane", shipment.lane),
        ("重量 Weight", f"{shipment.weight_g} g"),
        ("内件 Contents", shipment.contents[:60]),
        ("日期 Date", f"{timezone.localtime(shipment.created_at):%Y-%m-%d}"),
    ]
    for label, value in rows:
        y -= 11
        canvas.setFont(CJK, 8)
        canvas.drawString(MARGIN, y, label)
        font = _font(value)
        canvas.setFont(font, 9)
        canvas.drawString(
            MARGIN + 24 * mm, y, (_wrap(value, font, 9, inner - 24 * mm, 1) or [""])[0]
        )


def labels_pdf(*, shipments: list[Shipment]) -> bytes:
    """One PDF, one 100 × 150 mm page per shipment (with its ``store`` loaded)."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE_SIZE, invariant=1)
    canvas.setTitle("经络速通 labels")
    canvas.setAuthor(CARRIER)
    for shipment in shipments:
        _draw_label(canvas, shipment)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def shipment_labels_print(
    *, seller, shipment_ids: list[int], user=None, at: datetime.datetime | None = None
) -> bytes:
    """The labels of the seller's shipments ``shipment_ids``, in that order, as one PDF;
    each still ``created`` becomes ``label_printed`` (a reprint changes nothing).

    Raises ``Shipment.DoesNotExist`` when an id is not one of the seller's shipments
    (nothing printed or marked), ``IllegalStatusChange`` for a cancelled one.
    """
    ids = list(dict.fromkeys(shipment_ids))
    if not ids:
        raise ShipmentError(_("Select at least one shipment."))
    if len(ids) > MAX_LABELS:
        raise ShipmentError(
            _("At most %(max)d labels at a time: select fewer shipments.") % {"max": MAX_LABELS}
        )
    found = Shipment.objects.filter(seller=seller, pk__in=ids).select_related("store")
    by_id = {shipment.pk: shipment for shipment in found}
    if len(by_id) != len(ids):
        raise Shipment.DoesNotExist
    shipments = [by_id[pk] for pk in ids]
    cancelled = [s.tracking_number for s in shipments if s.status == ShipmentStatus.CANCELLED]
    if cancelled:
        raise IllegalStatusChange(
            _("Cancelled shipments have no label: %(numbers)s.") % {"numbers": ", ".join(cancelled)}
        )
    pdf = labels_pdf(shipments=shipments)
    shipments_mark_label_printed(
        shipment_ids=ids, at=at or timezone.now(), actor=user, source=EventSource.PORTAL
    )
    return pdf
