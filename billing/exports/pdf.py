"""A statement (对账单) as a PDF: A4 landscape, in Chinese, set like the labels and the
authorisation letters in the portal's one embedded font (``core.pdf_fonts``, subset to the
characters used): it prints the same everywhere, the text stays extractable (a test reads it
back), and the same input gives the same bytes (``invariant=1``).

What it shows: who bills (company details), who is billed, the statement number, period,
issue and due dates, every line with its price breakdown (base, fulfilment-score
adjustment, peak surcharge, green discount, amount), the totals as issued, and how to pay.
"""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf_fonts import FONT, font, printable
from core.timezones import SHANGHAI

from ..selectors_exports import HEADERS
from .company import CARRIER, Payee

PAGE = landscape(A4)
MARGIN = 12 * mm
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.94, 0.94, 0.94)
_COL = {header: i for i, header in enumerate(HEADERS)}
# (heading, column of the export row, width in mm; None takes the rest, money right-aligned)
LINE_COLUMNS = (
    ("行", "行号 Line", 9),
    ("时间", "时间 Time", 31),
    ("类型", "类型 Kind", 11),
    ("运单号", "运单号 Tracking no.", 28),
    ("平台订单号", "订单号 Order no.", 32),
    ("说明", "说明 Description", None),
    ("基础运费", "基础运费 Base", 20),
    ("履约分调整", "履约分调整 Score adj.", 20),
    ("旺季附加", "旺季附加 Peak", 18),
    ("绿色折扣", "绿色折扣 Green", 18),
    ("金额", "金额 Amount", 22),
)
MONEY_FROM = 6


def money(value: Decimal | None) -> str:
    """¥-free, two decimals, thousands separated: 1234.5 → 1,234.50; None → empty."""
    return "" if value is None else f"{value:,.2f}"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _styles() -> dict[str, ParagraphStyle]:
    font()
    base = ParagraphStyle("statement", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.Color(0.3, 0.3, 0.3)
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


def statement_pdf(
    *,
    statement,
    rows: Sequence[tuple],
    paid: Decimal = Decimal("0.00"),
    as_of: datetime.date | None = None,
    payee: Payee = CARRIER,
) -> bytes:
    """The PDF of ``statement`` (a ``billing.Statement``) with its export ``rows`` (the
    columns of ``selectors_exports.COLUMNS``, not neutralised), and what was ``paid`` on it
    by ``as_of`` (the day it is printed): paid and still outstanding."""
    styles = _styles()
    width = PAGE[0] - 2 * MARGIN
    period = f"{statement.period.year}年{statement.period.month}月"
    issued = statement.issued_at.astimezone(SHANGHAI)
    story = [
        _p("对账单 Statement", styles["title"]),
        _header_table(statement, payee, period, issued.date(), width, styles),
        Spacer(1, 4 * mm),
        _lines_table(rows, width, styles),
        Spacer(1, 4 * mm),
        _totals_table(statement, styles, paid=paid, as_of=as_of),
        Spacer(1, 4 * mm),
        _p("付款说明 How to pay", styles["left"]),
        _p(
            f"请于{chinese_date(statement.due_date)}（到期日）前通过银行转账支付应付总额"
            f" ¥{money(statement.total)}。收款单位：{payee.account_name}；开户银行：{payee.bank}；"
            f"账号：{payee.account_number}。转账附言请填写对账单号 {statement.number}。"
            "财务收到款项后登记入账；逾期未付，新订单将暂停下单，直至付清。",
            styles["body"],
        ),
        _p(
            "本对账单开具后不再更改；如有更正，将以调整行列入之后的对账单。"
            "经络速通不收取开户费、对接费或年费。",
            styles["small"],
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        initialFontName=FONT,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"对账单 {statement.number}",
        author=payee.name,
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()


def _header_table(statement, payee, period, issued, width, styles) -> Table:
    left = [
        f"开票方：{payee.name}",
        payee.name_en,
        f"统一社会信用代码：{payee.uscc}",
        f"地址：{payee.address}　电话：{payee.phone}",
        f"客户：{statement.company_name}（卖家编号 {statement.seller_id}）",
    ]
    right = [
        f"对账单号：{statement.number}",
        f"账期：{period}",
        f"开具日期：{chinese_date(issued)}",
        f"到期日：{chinese_date(statement.due_date)}",
        f"明细行数：{statement.line_count}",
    ]
    data = [
        [_p(a, styles["body"]), _p(b, styles["body"])] for a, b in zip(left, right, strict=True)
    ]
    table = Table(data, colWidths=[width * 0.62, width * 0.38])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (1, 0), (1, -1), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _lines_table(rows, width, styles) -> LongTable:
    fixed = sum(w for _, _, w in LINE_COLUMNS if w)
    widths = [(w * mm if w else width - fixed * mm) for _, _, w in LINE_COLUMNS]
    data = [[heading for heading, _, _ in LINE_COLUMNS]]
    for row in rows:
        cells = []
        for index, (_, source, _) in enumerate(LINE_COLUMNS):
            value = row[_COL[source]]
            if index >= MONEY_FROM:
                cells.append(money(value))
            elif source == "类型 Kind":
                cells.append(value)  # already its label (selectors_exports.KIND_LABELS)
            elif source == "说明 Description":
                cells.append(_p(value or "", styles["cell"]) if value else "")
            else:
                cells.append("" if value is None else printable(str(value)))
        data.append(cells)
    if len(data) == 1:
        data.append(["", "本期无明细", *[""] * (len(LINE_COLUMNS) - 2)])
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.25, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("ALIGN", (MONEY_FROM, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _totals_table(statement, styles, *, paid: Decimal, as_of: datetime.date | None) -> Table:
    stamp = f"（截至{chinese_date(as_of)}）" if as_of else ""
    outstanding = max(statement.total - paid, Decimal("0.00"))
    data = [
        ["运费合计 Charges", money(statement.charges_total)],
        ["退款合计 Refunds", money(statement.refunds_total)],
        ["调整合计 Adjustments", money(statement.adjustments_total)],
        ["应付总额 Total due (RMB)", money(statement.total)],
        ["到期日 Due date", statement.due_date.isoformat()],
        [f"已付 Paid{stamp}", money(paid)],
        [f"未付 Outstanding{stamp}", money(outstanding)],
    ]
    table = Table(data, colWidths=[70 * mm, 35 * mm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 3), (-1, 3), FONT, 11),
                ("FONT", (0, 6), (-1, 6), FONT, 11),
                ("GRID", (0, 0), (-1, -1), 0.25, RULE),
                ("BACKGROUND", (0, 3), (-1, 3), SHADE),
                ("BACKGROUND", (0, 6), (-1, 6), SHADE),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    return table
