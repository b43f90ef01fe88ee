"""Routing an order (智能分单): ``order_route`` decides with ``planning.plan``, reserves the
stock atomically and idempotently, and ships each allocation as a shipment from its
warehouse through the order gate, in one transaction.

Atomic: the routed order's row is inserted first (its unique (seller, order number) makes a
second router of the same order wait, then find it); the stock rows of every candidate
warehouse for the order's SKUs are locked in (warehouse, SKU) order, the campaign's locks
by id; the plan is made again on the locked rows; each reservation is a conditional UPDATE
(``movements.stock_apply``: no level may go below what it promises), and a shipment the
gate refuses rolls everything back. Nothing is ever half-reserved.

Idempotent: routing an order number again returns the first result (``replayed``), and a
refused order reserved nothing and can be routed again.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Seller, User
from core.gate import OrderContext, Parcel, ParcelItem, gate
from core.normalise import normalise_free_text
from core.timezones import shanghai_date
from customs.selectors import currencies_known
from customs.validation import RawItem
from pricing.exceptions import LaneNotServed, NoRateCardInForce, OverMaxWeight, QuoteRefused
from pricing.services import parcel_check, quote
from shipments.exceptions import DuplicateOrder, InvalidOrder, OrderRefused
from shipments.services import Recipient, parcel_build, refused_order_record, shipment_create
from shipments.services.creation import order_number_clean
from stores.models import Store
from stores.selectors import store_for_orders

from ..exceptions import InvalidInventoryInput, RouteRefused
from ..gate_checks import lock_result, stock_result
from ..locks import presale_locks_lock, stock_lock
from ..models import (
    Allocation,
    AllocationLine,
    Campaign,
    LockStatus,
    MovementKind,
    Policy,
    PresaleLock,
    RoutedOrder,
    Sku,
    Stock,
    Warehouse,
)
from ..planning import (
    Holding,
    Line,
    LockHold,
    Network,
    Plan,
    PlannedParcel,
    Price,
    Reason,
    Site,
    plan,
)
from ..reasons import reasons_json
from .common import SkuQuantity, lines_resolve
from .movements import Delta, Move, stock_apply

DEFAULT_MAX_SPLITS = 3
MAX_SPLITS = 5
# A routed order's parcels are numbered <order>/<n>: the order number leaves room for it.
MAX_ORDER_NUMBER = 60
SOURCE = "route"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where the order goes and to whom. The name and street are needed to ship; a dry run
    needs only the country (and the postcode where the zone depends on it)."""

    country: str
    postcode: str = ""
    state: str = ""
    city: str = ""
    address: str = ""
    address2: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    ioss_number: str = ""  # the marketplace's, when the order carries it
    uk_vat_number: str = ""


@dataclass(frozen=True, slots=True)
class AllocatedLine:
    sku: str
    quantity: int
    from_lock: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "quantity": self.quantity, "from_lock": self.from_lock}


@dataclass(frozen=True, slots=True)
class AllocationResult:
    warehouse: str
    lines: tuple[AllocatedLine, ...]
    tracking_number: str | None  # None in a dry run
    shipment_id: int | None = None
    price: Decimal | None = None  # the shipment's (at the seller's score); list in a dry run
    transit_days: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "warehouse": self.warehouse,
            "lines": [line.as_json() for line in self.lines],
            "tracking_number": self.tracking_number,
        }


@dataclass(frozen=True, slots=True)
class RouteResult:
    order_number: str
    policy: str
    allocations: tuple[AllocationResult, ...]
    unallocated: tuple[SkuQuantity, ...]
    reasons: tuple[Reason, ...]
    seconds: float
    dry_run: bool = False
    replayed: bool = False  # the order was routed before: this is that first result
    route_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The command's ``--json`` (and the API's body): exactly these six keys."""
        return {
            "order_number": self.order_number,
            "policy": self.policy,
            "allocations": [allocation.as_json() for allocation in self.allocations],
            "unallocated": [{"sku": ln.sku, "quantity": ln.quantity} for ln in self.unallocated],
            "reasons": reasons_json(self.reasons),
            "seconds": round(self.seconds, 4),
        }


class _Rollback(Exception):
    """Leave the routing transaction, rolling it back, with why."""

    def __init__(
        self,
        *,
        plan: Plan | None = None,
        refused: OrderRefused | None = None,
        parcel: Parcel | None = None,
        reasons: tuple[Reason, ...] = (),
        replay: bool = False,
    ) -> None:
        self.plan = plan
        self.refused = refused
        self.parcel = parcel
        self.reasons = reasons
        self.replay = replay
        super().__init__()


def order_route(
    *,
    seller: Seller,
    order_number: str,
    destination: Destination,
    lines: Sequence[SkuQuantity],
    policy: str = Policy.FILL_OR_KILL,
    campaign: str = "",
    max_splits: int = DEFAULT_MAX_SPLITS,
    dry_run: bool = False,
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> RouteResult:
    """Route one order of ``seller`` to warehouse(s): see the module. Returns the result
    (the first one, ``replayed``, for an order number routed before).

    Raises ``InvalidInventoryInput`` for bad input (its ``field``: an unknown SKU, a
    quantity out of range, a country no warehouse serves under ``fill_or_kill`` …; nothing
    recorded) and ``RouteRefused`` when the order gate refuses it (recorded as a refused
    order under ``order_number``, unless a dry run; nothing reserved)."""
    started = time.perf_counter()
    at = at or timezone.now()
    order_number = _order_number(order_number)
    if policy not in Policy.values:
        raise InvalidInventoryInput(
            _("The policy is fill_or_kill or fill_all_available."), field="policy"
        )
    if (
        isinstance(max_splits, bool)
        or not isinstance(max_splits, int)
        or not (1 <= max_splits <= MAX_SPLITS)
    ):
        raise InvalidInventoryInput(
            _("At most 1 to %(max)s parcels.") % {"max": MAX_SPLITS}, field="max_splits"
        )
    existing = RoutedOrder.objects.filter(seller=seller, order_number=order_number).first()
    if existing is not None:
        return route_result(route=existing, replayed=True)
    resolved = lines_resolve(seller=seller, lines=lines)
    country, postcode = _destination(destination)
    found_campaign = _campaign(seller, campaign)
    if not dry_run:
        _recipient_check(destination)
    store = store_for_orders(seller=seller)
    # Warehouses are compared at list price (score 100): the seller's score scales every
    # lane alike; the shipments are priced at it by the gate.
    pricer = _pricer(country=country, postcode=postcode, at=at)
    order_lines = tuple(
        Line(sku_id=sku.pk, sku=sku.code, quantity=q, unit_weight_g=sku.unit_weight_g)
        for sku, q in resolved
    )
    skus = {sku.pk: sku for sku, _q in resolved}

    def decide(network: Network) -> Plan:
        return plan(
            network=network,
            lines=order_lines,
            country=country,
            policy=policy,
            max_splits=max_splits,
            campaign=found_campaign is not None,
            price=pricer,
            at=at,
        )

    if dry_run:  # decide on the network as it is, unlocked: nothing is written
        first = decide(_network(skus=list(skus), campaign=found_campaign, at=at))
        _refuse(
            first, seller=seller, store=store, skus=skus, destination=destination,
            country=country, postcode=postcode, campaign=found_campaign,
            order_number=order_number, dry_run=True, user=user, at=at,
        )  # fmt: skip
        return _result(order_number, policy, first, started, dry_run=True, shipments={})
    # Decide on the locked rows: a refused plan rolls the routed order's row back and is
    # refused (recorded) below, outside the transaction.
    try:
        with transaction.atomic():
            route = _route_insert(
                seller=seller,
                order_number=order_number,
                policy=policy,
                campaign=found_campaign,
                max_splits=max_splits,
                country=country,
                postcode=postcode,
                lines=order_lines,
                user=user,
                at=at,
            )
            sites = _sites()
            rows = stock_lock(pairs=[(s.id, sku) for s in sites for sku in skus])
            locks = _campaign_locks_locked(found_campaign, rows)
            planned = decide(_network_of(sites, rows, locks, at=at))
            if planned.refusal is not None:
                raise _Rollback(plan=planned)
            shipments = _reserve_and_ship(
                route=route,
                planned=planned,
                rows=rows,
                locks=locks,
                skus=skus,
                seller=seller,
                store=store,
                destination=destination,
                country=country,
                postcode=postcode,
                campaign=found_campaign,
                user=user,
                at=at,
            )
            result = _result(order_number, policy, planned, started, shipments=shipments)
            route.unallocated = [
                {"sku": ln.sku, "quantity": ln.quantity} for ln in result.unallocated
            ]
            route.reasons = [reason.as_json() for reason in planned.reasons]
            route.seconds = result.seconds
            route.save(update_fields=["unallocated", "reasons", "seconds"])
            return dataclasses.replace(result, route_id=route.pk)
    except _Rollback as rollback:
        if rollback.replay:
            route = RoutedOrder.objects.get(seller=seller, order_number=order_number)
            return route_result(route=route, replayed=True)
        if rollback.plan is not None:
            _refuse(
                rollback.plan,
                seller=seller,
                store=store,
                skus=skus,
                destination=destination,
                country=country,
                postcode=postcode,
                campaign=found_campaign,
                order_number=order_number,
                dry_run=False,
                user=user,
                at=at,
            )
        refused, parcel = rollback.refused, rollback.parcel
        if refused is None:  # not reached: a rollback says why
            raise
        ctx = OrderContext(
            seller=seller, store=store, parcel=parcel, at=at, order_number=order_number
        )
        refused_order_record(
            ctx=ctx,
            code=refused.code,
            message=str(refused.message),
            evidence=refused.evidence,
            user=user,
            source=SOURCE,
        )
        raise RouteRefused(
            code=refused.code,
            message=refused.message,
            evidence=refused.evidence,
            fix=str(gate.get(refused.code).fix),
            reasons=rollback.reasons,
        ) from None


# --- input -------------------------------------------------------------------------------
def _order_number(value: str) -> str:
    try:
        number = order_number_clean(value)
    except InvalidOrder as error:
        raise InvalidInventoryInput(error.message, field="order_number") from None
    if len(number) > MAX_ORDER_NUMBER or "/" in number:
        raise InvalidInventoryInput(
            _("An order number to route has at most %(max)s characters and no “/”.")
            % {"max": MAX_ORDER_NUMBER},
            field="order_number",
        )
    return number


def _destination(destination: Destination) -> tuple[str, str]:
    try:
        country, postcode, _weight, _sides = parcel_check(
            country=destination.country, postcode=destination.postcode, weight_g=1
        )
    except QuoteRefused as error:
        field = "postcode" if "postcode" in type(error).__name__.lower() else "country"
        raise InvalidInventoryInput(error.message, field=field) from None
    return country, postcode


def _campaign(seller: Seller, code: str) -> Campaign | None:
    code = normalise_free_text(code).upper()
    if not code:
        return None
    campaign = Campaign.objects.filter(seller=seller, code=code).first()
    if campaign is None:
        raise InvalidInventoryInput(
            _("You have no presale campaign %(code)s.") % {"code": code[:40]}, field="campaign"
        )
    return campaign


def _recipient_check(destination: Destination) -> None:
    if not (normalise_free_text(destination.name) and normalise_free_text(destination.address)):
        raise InvalidInventoryInput(
            _(
                "The recipient's name and street address are needed to ship the order "
                "(a dry run needs neither)."
            ),
            field="recipient",
        )


# --- the network -------------------------------------------------------------------------
def _sites() -> list[Site]:
    return [
        Site(
            id=w.pk,
            code=w.code,
            name=w.name,
            country=w.country,
            serves=frozenset(w.serves),
            origin=w.origin_id,
            cutoff=w.cutoff,
            time_zone=w.time_zone,
        )
        for w in Warehouse.objects.filter(is_active=True).order_by("code")
    ]


def _network(*, skus: list[int], campaign: Campaign | None, at: datetime.datetime) -> Network:
    """The network as it is now, unlocked (two or three queries)."""
    sites = _sites()
    rows = {
        (row.warehouse_id, row.sku_id): row
        for row in Stock.objects.filter(
            warehouse_id__in=[s.id for s in sites], sku_id__in=skus
        ).only("pk", "warehouse_id", "sku_id", "on_hand", "reserved")
    }
    locks = (
        list(PresaleLock.objects.filter(campaign=campaign, stock__in=list(rows.values())))
        if campaign is not None and rows
        else []
    )
    return _network_of(sites, rows, {lock.pk: lock for lock in locks}, at=at)


def _network_of(
    sites: list[Site],
    rows: dict[tuple[int, int], Stock],
    locks: dict[int, PresaleLock],
    *,
    at: datetime.datetime,
) -> Network:
    by_stock: dict[int, list[LockHold]] = {}
    for lock in sorted(locks.values(), key=lambda lock: (lock.expires_at, lock.pk)):
        usable = lock.status == LockStatus.ACTIVE and lock.expires_at > at
        by_stock.setdefault(lock.stock_id, []).append(
            LockHold(
                id=lock.pk,
                held=lock.held,
                usable=usable,
                expired=lock.status == LockStatus.EXPIRED
                or (lock.status == LockStatus.ACTIVE and not usable),
                expires_at=lock.expires_at,
            )
        )
    return Network(
        sites=tuple(sites),
        holdings={
            pair: Holding(
                stock_id=row.pk,
                free=row.on_hand - row.reserved,
                locks=tuple(by_stock.get(row.pk, ())),
            )
            for pair, row in rows.items()
        },
    )


def _campaign_locks_locked(
    campaign: Campaign | None, rows: dict[tuple[int, int], Stock]
) -> dict[int, PresaleLock]:
    if campaign is None or not rows:
        return {}
    ids = PresaleLock.objects.filter(campaign=campaign, stock__in=list(rows.values())).values_list(
        "pk", flat=True
    )
    return presale_locks_lock(ids=list(ids))


def _pricer(*, country: str, postcode: str, at: datetime.datetime) -> Any:
    cache: dict[tuple[str, int], Price | None] = {}

    def price(site: Site, weight_g: int) -> Price | None:
        key = (site.origin, weight_g)
        if key not in cache:
            try:
                q = quote(
                    origin=site.origin,
                    country=country,
                    postcode=postcode,
                    weight_g=max(weight_g, 1),
                    score=Decimal(100),
                    on_date=at,
                )
                cache[key] = Price(total=q.total, transit_days=q.transit_days)
            except (LaneNotServed, NoRateCardInForce, OverMaxWeight):
                cache[key] = None
        return cache[key]

    return price


# --- refusals ----------------------------------------------------------------------------
def _refuse(
    planned: Plan,
    *,
    seller: Seller,
    store: Store | None,
    skus: dict[int, Sku],
    destination: Destination,
    country: str,
    postcode: str,
    campaign: Campaign | None,
    order_number: str,
    dry_run: bool,
    user: User | None,
    at: datetime.datetime,
) -> None:
    """Refuse the order the plan cannot route: no warehouse serves the destination (bad
    input), or the gate says why, from the parcel of the warehouse holding most of it."""
    refusal = planned.refusal
    if refusal is None:
        return
    if refusal.site is None:
        raise InvalidInventoryInput(
            _(
                "No warehouse of ours ships to %(country)s: route it with “what is in "
                "stock” to ship it from China, or create the shipment from China."
            )
            % {"country": country},
            field="country",
        )
    lines = [(skus[line.sku_id], line.quantity) for line in refusal.lines]
    parcel = _parcel(
        origin=refusal.site.origin,
        lines=lines,
        destination=destination,
        country=country,
        postcode=postcode,
        campaign=campaign,
        at=at,
        strict=False,
    )
    ctx = gate.context(seller=seller, store=store, parcel=parcel, at=at, order_number=order_number)
    if dry_run:
        # Only the routing's own checks: a dry run asks about the stock, not the address.
        result = (
            lock_result(ctx.facts.stock)
            if refusal.code == "presale_lock_expired"
            else stock_result(ctx.facts.stock)
        )
        raise RouteRefused(
            code=refusal.code,
            message=result.message or str(gate.get(refusal.code).title),
            evidence=result.evidence,
            fix=str(gate.get(refusal.code).fix),
            recorded=False,
            reasons=planned.reasons,
        )
    cause = gate.run(ctx).root_cause
    if cause is None:  # the stock came back between the plan and the gate: try again
        raise InvalidInventoryInput(
            _("The stock changed while the order was routed: route it again."), field="lines"
        )
    refused_order_record(
        ctx=ctx,
        code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        user=user,
        source=SOURCE,
    )
    raise RouteRefused(
        code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        fix=str(cause.check.fix),
        reasons=planned.reasons,
    )


# --- reserving and shipping -------------------------------------------------------------
def _route_insert(
    *,
    seller: Seller,
    order_number: str,
    policy: str,
    campaign: Campaign | None,
    max_splits: int,
    country: str,
    postcode: str,
    lines: tuple[Line, ...],
    user: User | None,
    at: datetime.datetime,
) -> RoutedOrder:
    route = RoutedOrder(
        seller=seller,
        order_number=order_number,
        policy=policy,
        campaign=campaign,
        max_splits=max_splits,
        country=country,
        postcode=postcode,
        lines=[{"sku": line.sku, "quantity": line.quantity} for line in lines],
        seconds=0.0,
        created_by=user,
        created_at=at,
    )
    try:
        with transaction.atomic():
            route.save(force_insert=True)
    except IntegrityError:  # routed meanwhile by another request: its result stands
        raise _Rollback(replay=True) from None
    return route


def _reserve_and_ship(
    *,
    route: RoutedOrder,
    planned: Plan,
    rows: dict[tuple[int, int], Stock],
    locks: dict[int, PresaleLock],
    skus: dict[int, Sku],
    seller: Seller,
    store: Store | None,
    destination: Destination,
    country: str,
    postcode: str,
    campaign: Campaign | None,
    user: User | None,
    at: datetime.datetime,
) -> dict[int, tuple[int, str, Decimal]]:
    """Reserve every planned line (the locks' part taken from them, the free part from the
    stock under the last guard), then ship each allocation. Returns position → (shipment
    id, tracking number, price at the seller's score)."""
    stocks = {row.pk: row for row in rows.values()}
    moves: list[Move] = []
    allocation_lines: list[AllocationLine] = []
    allocations: list[tuple[Allocation, PlannedParcel]] = []
    made = Allocation.objects.bulk_create(
        Allocation(
            order=route,
            seller=seller,
            position=position,
            warehouse_id=parcel.site.id,
            shipment_order_number=f"{route.order_number}/{position}",
            changed_at=at,
        )
        for position, parcel in enumerate(planned.parcels, 1)
    )
    for allocation, parcel in zip(made, planned.parcels, strict=True):
        allocations.append((allocation, parcel))
        for pl in parcel.lines:
            for lock_id, units in pl.from_locks:
                lock = locks[lock_id]
                lock.held -= units
                lock.consumed += units
            free = pl.quantity - pl.from_lock
            moves.append(
                Move(
                    stock=stocks[pl.stock_id],
                    kind=MovementKind.RESERVED,
                    quantity=pl.quantity,
                    delta=Delta(reserved=free),
                    reference=allocation.shipment_order_number,
                    reason=_("Reserved for order %(order)s")
                    % {"order": allocation.shipment_order_number}
                    + (
                        _("; %(n)s from the presale lock") % {"n": pl.from_lock}
                        if pl.from_lock
                        else ""
                    ),
                )
            )
            allocation_lines.append(
                AllocationLine(
                    allocation=allocation,
                    stock_id=pl.stock_id,
                    quantity=pl.quantity,
                    from_lock=pl.from_lock,
                    lock_id=pl.from_locks[0][0] if pl.from_locks else None,
                )
            )
    moves.sort(key=lambda move: (move.stock.warehouse_id, move.stock.sku_id))
    stock_apply(moves=moves, actor=user, at=at)
    for lock in locks.values():
        if lock.consumed:
            PresaleLock.objects.filter(pk=lock.pk).update(held=lock.held, consumed=lock.consumed)
    AllocationLine.objects.bulk_create(allocation_lines)
    shipped: dict[int, tuple[int, str, Decimal]] = {}
    currencies = currencies_known(shanghai_date(at))  # once for every parcel of the order
    for allocation, parcel in allocations:
        lines = [(skus[pl.sku_id], pl.quantity) for pl in parcel.lines]
        built = _parcel(
            origin=parcel.site.origin,
            lines=lines,
            destination=destination,
            country=country,
            postcode=postcode,
            campaign=campaign,
            at=at,
            strict=True,
            currencies=currencies,
        )
        try:
            shipment = shipment_create(
                seller=seller,
                store=store,
                order_number=allocation.shipment_order_number,
                parcel=built,
                recipient=Recipient(
                    name=normalise_free_text(destination.name)[:100],
                    address=normalise_free_text(destination.address)[:300],
                    city=normalise_free_text(destination.city)[:100],
                    phone=normalise_free_text(destination.phone)[:30],
                    address2=normalise_free_text(destination.address2)[:300],
                    email=normalise_free_text(destination.email)[:254],
                ),
                user=user,
                at=at,
                source=SOURCE,
            )
        except OrderRefused as refused:
            raise _Rollback(refused=refused, parcel=built, reasons=planned.reasons) from None
        except DuplicateOrder as error:
            raise InvalidInventoryInput(error.message, field="order_number") from None
        allocation.shipment = shipment
        shipped[allocation.position] = (
            shipment.pk,
            shipment.tracking_number,
            shipment.quoted_total,
        )
    Allocation.objects.bulk_update(
        [allocation for allocation, _parcel in allocations], ["shipment"]
    )
    return shipped


def _parcel(
    *,
    origin: str,
    lines: list[tuple[Sku, int]],
    destination: Destination,
    country: str,
    postcode: str,
    campaign: Campaign | None,
    at: datetime.datetime,
    strict: bool,
    currencies: frozenset[str] | None = None,
) -> Parcel:
    """The parcel of an allocation: its item lines are the SKUs' (description, HS code,
    value, weight, battery), the weight their sum. ``strict``: a parcel to ship (its items
    must pass customs' input checks); otherwise, for the gate's question only."""
    declared = {sku.currency for sku, _q in lines}
    if strict and len(declared) > 1:
        raise InvalidInventoryInput(
            _("The SKUs of one parcel are declared in one currency: these are in %(list)s.")
            % {"list": ", ".join(sorted(declared))},
            field="lines",
        )
    items = [
        RawItem(
            description=sku.name_en,
            quantity=str(quantity),
            unit_value=str(sku.unit_value),
            currency=sku.currency,
            unit_weight_g=str(sku.unit_weight_g),
            hs_code=sku.hs_code,
            origin_country=sku.origin_country,
            description_zh=sku.name_zh,
            sku=sku.code,
            gtin=sku.gtin,
            mpn=sku.mpn,
            contains_battery=sku.contains_battery,
        )
        for sku, quantity in lines
    ]
    weight = sum(sku.unit_weight_g * quantity for sku, quantity in lines)
    try:
        built = parcel_build(
            origin=origin,
            country=country,
            postcode=postcode,
            weight_g=max(weight, 1),
            items=items if strict else None,
            state=destination.state,
            city=destination.city,
            address=destination.address,
            ioss_number=destination.ioss_number,
            uk_vat_number=destination.uk_vat_number,
            on=shanghai_date(at),
            currencies=currencies,
        )
    except InvalidOrder as error:
        raise InvalidInventoryInput(error.message, field=error.field or "destination") from None
    if not strict:
        built = dataclasses.replace(
            built,
            items=tuple(
                ParcelItem(
                    description=sku.name_en,
                    quantity=q,
                    unit_value=sku.unit_value,
                    currency=sku.currency,
                    unit_weight_g=sku.unit_weight_g,
                    hs_code=sku.hs_code,
                    origin_country=sku.origin_country,
                    sku=sku.code,
                    contains_battery=sku.contains_battery,
                )
                for sku, q in lines
            ),
        )
    return dataclasses.replace(built, campaign=campaign.code) if campaign else built


# --- results -----------------------------------------------------------------------------
def _result(
    order_number: str,
    policy: str,
    planned: Plan,
    started: float,
    *,
    shipments: dict[int, tuple[int, str, Decimal]],
    dry_run: bool = False,
) -> RouteResult:
    return RouteResult(
        order_number=order_number,
        policy=policy,
        allocations=tuple(
            AllocationResult(
                warehouse=parcel.site.code,
                lines=tuple(
                    AllocatedLine(pl.sku, pl.quantity, pl.from_lock) for pl in parcel.lines
                ),
                tracking_number=shipments[n][1] if n in shipments else None,
                shipment_id=shipments[n][0] if n in shipments else None,
                price=shipments[n][2] if n in shipments else parcel.price,
                transit_days=parcel.transit_days,
            )
            for n, parcel in enumerate(planned.parcels, 1)
        ),
        unallocated=tuple(SkuQuantity(sku, q) for sku, q in planned.unallocated),
        reasons=planned.reasons,
        seconds=time.perf_counter() - started,
        dry_run=dry_run,
    )


def route_result(*, route: RoutedOrder, replayed: bool = False) -> RouteResult:
    """A routed order's result as it was given (three queries)."""
    allocations = list(
        route.allocations.select_related("warehouse", "shipment").order_by("position")
    )
    lines = (
        AllocationLine.objects.filter(allocation__order=route)
        .select_related("stock__sku")
        .order_by("allocation_id", "pk")
    )
    by_allocation: dict[int, list[AllocatedLine]] = {}
    for line in lines:
        by_allocation.setdefault(line.allocation_id, []).append(
            AllocatedLine(line.stock.sku.code, line.quantity, line.from_lock)
        )
    return RouteResult(
        order_number=route.order_number,
        policy=route.policy,
        allocations=tuple(
            AllocationResult(
                warehouse=allocation.warehouse.code,
                lines=tuple(by_allocation.get(allocation.pk, ())),
                tracking_number=allocation.shipment.tracking_number
                if allocation.shipment
                else None,
                shipment_id=allocation.shipment_id,
                price=allocation.shipment.quoted_total if allocation.shipment else None,
                transit_days=allocation.shipment.transit_days if allocation.shipment else None,
            )
            for allocation in allocations
        ),
        unallocated=tuple(SkuQuantity(ln["sku"], ln["quantity"]) for ln in route.unallocated),
        reasons=tuple(Reason.from_json(data) for data in route.reasons),
        seconds=route.seconds,
        replayed=replayed,
        route_id=route.pk,
    )
