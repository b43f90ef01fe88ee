"""The authorisation letters the portal pre-fills for the seller to print, sign, stamp and upload.

- 物流服务授权书: the seller (授权方) authorises 经络速通 to carry the parcels of one store, read
  the store's logistics metrics and charge per the price list.
- 委托物流服务授权书: for a store run by an agency operator (代运营), the seller (委托方)
  authorises the agency (受托方) to deal with 经络速通 for that store; both sign and stamp.

Both are one A4 page in Chinese, set in the portal's one embedded font (``core.pdf_fonts``,
subset to the characters used), so the letter prints the same on any printer; the text stays
extractable so that a test (or ops) can read it back, and a character the font lacks prints as
a visible ``?``. The PDF is built with `invariant=1`: the same input gives the same bytes.
"""

import datetime
import functools
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf_fonts import FONT, font, printable

CARRIER_NAME = "经络速通（Jingluo Express）"

PAGE_WIDTH, _ = A4
MARGIN_X = 2.2 * cm
MARGIN_Y = 1.5 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
LABEL_WIDTH = 3.4 * cm
SECOND_LABEL_WIDTH = 2.4 * cm
SEAL_SIZE = 3.3 * cm
RULE = colors.Color(0.55, 0.55, 0.55)


_Row = tuple[str, str] | tuple[str, str, str, str]


@dataclass(frozen=True)
class LetterParty:
    company_name: str
    uscc: str  # 统一社会信用代码
    address: str
    legal_representative: str


def authorisation_letter_pdf(
    *,
    seller: LetterParty,
    platform_label: str,
    store_id: str,
    issued_on: datetime.date,
    reference: str,
) -> bytes:
    """物流服务授权书: `seller` authorises 经络速通 for the store `store_id` on `platform_label`."""
    styles = _styles()
    date = chinese_date(issued_on)
    story = [
        *_heading("物流服务授权书", reference=reference, date=date),
        _details_table(
            [
                *_party_rows("授权方（甲方）", seller),
                ("被授权方（乙方）", CARRIER_NAME),
                ("店铺所属平台", platform_label, "店铺ID", store_id),
            ]
        ),
        Spacer(1, 0.45 * cm),
        _paragraph(
            "甲方为上述店铺的合法经营者。为使用乙方提供的跨境物流服务，甲方特作如下授权：",
            styles["body"],
        ),
        *_clauses(
            [
                "承运：甲方授权乙方为上述店铺的订单承运跨境包裹，提供相应的跨境物流服务。",
                "数据读取：甲方授权乙方读取上述店铺的物流指标，包括好评率、DSR物流分及履约分，"
                "仅用于为上述店铺提供本授权项下的物流服务。",
                "费用：乙方按其价格表以人民币（RMB）向甲方收取物流服务费用，不收取开户费、"
                "对接费或年费；结算方式为月结（T+15）或实时扣款，由甲方在开通服务时选定。",
                f"有效期：本授权书自{date}起生效，至甲方书面撤销之日止。",
                "甲方保证上述信息真实、准确、完整，并对本授权书的真实性负责。",
            ]
        ),
        Spacer(1, 0.6 * cm),
        _signatures([("授权方（甲方）", seller)]),
        *_footer(reference),
    ]
    return _render(story, title="物流服务授权书", reference=reference)


def agency_authorisation_letter_pdf(
    *,
    seller: LetterParty,
    agency: LetterParty,
    platform_label: str,
    store_id: str,
    issued_on: datetime.date,
    reference: str,
) -> bytes:
    """委托物流服务授权书: `seller` authorises the agency operator `agency` to deal with
    经络速通 on its behalf for the store `store_id` on `platform_label`. Both sign and stamp."""
    styles = _styles()
    date = chinese_date(issued_on)
    story = [
        *_heading("委托物流服务授权书", reference=reference, date=date),
        _details_table(
            [
                *_party_rows("委托方（甲方）", seller),
                *_party_rows("受托方（乙方）", agency),
                ("物流服务商", CARRIER_NAME),
                ("店铺所属平台", platform_label, "店铺ID", store_id),
            ]
        ),
        Spacer(1, 0.4 * cm),
        _paragraph(
            "甲方为上述店铺的合法经营者，已委托乙方代运营该店铺。现甲方授权乙方代表甲方，"
            "就上述店铺的物流服务与经络速通（以下简称“服务商”）开展合作，具体如下：",
            styles["body"],
        ),
        *_clauses(
            [
                "委托事项：乙方可代表甲方办理上述店铺使用服务商物流服务的开通申请、下单发货、"
                "运单查询与处理、费用结算及相关沟通事宜。",
                "承运与数据：甲方同意服务商为上述店铺的订单承运跨境包裹，并读取该店铺的物流指标"
                "（好评率、DSR物流分、履约分），仅用于为上述店铺提供本授权项下的物流服务。",
                "费用：服务商按其价格表以人民币（RMB）收取物流服务费用，结算方式为月结（T+15）"
                "或实时扣款；服务商不收取开户费、对接费或年费。",
                "责任：乙方在授权范围内代表甲方所为的行为，其法律后果由甲方承担。",
                f"有效期：本授权书自{date}起生效，至甲方书面撤销之日止；甲方撤销授权的，"
                "应书面通知乙方及服务商。",
                "甲乙双方保证上述信息真实、准确、完整，并对本授权书的真实性负责。",
            ]
        ),
        Spacer(1, 0.5 * cm),
        _signatures([("委托方（甲方）", seller), ("受托方（乙方）", agency)]),
        *_footer(reference),
    ]
    return _render(story, title="委托物流服务授权书", reference=reference)


def chinese_date(day: datetime.date) -> str:
    """2026-11-25 → 2026年11月25日."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- building blocks -------------------------------------------------------------------------


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    font()
    base = ParagraphStyle(
        "letter", fontName=FONT, fontSize=10.5, leading=15.5, wordWrap="CJK", alignment=TA_JUSTIFY
    )
    return {
        "body": base,
        "clause": ParagraphStyle("clause", parent=base, leftIndent=21, firstLineIndent=-21),
        "cell": ParagraphStyle("cell", parent=base, leading=14, alignment=TA_LEFT),
        "label": ParagraphStyle("label", parent=base, leading=14, alignment=TA_LEFT),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=8
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13, alignment=TA_RIGHT),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=12, textColor=colors.Color(0.35, 0.35, 0.35)
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=9, leading=12, alignment=TA_CENTER
        ),
    }


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: `&`, `<` and `>` in company data are escaped, not markup."""
    return Paragraph(escape(printable(text)), style)


def _heading(title: str, *, reference: str, date: str) -> list:
    styles = _styles()
    return [
        _paragraph(f"编号：{reference}", styles["meta"]),
        _paragraph(f"签发日期：{date}", styles["meta"]),
        Spacer(1, 0.2 * cm),
        _paragraph(title, styles["title"]),
    ]


def _party_rows(role: str, party: LetterParty) -> list[_Row]:
    return [
        (role, party.company_name),
        ("统一社会信用代码", party.uscc, "法定代表人", party.legal_representative),
        ("住所", party.address),
    ]


def _table_style(commands: list) -> TableStyle:
    """The commands, every cell set in the embedded font (an empty cell too: reportlab would
    otherwise name Helvetica, which is not embedded)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT), *commands])


def _details_table(rows: list[_Row]) -> Table:
    """A ruled table of label/value pairs, one or two pairs per row; a single value spans."""
    styles = _styles()
    value_width = (TEXT_WIDTH - LABEL_WIDTH - SECOND_LABEL_WIDTH) / 2
    data, spans = [], []
    for index, row in enumerate(rows):
        cells = [
            _paragraph(text, styles["label" if i % 2 == 0 else "cell"])
            for i, text in enumerate(row)
        ]
        if len(row) == 2:
            cells += ["", ""]
            spans.append(("SPAN", (1, index), (3, index)))
        data.append(cells)
    table = Table(
        data,
        colWidths=[LABEL_WIDTH, value_width + 0.6 * cm, SECOND_LABEL_WIDTH, value_width - 0.6 * cm],
    )
    shaded = colors.Color(0.95, 0.95, 0.95)
    table.setStyle(
        _table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (0, -1), shaded),
                *[
                    ("BACKGROUND", (2, index), (2, index), shaded)
                    for index, row in enumerate(rows)
                    if len(row) == 4
                ],
                *spans,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _clauses(texts: list[str]) -> list[Paragraph]:
    numerals = "一二三四五六七八九十"
    style = _styles()["clause"]
    return [_paragraph(f"{numerals[i]}、{text}", style) for i, text in enumerate(texts)]


def _box(width: float, height: float) -> Table:
    box = Table([[""]], colWidths=[width], rowHeights=[height])
    box.setStyle(_table_style([("BOX", (0, 0), (-1, -1), 0.8, colors.black)]))
    return box


def _signature_block(role: str, party: LetterParty, width: float) -> Table:
    """Role and company, a 公章 box, a box for the legal representative's signature, a date line."""
    styles = _styles()
    right_width = width - SEAL_SIZE - 0.4 * cm
    right = Table(
        [
            [_paragraph("法定代表人签字：", styles["cell"])],
            [_box(right_width - 0.2 * cm, 1.6 * cm)],
        ],
        colWidths=[right_width],
    )
    right.setStyle(_table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    block = Table(
        [
            [_paragraph(f"{role}：{party.company_name}", styles["cell"]), ""],
            [_box(SEAL_SIZE, SEAL_SIZE), right],
            [_paragraph("（公章）", styles["caption"]), ""],
            [_paragraph("日期：________年______月______日", styles["cell"]), ""],
        ],
        colWidths=[SEAL_SIZE + 0.4 * cm, right_width],
    )
    block.setStyle(
        _table_style(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 3), (1, 3)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
                ("TOPPADDING", (0, 3), (-1, 3), 6),
            ]
        )
    )
    return block


def _signatures(parties: list[tuple[str, LetterParty]]) -> Table:
    """One signature block on the right half, or two side by side."""
    half = (TEXT_WIDTH - 0.8 * cm) / 2
    blocks = [_signature_block(role, party, half) for role, party in parties]
    row = ["", *blocks] if len(blocks) == 1 else blocks
    table = Table([row], colWidths=[half + 0.8 * cm, half])
    table.setStyle(
        _table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _footer(reference: str) -> list:
    return [
        Spacer(1, 0.5 * cm),
        _paragraph(
            f"本授权书由经络速通开通系统生成（编号 {reference}）。请打印后由法定代表人签字并加盖"
            "公章，扫描或拍照后上传至开通申请页面。",
            _styles()["small"],
        ),
    ]


def _render(story: list, *, title: str, reference: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        initialFontName=FONT,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=f"{title} {reference}",
        author="经络速通（Jingluo Express）",
        subject=reference,
        creator="经络速通开通系统",
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
