"""Reads of shipments for the seller's pages: the filtered list with keyset pagination (no
``COUNT(*)`` over the big table), one shipment with its timeline, the rows of the CSV export
and the dashboard's figures. Every read goes through the seller, so another seller's id is
simply not found."""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from redis.exceptions import RedisError

from core.timezones import SHANGHAI
from platforms.models import SEARCH_BOOST_SCORE
from stores.models import Store
from stores.selectors import store_for_orders, store_metrics

from .models import RefusedOrder, Shipment, ShipmentEvent, ShipmentStatus

PAGE_SIZE = 50
# The list says "1,000+" rather than counting a big seller's rows to the last one.
COUNT_CAP = 1000
# A fulfilment score of 98 or more earns a 5 % search-traffic boost on AliExpress (DOMAIN §2).
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True, slots=True)
class ShipmentFilters:
    """What the seller filters the list by; empty values filter nothing."""

    status: str = ""
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None  # inclusive
    country: str = ""
    search: str = ""  # an order or tracking number, exact or its beginning


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in the list (newest first): the last row shown."""

    created_at: datetime.datetime
    id: int

    def encode(self) -> str:
        micros = (self.created_at - _EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor | None":
        """The cursor of a ``?after=`` parameter, or None for anything malformed."""
        micros, _, pk = (value or "").partition(".")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            return None
        try:
            created_at = _EPOCH + datetime.timedelta(microseconds=int(micros))
        except OverflowError:
            return None
        return cls(created_at=created_at, id=int(pk))


@dataclass(frozen=True, slots=True)
class ShipmentPage:
    shipments: list[Shipment]
    next_cursor: Cursor | None  # None on the last page
    count: int  # rows matching the filters, at most COUNT_CAP + 1
    count_capped: bool


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def shipment_queryset_filtered(
    *, seller, filters: ShipmentFilters, livemode: bool = True
) -> QuerySet[Shipment]:
    """The seller's shipments matching ``filters``, newest first. Dates are days in
    Asia/Shanghai; the search matches an order number or a tracking number from its start.
    Live shipments only, unless ``livemode=False`` (test mode: the API's test keys)."""
    shipments = Shipment.objects.filter(seller=seller, livemode=livemode)
    if filters.status:
        shipments = shipments.filter(status=filters.status)
    if filters.created_from:
        shipments = shipments.filter(created_at__gte=_start_of_day(filters.created_from))
    if filters.created_to:
        next_day = filters.created_to + datetime.timedelta(days=1)
        shipments = shipments.filter(created_at__lt=_start_of_day(next_day))
    if filters.country:
        shipments = shipments.filter(country=filters.country.upper())
    search = filters.search.strip()
    if search:
        shipments = shipments.filter(
            Q(order_number__startswith=search) | Q(tracking_number__startswith=search.upper())
        )
    return shipments.order_by("-created_at", "-id")


def shipment_page(
    *, seller, filters: ShipmentFilters, after: Cursor | None = None, size: int = PAGE_SIZE
) -> ShipmentPage:
    """One page of the list after ``after``: keyset pagination on (created_at, id), which
    the index ``shipment_seller_mode_recent`` serves in order, so page 1,000 costs what page 1
    does. Two queries: the page, and a count capped at ``COUNT_CAP``."""
    shipments = shipment_queryset_filtered(seller=seller, filters=filters)
    count = shipments[: COUNT_CAP + 1].count()
    if after is not None:
        # The first condition bounds the index scan; the second breaks ties on the instant.
        shipments = shipments.filter(created_at__lte=after.created_at).filter(
            Q(created_at__lt=after.created_at) | Q(id__lt=after.id)
        )
    rows = list(shipments.select_related("store")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = Cursor(rows[-1].created_at, rows[-1].id) if more else None
    return ShipmentPage(
        shipments=rows, next_cursor=next_cursor, count=count, count_capped=count > COUNT_CAP
    )


def shipment_get_for_seller(*, seller, pk: int) -> Shipment:
    """One of the seller's shipments with its store and its timeline (oldest event first),
    or 404."""
    events = ShipmentEvent.objects.select_related("actor").order_by("at", "id")
    return get_object_or_404(
        Shipment.objects.select_related("store", "created_by").prefetch_related(
            Prefetch("events", queryset=events)
        ),
        seller=seller,
        pk=pk,
    )


def shipment_find_by_order(*, seller, order_number: str, livemode: bool = True) -> Shipment | None:
    return Shipment.objects.filter(
        seller=seller, livemode=livemode, order_number=order_number.strip()
    ).first()


EXPORT_FIELDS = (
    "order_number",
    "tracking_number",
    "status",
    "created_at",
    "is_trial",
    "store__platform",
    "store__platform_store_id",
    "origin",
    "recipient_name",
    "recipient_phone",
    "address",
    "city",
    "postcode",
    "country",
    "weight_g",
    "length_cm",
    "width_cm",
    "height_cm",
    "chargeable_weight_g",
    "contents",
    "declared_value",
    "declared_currency",
    "lane",
    "score",
    "base",
    "fulfillment_adjustment",
    "peak_adjustment",
    "green_discount",
    "quoted_total",
    "charge",
    "label_printed_at",
    "picked_up_at",
    "promised_by",
    "delivered_at",
    "on_time",
    "cancelled_at",
)


# Export columns holding text a seller typed (a formula there is neutralised on export).
SELLER_TEXT_FIELDS = frozenset(
    {
        "order_number",
        "store__platform_store_id",
        "recipient_name",
        "recipient_phone",
        "address",
        "city",
        "postcode",
        "contents",
    }
)


def shipment_export_rows(*, seller, filters: ShipmentFilters) -> Iterator[tuple]:
    """Every shipment matching ``filters`` as tuples of ``EXPORT_FIELDS``, read through a
    server-side cursor in chunks: one query, memory flat whatever the number of rows."""
    return (
        shipment_queryset_filtered(seller=seller, filters=filters)
        .values_list(*EXPORT_FIELDS)
        .iterator(chunk_size=2000)
    )


@dataclass(frozen=True, slots=True)
class ShipmentStats:
    days: int
    volume: int  # shipments created in the window
    delivered_with_promise: int  # delivered in the window, with a promised date
    delivered_on_time: int
    exceptions: int  # shipments in exception now
    fulfilment_score: Decimal | None  # from the latest store metrics; None without any
    store: Store | None  # the store whose score is shown
    as_of: datetime.datetime  # when the figures were read

    @property
    def on_time_rate(self) -> Decimal | None:
        """On-time deliveries in percent (one decimal), or None when nothing was delivered."""
        if not self.delivered_with_promise:
            return None
        rate = Decimal(100 * self.delivered_on_time) / self.delivered_with_promise
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def search_boost(self) -> bool:
        return self.fulfilment_score is not None and self.fulfilment_score >= SEARCH_BOOST_SCORE


def shipment_stats(
    *, seller, days: int = 30, now: datetime.datetime | None = None
) -> ShipmentStats:
    """The dashboard's figures over the last ``days``: volume, on-time rate (delivered on
    time / delivered with a promise), exceptions open now, and the fulfilment score of the
    store orders ship for. Five queries, whatever the number of shipments."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    shipments = Shipment.objects.filter(seller=seller, livemode=True)
    # Three small queries rather than one with an OR: each is answered by its own index
    # (seller + created_at, seller + delivered_at, seller + status) however big the seller.
    volume = shipments.filter(created_at__gte=since, created_at__lte=now).count()
    delivered = shipments.filter(
        delivered_at__gte=since, delivered_at__lte=now, promised_by__isnull=False
    ).aggregate(delivered=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    exceptions = shipments.filter(status=ShipmentStatus.EXCEPTION).count()
    store = store_for_orders(seller=seller)
    metrics = store_metrics(store=store)
    return ShipmentStats(
        days=days,
        volume=volume,
        delivered_with_promise=delivered["delivered"],
        delivered_on_time=delivered["on_time"],
        exceptions=exceptions,
        fulfilment_score=metrics.fulfilment_score if metrics is not None else None,
        store=store,
        as_of=now,
    )


# The dashboard is reloaded far more often than its figures change: they are kept in the
# cache (Redis) for this long, and the page says when they were read. Nothing invalidates
# them earlier (a creation, a tracking event or a metrics import would each have to), so
# a figure is at most this many seconds old.
STATS_CACHE_SECONDS = 60


def shipment_stats_cache_key(seller) -> str:
    return f"shipments:stats:{seller.pk}"


def shipment_stats_cached(*, seller) -> ShipmentStats:
    """``shipment_stats`` as read at most ``STATS_CACHE_SECONDS`` ago: one cache read
    instead of five queries on a reload. Without Redis the figures are read afresh."""
    key = shipment_stats_cache_key(seller)
    try:
        stats = cache.get(key)
    except RedisError:
        return shipment_stats(seller=seller)
    if stats is None:
        stats = shipment_stats(seller=seller)
        with contextlib.suppress(RedisError):
            cache.set(key, stats, STATS_CACHE_SECONDS)
    return stats


# --- the seller's refused orders --------------------------------------------------------
REFUSED_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class RefusedPage:
    refusals: list  # RefusedOrder rows, newest first
    created: set[str]  # order numbers of the page created as shipments since
    next_before: int | None  # pass as ``before`` for the older refusals


def refused_orders_page(
    *, seller, before: int | None = None, size: int = REFUSED_PAGE_SIZE
) -> RefusedPage:
    """The seller's refused orders, newest first, by keyset on the id (refusals are
    appended in time order): two queries per page, whatever their number. ``created``
    names the orders of the page that were created later (placed again once fixed)."""
    from .models import RefusedOrder

    rows = RefusedOrder.objects.filter(seller=seller, livemode=True).order_by("-id")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    refusals = list(rows[: size + 1])
    more = len(refusals) > size
    refusals = refusals[:size]
    numbers = {r.order_number for r in refusals}
    created = (
        set(
            Shipment.objects.filter(
                seller=seller, livemode=True, order_number__in=numbers
            ).values_list("order_number", flat=True)
        )
        if numbers
        else set()
    )
    return RefusedPage(
        refusals=refusals,
        created=created,
        next_before=refusals[-1].pk if more and refusals else None,
    )


# --- the seller API's reads (api app) ----------------------------------------------------
@dataclass(frozen=True, slots=True)
class ApiShipmentFilters:
    status: str = ""
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    order_number: str = ""


def shipments_page(
    *,
    seller,
    livemode: bool,
    filters: ApiShipmentFilters,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[Shipment], Cursor | None]:
    """One page of the seller's shipments of one mode, newest first, after ``after``
    (keyset on created_at, id: index ``shipment_seller_mode_recent``). One query."""
    shipments = Shipment.objects.filter(seller=seller, livemode=livemode)
    if filters.status:
        shipments = shipments.filter(status=filters.status)
    if filters.created_after:
        shipments = shipments.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        shipments = shipments.filter(created_at__lt=filters.created_before)
    if filters.order_number:
        shipments = shipments.filter(order_number=filters.order_number)
    if after is not None:
        shipments = shipments.filter(created_at__lte=after.created_at).filter(
            Q(created_at__lt=after.created_at) | Q(id__lt=after.id)
        )
    rows = list(shipments.order_by("-created_at", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (Cursor(rows[-1].created_at, rows[-1].id) if more else None)


def shipment_get_by_tracking(
    *, seller, livemode: bool, tracking_number: str, detail: bool = False
) -> Shipment | None:
    """The seller's shipment of that mode with this tracking number, or None (another
    seller's, or the other mode's, is not there). ``detail``: its store, items and events
    loaded (three queries in all)."""
    shipments = Shipment.objects.filter(
        seller=seller, livemode=livemode, tracking_number=tracking_number.strip().upper()
    )
    if detail:
        shipments = shipments.select_related("store").prefetch_related(
            "items", Prefetch("events", queryset=ShipmentEvent.objects.order_by("at", "id"))
        )
    return shipments.first()


def shipments_by_tracking(
    *, seller, livemode: bool, tracking_numbers: list[str]
) -> dict[str, Shipment]:
    """The seller's shipments of that mode among ``tracking_numbers``, with store and items."""
    numbers = [n.strip().upper() for n in tracking_numbers]
    found = (
        Shipment.objects.filter(seller=seller, livemode=livemode, tracking_number__in=numbers)
        .select_related("store")
        .prefetch_related("items")
    )
    return {s.tracking_number: s for s in found}


def refused_orders_api_page(
    *, seller, livemode: bool, after: Cursor | None = None, size: int = PAGE_SIZE
) -> tuple[list[RefusedOrder], Cursor | None]:
    """The seller's refused orders of one mode, newest first, keyset pages. One query."""
    refusals = RefusedOrder.objects.filter(seller=seller, livemode=livemode)
    if after is not None:
        refusals = refusals.filter(at__lte=after.created_at).filter(
            Q(at__lt=after.created_at) | Q(id__lt=after.id)
        )
    rows = list(refusals.order_by("-at", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (Cursor(rows[-1].at, rows[-1].id) if more else None)


def shipment_batch_get(*, seller, livemode: bool, pk: int):
    from .models import ShipmentBatch

    return ShipmentBatch.objects.filter(seller=seller, livemode=livemode, pk=pk).first()
