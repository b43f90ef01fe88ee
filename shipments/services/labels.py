"""Shipping labels: 100 × 150 mm PDF pages, one label per shipment followed by its customs
declaration (CN22, or CN23 above 300 SDR; none for a parcel from an overseas warehouse that
crosses no customs border), many shipments in one file. A parcel from an overseas warehouse
names the warehouse (pricing's origin) as where it leaves from.

Each label carries a Code 128 barcode of the tracking number (and the number in clear),
the sender (the store's company and its sender address), the recipient with the state or
province, the order number, the lane and the weight. The customs page lists the items (what,
how many, weight, value, HS code, origin), the category "sale of goods", the sender and the
date, readable by ``pdftotext``. Every character is set in one embedded TrueType font
(``core.pdf_fonts``); a character it lacks prints as a visible ``?``. Drawn straight on a
canvas (no platypus) so that a thousand labels take a few seconds.
"""

import datetime
import io
import re
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from core.pdf_fonts import FONT, font, printable
from pricing.countries import COUNTRY_NAMES
from pricing.selectors import origin_get

from ..exceptions import IllegalStatusChange, ShipmentError
from ..models import EventSource, Shipment, ShipmentItem, ShipmentStatus
from .tracking import shipments_mark_label_printed

PAGE_SIZE = (100 * mm, 150 * mm)
MARGIN = 5 * mm
CJK = LATIN = LATIN_BOLD = FONT  # one embedded font for every script
CARRIER = "经络速通 Jingluo Express"
MAX_LABELS = 1000

_TOKENS = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+"
)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Greedy line breaking that works for Chinese (any character) and Latin (words)."""
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(printable(text).split())):
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
    return FONT


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
    if not shipment.livemode:  # an API test key's parcel: never handed to a carrier
        canvas.setFont(CJK, 14)
        canvas.drawCentredString(width / 2, MARGIN, "TEST · 测试 · DO NOT SHIP")
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
    canvas.drawString(MARGIN, y, printable(shipment.recipient_name[:40]))
    if shipment.recipient_phone:
        canvas.setFont(LATIN, 9)
        canvas.drawRightString(width - MARGIN, y, shipment.recipient_phone)
    canvas.setFont(FONT, 10.5)
    street = ", ".join(p for p in (shipment.address, shipment.address2) if p)
    for line in _wrap(street, FONT, 10.5, inner, 3):
        y -= 13
        canvas.drawString(MARGIN, y, line)
    y -= 13
    city = " ".join(p for p in (shipment.city, shipment.state, shipment.postcode) if p)
    canvas.drawString(MARGIN, y, printable(city))
    y -= 15
    canvas.setFont(LATIN_BOLD, 12)
    canvas.drawString(MARGIN, y, _country(shipment.country))
    y -= 7
    canvas.line(MARGIN, y, width - MARGIN, y)

    # Sender: the store, from China or from an overseas warehouse (its dispatch address).
    store = shipment.store
    origin = origin_get(code=shipment.origin)
    warehouse = origin if origin is not None and origin.is_overseas else None
    y -= 10
    canvas.setFont(CJK, 8)
    canvas.drawString(MARGIN, y, "寄件人 FROM")
    for line in _wrap(store.company_name, CJK, 9, inner, 2 if warehouse is None else 1):
        y -= 11
        canvas.setFont(CJK, 9)
        canvas.drawString(MARGIN, y, line)
    canvas.setFont(CJK, 8)
    sender_address = store.sender_address if warehouse is None else warehouse.address
    if warehouse is not None:
        y -= 10
        canvas.drawString(MARGIN, y, (_wrap(warehouse.name, CJK, 8, inner, 1) or [""])[0])
    for line in _wrap(sender_address, CJK, 8, inner, 2):
        y -= 10
        canvas.drawString(MARGIN, y, line)
    canvas.drawString(MARGIN, y - 10, "CHINA" if warehouse is None else _country(warehouse.country))
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
        canvas.setFont(FONT, 9)
        canvas.drawString(
            MARGIN + 24 * mm, y, (_wrap(value, FONT, 9, inner - 24 * mm, 1) or [""])[0]
        )


# The customs page: item rows per page, then the totals and the declaration.
ITEMS_PER_PAGE = 8


def _customs_lines(shipment: Shipment) -> list[tuple[str, int, int, Decimal, str, str]]:
    """(description, quantity, weight g, value, HS code, origin) per item; a shipment made
    before item lines existed declares its one contents line."""
    items: list[ShipmentItem] = list(shipment.items.all())
    if not items:
        return [(shipment.contents, 1, shipment.weight_g, shipment.declared_value, "", "CN")]
    return [
        (
            i.description,
            i.quantity,
            i.unit_weight_g * i.quantity,
            i.value,
            i.hs_code,
            i.origin_country,
        )
        for i in items
    ]


def _draw_customs(canvas: Canvas, shipment: Shipment, lines: list, page: int, pages: int) -> None:
    width, height = PAGE_SIZE
    inner = width - 2 * MARGIN
    y = height - MARGIN - 11
    form = shipment.customs_form or "CN22"
    canvas.setFont(FONT, 11)
    canvas.drawString(MARGIN, y, f"CUSTOMS DECLARATION {form[:2]} {form[2:]}")
    canvas.setFont(FONT, 7)
    canvas.drawRightString(width - MARGIN, y, f"{page}/{pages}")
    y -= 10
    canvas.drawString(MARGIN, y, f"May be opened officially · {shipment.tracking_number}")
    y -= 10
    canvas.drawString(MARGIN, y, "Category of item: [X] Sale of goods   [ ] Gift   [ ] Documents")
    y -= 4
    canvas.line(MARGIN, y, width - MARGIN, y)
    columns = [
        (MARGIN, "Description"),
        (MARGIN + 38 * mm, "Qty"),
        (MARGIN + 46 * mm, "kg"),
        (MARGIN + 56 * mm, f"Value {shipment.declared_currency}"),
        (MARGIN + 72 * mm, "HS"),
        (MARGIN + 86 * mm, "Orig."),
    ]
    y -= 9
    for x, title in columns:
        canvas.drawString(x, y, title)
    first = (page - 1) * ITEMS_PER_PAGE
    for description, quantity, weight_g, value, hs_code, origin in lines[
        first : first + ITEMS_PER_PAGE
    ]:
        y -= 10
        texts = [
            (_wrap(description, FONT, 7, 37 * mm, 1) or [""])[0],
            str(quantity),
            f"{Decimal(weight_g) / 1000:.3f}",
            f"{value:.2f}",
            hs_code or "-",
            origin,
        ]
        for (x, _title), text in zip(columns, texts, strict=True):
            canvas.drawString(x, y, text)
    if page < pages:
        return
    y -= 6
    canvas.line(MARGIN, y, width - MARGIN, y)
    total_g = sum(line[2] for line in lines)
    y -= 10
    canvas.drawString(MARGIN, y, f"Total gross weight: {Decimal(total_g) / 1000:.3f} kg")
    canvas.drawRightString(
        width - MARGIN,
        y,
        f"Total value: {shipment.declared_value:.2f} {shipment.declared_currency}",
    )
    y -= 10
    canvas.drawString(MARGIN, y, f"Incoterm: {shipment.incoterm}")
    if shipment.ioss_number:
        canvas.drawRightString(width - MARGIN, y, f"IOSS: {shipment.ioss_number}")
    elif shipment.uk_vat_number:
        canvas.drawRightString(width - MARGIN, y, f"UK VAT: {shipment.uk_vat_number}")
    store = shipment.store
    y -= 12
    canvas.drawString(MARGIN, y, "Sender 寄件人:")
    sender_name = store.sender_name_latin or store.company_name
    sender_address = store.sender_address_latin or store.sender_address
    for line in _wrap(sender_name, FONT, 7, inner, 1) + _wrap(sender_address, FONT, 7, inner, 2):
        y -= 9
        canvas.drawString(MARGIN, y, line)
    y -= 9
    canvas.drawString(MARGIN, y, "CHINA")
    y -= 14
    for line in _wrap(
        "I certify that the particulars given in this declaration are correct and that this "
        "item does not contain any dangerous article prohibited by legislation or by postal "
        "or customs regulations.",
        FONT,
        6.5,
        inner,
        4,
    ):
        canvas.setFont(FONT, 6.5)
        canvas.drawString(MARGIN, y, line)
        y -= 8
    y -= 4
    canvas.setFont(FONT, 7)
    date = f"{timezone.localtime(shipment.created_at):%Y-%m-%d}"
    canvas.drawString(MARGIN, y, f"Date: {date}    Signature: {sender_name[:40]}")


def labels_pdf(*, shipments: list[Shipment]) -> bytes:
    """One PDF: per shipment (with its ``store`` and ``items`` loaded) its 100 × 150 mm
    label, then its customs declaration on as many pages as its items need."""
    font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE_SIZE, invariant=1, initialFontName=FONT)
    canvas.setTitle("经络速通 labels")
    canvas.setAuthor(CARRIER)
    for shipment in shipments:
        _draw_label(canvas, shipment)
        canvas.showPage()
        if not shipment.customs_form:  # no border crossed: no declaration
            continue
        lines = _customs_lines(shipment)
        pages = max(1, -(-len(lines) // ITEMS_PER_PAGE))
        for page in range(1, pages + 1):
            _draw_customs(canvas, shipment, lines, page, pages)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def shipment_labels_print(
    *,
    seller,
    shipment_ids: list[int],
    user=None,
    at: datetime.datetime | None = None,
    fmt: str = "pdf",
    max_labels: int = MAX_LABELS,
) -> bytes:
    """The labels of the seller's shipments ``shipment_ids``, in that order, as one PDF (or
    ZPL, ``fmt="zpl"``); each still ``created`` becomes ``label_printed`` (a reprint
    changes nothing).

    Raises ``Shipment.DoesNotExist`` when an id is not one of the seller's shipments
    (nothing printed or marked), ``IllegalStatusChange`` for a cancelled one.
    """
    ids = list(dict.fromkeys(shipment_ids))
    if not ids:
        raise ShipmentError(_("Select at least one shipment."))
    if len(ids) > max_labels:
        raise ShipmentError(
            _("At most %(max)d labels at a time: select fewer shipments.") % {"max": max_labels}
        )
    found = (
        Shipment.objects.filter(seller=seller, pk__in=ids)
        .select_related("store")
        .prefetch_related("items")
    )
    by_id = {shipment.pk: shipment for shipment in found}
    if len(by_id) != len(ids):
        raise Shipment.DoesNotExist
    shipments = [by_id[pk] for pk in ids]
    cancelled = [s.tracking_number for s in shipments if s.status == ShipmentStatus.CANCELLED]
    if cancelled:
        raise IllegalStatusChange(
            _("Cancelled shipments have no label: %(numbers)s.") % {"numbers": ", ".join(cancelled)}
        )
    if fmt == "zpl":
        from .label_formats import labels_zpl

        pdf = labels_zpl(shipments=shipments)
    else:
        pdf = labels_pdf(shipments=shipments)
    shipments_mark_label_printed(
        shipment_ids=ids, at=at or timezone.now(), actor=user, source=EventSource.PORTAL
    )
    return pdf
