"""Reads for the statement exports and the seller's billing page.

The statement lines of an export are one SQL query (``statement_lines_sql``), the same for
the PDF, the XLSX, the CSV (through ``COPY … TO STDOUT``) and the benchmark's reference
``COPY``: every format shows the same rows, columns and figures.

Free text in the tabular exports (company names, order numbers, descriptions …) is made
safe in the query itself: carriage returns, line feeds and tabs become spaces (one line per
row, so a ``COPY`` stream can be counted by its line feeds) and a cell starting with ``=``,
``+``, ``-`` or ``@`` gets a leading ``'`` so that Excel shows it as text and never runs it
as a formula (CSV injection). Money columns are numbers, never neutralised: a refund of
``-28.50`` stays a number.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from .models import EntryKind, LedgerEntry, Statement, StatementLine
from .selectors import ledger_for_seller

FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    header: str
    sql: str
    kind: str  # "text" (neutralised), "plain" (safe text), "int", "money"


def _neutral(expression: str) -> str:
    """SQL: the text one line, and ``'``-prefixed when Excel would read it as a formula."""
    flat = f"translate({expression}, E'\\r\\n\\t', '   ')"
    prefixes = ", ".join(f"'{p}'" for p in FORMULA_PREFIXES)
    return f"CASE WHEN left({flat}, 1) IN ({prefixes}) THEN '''' || {flat} ELSE {flat} END"


def _charge_part(field: str) -> str:
    # The price breakdown belongs to a shipment's charge; a refund or an adjustment line
    # has its amount only.
    return f"CASE WHEN l.kind = '{EntryKind.CHARGE}' THEN l.{field} END"


_SHANGHAI = "'Asia/Shanghai'"
# What each kind of line is called in every export (PDF, XLSX, CSV): Chinese, as finance
# files are (the headers are Chinese first, English second; a line's kind is a word).
KIND_LABELS = {
    "charge": "运费",
    "refund": "退款",
    "adjustment": "调整",
    "payment": "付款",
    "topup": "充值",
}
_KIND_SQL = (
    "CASE l.kind "
    + " ".join(f"WHEN '{kind}' THEN '{label}'" for kind, label in KIND_LABELS.items())
    + " ELSE l.kind END"
)

# (header, SQL expression, kind): headers Chinese first, English second, fixed (a finance
# file does not change with the language of whoever starts the export).
COLUMNS: tuple[Column, ...] = (
    Column("对账单号 Statement", "s.number", "text"),
    Column("账期 Period", "to_char(s.period, 'YYYY-MM')", "plain"),
    Column("卖家编号 Seller ID", "s.seller_id", "int"),
    Column("公司名称 Company", "s.company_name", "text"),
    Column(
        "开具日期 Issued", f"to_char(s.issued_at AT TIME ZONE {_SHANGHAI}, 'YYYY-MM-DD')", "plain"
    ),
    Column("到期日 Due date", "to_char(s.due_date, 'YYYY-MM-DD')", "plain"),
    Column("行号 Line", "l.position", "int"),
    Column("类型 Kind", _KIND_SQL, "plain"),
    Column(
        "时间 Time", f"to_char(l.at AT TIME ZONE {_SHANGHAI}, 'YYYY-MM-DD HH24:MI:SS')", "plain"
    ),
    Column("运单号 Tracking no.", "l.tracking_number", "text"),
    Column("订单号 Order no.", "l.order_number", "text"),
    Column("说明 Description", "l.description", "text"),
    Column("基础运费 Base", _charge_part("base"), "money"),
    Column("履约分调整 Score adj.", _charge_part("fulfillment_adjustment"), "money"),
    Column("旺季附加 Peak", _charge_part("peak_adjustment"), "money"),
    Column("绿色折扣 Green", _charge_part("green_discount"), "money"),
    Column("金额 Amount", "l.amount", "money"),
)
HEADERS = [column.header for column in COLUMNS]
DESCRIPTION_INDEX = HEADERS.index("说明 Description")
AMOUNT_INDEX = len(COLUMNS) - 1


def statement_lines_sql(*, by: str, neutralise: bool = True) -> str:
    """The lines of the statements of one period (``by="period"``) or of one statement
    (``by="statement"``), in statement-number and line order; one ``%s`` parameter."""
    where = {"period": "s.period = %s", "statement": "s.id = %s"}[by]
    select = ",\n  ".join(
        _neutral(column.sql) if neutralise and column.kind == "text" else column.sql
        for column in COLUMNS
    )
    return (
        f"SELECT\n  {select}\n"
        f"FROM {StatementLine._meta.db_table} l\n"
        f"JOIN {Statement._meta.db_table} s ON s.id = l.statement_id\n"
        f"WHERE {where}\n"
        "ORDER BY s.number, l.position"
    )


def period_line_count(*, period: datetime.date) -> int:
    """Lines on the statements issued for ``period``, from the statements themselves (one
    aggregate over a few thousand rows, not a count over a million lines)."""
    return Statement.objects.filter(period=period).aggregate(n=Coalesce(Sum("line_count"), 0))["n"]


# --- the seller's billing page (the rest comes from ``billing.selectors``) ---------------


@dataclass(frozen=True)
class EntryPage:
    entries: list[LedgerEntry]
    next_cursor: str | None  # pass as ``before`` for the older entries


def _cursor(entry: LedgerEntry) -> str:
    return f"{entry.at.isoformat()}~{entry.pk}"


def _older_than(cursor: str | None) -> Q | None:
    if not cursor or "~" not in cursor:
        return None
    at_text, _, pk_text = cursor.rpartition("~")
    try:
        at = parse_datetime(at_text)
        pk = int(pk_text)
    except ValueError:
        return None
    if at is None or at.tzinfo is None:
        return None
    return Q(at__lt=at) | Q(at=at, pk__lt=pk)


def ledger_entries_page(*, seller, before: str | None = None, size: int = 20) -> EntryPage:
    """A page of the seller's ledger (``billing.selectors.ledger_for_seller``), newest
    first, by keyset on (at, id): one query, no COUNT, the same cost on every page (index
    ``ledger_seller_recent``)."""
    queryset: QuerySet = ledger_for_seller(seller=seller)
    older = _older_than(before)
    if older is not None:
        queryset = queryset.filter(older)
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return EntryPage(entries=rows, next_cursor=_cursor(rows[-1]) if more and rows else None)


def seller_transfer_reference(*, seller) -> str:
    """What a seller writes in the remark (附言) of a bank transfer so that finance can
    match it to the seller: the seller's number on our books."""
    return f"JL-S{seller.pk:08d}"
