"""Reads of the diagnostics tool: the order behind a number, the distribution of root
causes for operations, the drill-down behind each bar."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max

from accounts.models import Seller
from core.gate import gate
from shipments.models import RefusedOrder, Shipment

from .models import DiagnosticRun


@dataclass(frozen=True, slots=True)
class FoundOrder:
    refusal: RefusedOrder | None  # the latest refusal of that number
    shipment: Shipment | None

    @property
    def found(self) -> str:
        if self.shipment is not None:
            return "shipment"
        return "refused" if self.refusal is not None else ""


def order_find(*, seller, order_number: str, livemode: bool = True) -> FoundOrder:
    """The seller's own order with that number: its shipment and its latest refusal, in
    live mode (or test mode, ``livemode=False``: an API test key's orders). Another
    seller's order of the same number does not exist here. Two queries."""
    refusal = (
        RefusedOrder.objects.filter(seller=seller, livemode=livemode, order_number=order_number)
        .select_related("store")
        .order_by("-at", "-id")
        .first()
    )
    shipment = (
        Shipment.objects.filter(seller=seller, livemode=livemode, order_number=order_number)
        .select_related("store")
        .first()
    )
    return FoundOrder(refusal=refusal, shipment=shipment)


def order_sellers(*, order_number: str) -> list[Seller]:
    """Every seller with a refusal or a shipment of that order number (operations' view)."""
    ids = set(
        RefusedOrder.objects.filter(order_number=order_number).values_list("seller_id", flat=True)
    ) | set(Shipment.objects.filter(order_number=order_number).values_list("seller_id", flat=True))
    return list(Seller.objects.filter(pk__in=ids).order_by("pk"))


SOURCES = ("refusals", "runs")


@dataclass(frozen=True, slots=True)
class CauseBar:
    code: str
    title: str
    count: int
    sellers: int
    share: Decimal  # % of the period's failures
    article_share: Decimal | None  # % of refusals in the article, where it gives one

    @property
    def width(self) -> str:
        """The bar's width in %, for CSS (a dot as decimal separator in any locale)."""
        return f"{self.share:.1f}"

    @property
    def article_width(self) -> str:
        return f"{self.article_share:.1f}" if self.article_share is not None else "0"


@dataclass(frozen=True, slots=True)
class CauseDistribution:
    source: str
    start: datetime.datetime
    end: datetime.datetime
    bars: list[CauseBar]
    total: int  # failures in the period
    passed: int  # runs that found nothing wrong (runs only)


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def cause_distribution(
    *, source: str, start: datetime.datetime, end: datetime.datetime
) -> CauseDistribution:
    """Failures per gate check in [start, end): from the recorded refusals (the orders that
    were really refused) or from the tool's runs (what sellers asked about). One query.
    Every registered check has a bar, in the gate's order; codes no longer registered
    follow."""
    if source == "runs":
        runs = (
            DiagnosticRun.objects.filter(at__gte=start, at__lt=end)
            .exclude(kind="order", found="")  # order numbers not found: no trace
            .values("root_cause")
            .annotate(n=Count("id"), sellers=Count("seller", distinct=True))
        )
        counts = {r["root_cause"]: (r["n"], r["sellers"]) for r in runs}
        passed = counts.pop("", (0, 0))[0]
    else:
        refusals = (
            RefusedOrder.objects.filter(at__gte=start, at__lt=end, livemode=True)
            .values("check_code")
            .annotate(n=Count("id"), sellers=Count("seller", distinct=True))
        )
        counts = {r["check_code"]: (r["n"], r["sellers"]) for r in refusals}
        passed = 0
    total = sum(n for n, _sellers in counts.values())
    bars = []
    for check in gate.checks():
        n, sellers = counts.pop(check.code, (0, 0))
        bars.append(
            CauseBar(check.code, str(check.title), n, sellers, _percent(n, total), check.share)
        )
    for code, (n, sellers) in sorted(counts.items()):
        bars.append(CauseBar(code, code, n, sellers, _percent(n, total), None))
    return CauseDistribution(source, start, end, bars, total, passed)


def _cause_rows(*, source: str, code: str, start: datetime.datetime, end: datetime.datetime):
    """The refusals (``source`` "refusals") or the tool's runs ("runs") with this root cause
    in [start, end)."""
    if source == "runs":
        return DiagnosticRun.objects.filter(root_cause=code, at__gte=start, at__lt=end)
    return RefusedOrder.objects.filter(check_code=code, at__gte=start, at__lt=end, livemode=True)


def cause_sellers(
    *, source: str, code: str, start: datetime.datetime, end: datetime.datetime, limit: int = 100
) -> list[dict]:
    """The sellers behind one bar, most affected first: id, company, count, last time."""
    rows = _cause_rows(source=source, code=code, start=start, end=end)
    return list(
        rows.values("seller_id", "seller__company_name")
        .annotate(n=Count("id"), last=Max("at"))
        .order_by("-n", "seller_id")[:limit]
    )


def cause_orders(
    *, source: str, code: str, start: datetime.datetime, end: datetime.datetime, limit: int = 100
) -> list[dict]:
    """The latest orders (or runs) behind one bar."""
    rows = _cause_rows(source=source, code=code, start=start, end=end)
    return list(
        rows.order_by("-at", "-id").values(
            "id", "order_number", "seller_id", "seller__company_name", "at"
        )[:limit]
    )
