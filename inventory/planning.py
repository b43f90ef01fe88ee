"""The routing decision (智能分单), as a pure function of what the network holds: which
warehouse(s) ship which units of an order, and why each warehouse was or was not chosen.
``services.routing`` loads the network, calls ``plan`` (again under the rows' locks before
reserving) and carries the plan out.

The rules, in their order (DOMAIN.md §6; Shopify's fulfilment ranking, Amazon MCF's
policies, Solidus' stock coordinator):

1. Only active warehouses that serve the destination country and have a lane to it on the
   rate card in force are candidates.
2. A campaign order: when a line's SKU was locked for the campaign and every such lock has
   expired, the order is refused (``presale_lock_expired``).
3. Fewest parcels: one warehouse holding every line beats any split; a split uses as few
   warehouses as can fill the order, at most ``max_splits``. Under ``fill_or_kill`` an order
   no such set fills is refused (``stock_insufficient``); under ``fill_all_available`` the
   set that ships the most units is taken and the rest ships from China.
4. Among sets of the same size: the most units from the campaign's locks (locked stock
   before free stock), then the fewest parcels from outside the destination's country
   (same market), then the lowest total price (the lanes' quotes at the seller's score),
   then the fewest transit days (a warehouse past its local cut-off adds a day), then the
   warehouse codes (a stable tie-break).
5. Within a set, each line takes the campaign's locked units first, then free units, from
   the set's warehouses in the order: same market, cheaper, faster, code.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Any

from .models import Policy

MAX_COMBINATIONS = 5000  # sets of warehouses examined at one size, at most
MAX_SCORED = 200  # sets priced and compared at one size, at most


@dataclass(frozen=True, slots=True)
class Site:
    """An active warehouse as routing sees it."""

    id: int
    code: str
    name: str
    country: str
    serves: frozenset[str]
    origin: str
    cutoff: datetime.time
    time_zone: str

    def past_cutoff(self, at: datetime.datetime) -> bool:
        try:
            zone = zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        return at.astimezone(zone).time() > self.cutoff


@dataclass(frozen=True, slots=True)
class LockHold:
    """A campaign's lock at one stock row."""

    id: int
    held: int  # on hand, for the campaign
    usable: bool  # active and not past its expiry at the routing's moment
    expired: bool  # ended by its expiry (or past it, not yet swept)
    expires_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class Holding:
    """One stock row: what is free, and the order's campaign's locks there."""

    stock_id: int
    free: int
    locks: tuple[LockHold, ...] = ()

    @property
    def locked(self) -> int:
        return sum(lock.held for lock in self.locks if lock.usable)

    @property
    def usable(self) -> int:
        return max(self.free, 0) + self.locked


@dataclass(frozen=True, slots=True)
class Line:
    sku_id: int
    sku: str
    quantity: int
    unit_weight_g: int


@dataclass(frozen=True, slots=True)
class Price:
    total: Decimal
    transit_days: int


# (site, weight g) → its price and transit days, or None when no lane carries it.
Pricer = Callable[[Site, int], Price | None]


@dataclass(frozen=True, slots=True)
class PlannedLine:
    sku_id: int
    sku: str
    stock_id: int
    quantity: int
    from_locks: tuple[tuple[int, int], ...] = ()  # (lock id, units)

    @property
    def from_lock(self) -> int:
        return sum(units for _lock, units in self.from_locks)


@dataclass(frozen=True, slots=True)
class PlannedParcel:
    site: Site
    lines: tuple[PlannedLine, ...]
    weight_g: int
    price: Decimal
    transit_days: int
    same_market: bool

    @property
    def locked_units(self) -> int:
        return sum(line.from_lock for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a warehouse was chosen or not (``warehouse`` empty: about the whole order).
    ``code`` and ``params`` are kept; the text is written at display (``reasons``)."""

    warehouse: str
    chosen: bool
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "warehouse": self.warehouse,
            "chosen": self.chosen,
            "code": self.code,
            "params": self.params,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        return cls(
            warehouse=data.get("warehouse", ""),
            chosen=bool(data.get("chosen")),
            code=data.get("code", ""),
            params=dict(data.get("params") or {}),
        )


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the order cannot be routed: the gate's code, and the warehouse whose parcel the
    gate is asked about (None: no warehouse serves the destination)."""

    code: str  # "presale_lock_expired", "stock_insufficient" or "no_warehouse"
    site: Site | None
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    parcels: tuple[PlannedParcel, ...]
    unallocated: tuple[tuple[str, int], ...]  # (SKU, units) that ship from China
    reasons: tuple[Reason, ...]
    refusal: Refusal | None = None


@dataclass(frozen=True, slots=True)
class Network:
    """What routing reads: the active warehouses and the order's SKUs' holdings."""

    sites: tuple[Site, ...]
    holdings: dict[tuple[int, int], Holding]  # (warehouse id, SKU id) →

    def holding(self, site: Site, line: Line) -> Holding:
        return self.holdings.get((site.id, line.sku_id)) or Holding(stock_id=0, free=0)


def plan(
    *,
    network: Network,
    lines: Sequence[Line],
    country: str,
    policy: str,
    max_splits: int,
    campaign: bool,
    price: Pricer,
    at: datetime.datetime,
) -> Plan:
    """Route ``lines`` to ``country`` over ``network`` (see the module's rules)."""
    lines = tuple(lines)
    reasons: dict[str, Reason] = {}
    expired = _expired_lock_site(network, lines) if campaign else None
    if expired is not None:
        return Plan((), (), (), Refusal("presale_lock_expired", expired, lines))

    serving: list[Site] = []
    for site in network.sites:
        if country not in site.serves:
            reasons[site.code] = Reason(site.code, False, "not_serving", {"country": country})
        elif price(site, 1) is None:
            reasons[site.code] = Reason(site.code, False, "no_lane", {"country": country})
        else:
            serving.append(site)
    if not serving:
        if policy == Policy.FILL_OR_KILL:
            return Plan((), (), tuple(reasons.values()), Refusal("no_warehouse", None, lines))
        rest = tuple((line.sku, line.quantity) for line in lines)
        order_reason = Reason("", False, "from_china", {"lines": _lines_text(rest)})
        return Plan((), rest, (*reasons.values(), order_reason))

    holding_any = [
        site for site in serving if any(network.holding(site, ln).usable > 0 for ln in lines)
    ]
    for site in serving:
        if site not in holding_any:
            reasons[site.code] = Reason(site.code, False, "no_stock", {})
    rank = _site_rank(serving, lines, country, price, at)
    best: tuple[tuple[Any, ...], tuple[PlannedParcel, ...]] | None = None
    needs_more = False
    for size in range(1, min(max_splits, len(holding_any)) + 1):
        sets = _sets(holding_any, size)
        covering = [s for s in sets if _covers(network, s, lines)]
        if covering:
            best = _best(network, covering, lines, country, price, at, rank, full=True)
            if best is not None:
                break
    if best is None:
        for size in range(max_splits + 1, len(holding_any) + 1):
            if any(_covers(network, s, lines) for s in _sets(holding_any, size)):
                needs_more = True
                break
    if best is None and policy == Policy.FILL_OR_KILL:
        site = _refusal_site(network, serving, lines, rank)
        order_reasons: list[Reason] = []
        if needs_more:
            order_reasons.append(Reason("", False, "max_splits", {"max_splits": max_splits}))
        for candidate in holding_any:
            reasons[candidate.code] = _partial(network, candidate, lines)
        return Plan(
            (),
            (),
            (*reasons.values(), *order_reasons),
            Refusal("stock_insufficient", site, lines),
        )
    if best is None:  # fill_all_available: the set that ships the most units
        candidates: list[tuple[Site, ...]] = []
        for size in range(1, min(max_splits, len(holding_any)) + 1):
            candidates.extend(_sets(holding_any, size))
        most = max((_units(network, s, lines) for s in candidates), default=0)
        top = [s for s in candidates if _units(network, s, lines) == most]
        best = _best(network, top, lines, country, price, at, rank, full=False)
    parcels = best[1] if best is not None else ()
    shipped: dict[int, int] = {}
    for parcel in parcels:
        for pl in parcel.lines:
            shipped[pl.sku_id] = shipped.get(pl.sku_id, 0) + pl.quantity
    rest = tuple(
        (line.sku, line.quantity - shipped.get(line.sku_id, 0))
        for line in lines
        if line.quantity > shipped.get(line.sku_id, 0)
    )
    _explain(reasons, network, parcels, holding_any, lines, country, price, at, rank)
    order_level: list[Reason] = []
    if needs_more:
        order_level.append(Reason("", False, "max_splits", {"max_splits": max_splits}))
    if rest:
        order_level.append(Reason("", False, "from_china", {"lines": _lines_text(rest)}))
    ordered = [reasons[site.code] for site in network.sites if site.code in reasons]
    return Plan(parcels, rest, (*ordered, *order_level))


# --- the parts ---------------------------------------------------------------------------
def _expired_lock_site(network: Network, lines: tuple[Line, ...]) -> Site | None:
    """The warehouse of the campaign's latest expired lock on a line whose every lock for
    the campaign has expired; None when every locked line has a usable lock."""
    for line in lines:
        locks = [
            (lock, site) for site in network.sites for lock in network.holding(site, line).locks
        ]
        if locks and not any(lock.usable for lock, _site in locks):
            expired = [(lock, site) for lock, site in locks if lock.expired]
            if expired:
                return max(expired, key=lambda pair: (pair[0].expires_at, pair[0].id))[1]
    return None


def _sets(sites: list[Site], size: int) -> list[tuple[Site, ...]]:
    found = []
    for n, chosen in enumerate(combinations(sites, size)):
        if n >= MAX_COMBINATIONS:
            break
        found.append(chosen)
    return found


def _covers(network: Network, sites: tuple[Site, ...], lines: tuple[Line, ...]) -> bool:
    return all(
        sum(network.holding(site, line).usable for site in sites) >= line.quantity for line in lines
    )


def _units(network: Network, sites: tuple[Site, ...], lines: tuple[Line, ...]) -> int:
    return sum(
        min(line.quantity, sum(network.holding(site, line).usable for site in sites))
        for line in lines
    )


def _site_rank(
    sites: list[Site],
    lines: tuple[Line, ...],
    country: str,
    price: Pricer,
    at: datetime.datetime,
) -> dict[int, tuple[Any, ...]]:
    """The order in which a set's warehouses give their units: same market, cheaper for
    the whole order, faster, code."""
    weight = sum(line.quantity * line.unit_weight_g for line in lines)
    rank = {}
    for site in sites:
        quoted = price(site, weight) or price(site, 1)
        cost = quoted.total if quoted is not None else Decimal("Infinity")
        days = (quoted.transit_days if quoted is not None else 999) + site.past_cutoff(at)
        rank[site.id] = (site.country != country, cost, days, site.code)
    return rank


def _assign(
    network: Network,
    sites: tuple[Site, ...],
    lines: tuple[Line, ...],
    rank: dict[int, tuple[Any, ...]],
) -> dict[int, list[PlannedLine]]:
    """Each line's units from the set: locked units first, then free, warehouses by rank."""
    ordered = sorted(sites, key=lambda site: rank[site.id])
    taken: dict[int, list[PlannedLine]] = {}
    for line in lines:
        left = line.quantity
        from_lock: dict[int, list[tuple[int, int]]] = {}
        for site in ordered:
            holding = network.holding(site, line)
            for lock in holding.locks:
                if left and lock.usable and lock.held:
                    part = min(lock.held, left)
                    from_lock.setdefault(site.id, []).append((lock.id, part))
                    left -= part
        free_part: dict[int, int] = {}
        for site in ordered:
            free = max(network.holding(site, line).free, 0)
            if left and free:
                part = min(free, left)
                free_part[site.id] = part
                left -= part
        for site in ordered:
            locks = tuple(from_lock.get(site.id, ()))
            quantity = sum(units for _lock, units in locks) + free_part.get(site.id, 0)
            if quantity:
                taken.setdefault(site.id, []).append(
                    PlannedLine(
                        sku_id=line.sku_id,
                        sku=line.sku,
                        stock_id=network.holding(site, line).stock_id,
                        quantity=quantity,
                        from_locks=locks,
                    )
                )
    return taken


def _parcels(
    network: Network,
    sites: tuple[Site, ...],
    lines: tuple[Line, ...],
    country: str,
    price: Pricer,
    at: datetime.datetime,
    rank: dict[int, tuple[Any, ...]],
) -> tuple[PlannedParcel, ...] | None:
    weights = {line.sku_id: line.unit_weight_g for line in lines}
    parcels = []
    for site_id, planned in _assign(network, sites, lines, rank).items():
        site = next(site for site in sites if site.id == site_id)
        weight = sum(pl.quantity * weights[pl.sku_id] for pl in planned)
        quoted = price(site, weight)
        if quoted is None:  # over the lane's maximum weight
            return None
        parcels.append(
            PlannedParcel(
                site=site,
                lines=tuple(planned),
                weight_g=weight,
                price=quoted.total,
                transit_days=quoted.transit_days + site.past_cutoff(at),
                same_market=site.country == country,
            )
        )
    return tuple(sorted(parcels, key=lambda p: rank[p.site.id]))


def _key(parcels: tuple[PlannedParcel, ...], *, units_first: bool) -> tuple[Any, ...]:
    key = (
        len(parcels),
        -sum(p.locked_units for p in parcels),
        sum(not p.same_market for p in parcels),
        sum((p.price for p in parcels), Decimal(0)),
        max((p.transit_days for p in parcels), default=0),
        tuple(p.site.code for p in parcels),
    )
    if units_first:
        return (-sum(p.units for p in parcels), *key)
    return key


def _best(
    network: Network,
    sets: list[tuple[Site, ...]],
    lines: tuple[Line, ...],
    country: str,
    price: Pricer,
    at: datetime.datetime,
    rank: dict[int, tuple[Any, ...]],
    *,
    full: bool,
) -> tuple[tuple[Any, ...], tuple[PlannedParcel, ...]] | None:
    # The cheapest sets to look at first, when there are more than can be priced.
    sets = sorted(sets, key=lambda s: tuple(sorted(rank[site.id] for site in s)))[:MAX_SCORED]
    best = None
    for chosen in sets:
        parcels = _parcels(network, chosen, lines, country, price, at, rank)
        if parcels is None or not parcels:
            continue
        key = _key(parcels, units_first=not full)
        if best is None or key < best[0]:
            best = (key, parcels)
    return best


def _refusal_site(
    network: Network, serving: list[Site], lines: tuple[Line, ...], rank: dict[int, Any]
) -> Site:
    """The warehouse the gate is asked about when no set fills the order: the one that
    holds most of it (then by rank)."""
    return min(serving, key=lambda site: (-_units(network, (site,), lines), rank[site.id]))


def _partial(network: Network, site: Site, lines: tuple[Line, ...]) -> Reason:
    short = [
        {"sku": line.sku, "has": network.holding(site, line).usable, "needs": line.quantity}
        for line in lines
        if network.holding(site, line).usable < line.quantity
    ]
    return Reason(site.code, False, "partial", {"short": short})


def _explain(
    reasons: dict[str, Reason],
    network: Network,
    parcels: tuple[PlannedParcel, ...],
    holding_any: list[Site],
    lines: tuple[Line, ...],
    country: str,
    price: Pricer,
    at: datetime.datetime,
    rank: dict[int, tuple[Any, ...]],
) -> None:
    chosen = {parcel.site.code for parcel in parcels}
    for parcel in parcels:
        reasons[parcel.site.code] = Reason(
            parcel.site.code,
            True,
            "chosen_split" if len(parcels) > 1 else "chosen",
            {
                "lines": _lines_text(tuple((pl.sku, pl.quantity) for pl in parcel.lines)),
                "locked": parcel.locked_units,
                "same_market": parcel.same_market,
                "price": str(parcel.price),
                "days": parcel.transit_days,
                "parcels": len(parcels),
            },
        )
    winner = _key(parcels, units_first=False) if parcels else None
    for site in holding_any:
        if site.code in chosen:
            continue
        if not _covers(network, (site,), lines):
            reasons[site.code] = _partial(network, site, lines)
            continue
        alone = _parcels(network, (site,), lines, country, price, at, rank)
        if alone is None or winner is None:
            reasons[site.code] = Reason(site.code, False, "too_heavy", {})
            continue
        reasons[site.code] = _lost(site, alone, parcels, winner, _key(alone, units_first=False))


def _lost(
    site: Site,
    alone: tuple[PlannedParcel, ...],
    parcels: tuple[PlannedParcel, ...],
    winner: tuple[Any, ...],
    key: tuple[Any, ...],
) -> Reason:
    """Why ``site``, which could ship the order alone, lost to the chosen parcels: the
    first rule (see the module) where it compares worse."""
    codes = ("more_parcels", "lock_elsewhere", "other_market", "dearer", "slower", "tie")
    code = next(
        (name for n, name in enumerate(codes) if key[n] != winner[n]),
        "tie",
    )
    params = {
        "price": str(alone[0].price),
        "chosen_price": str(sum((p.price for p in parcels), Decimal(0))),
        "days": alone[0].transit_days,
        "chosen_days": max(p.transit_days for p in parcels),
        "chosen": ", ".join(p.site.code for p in parcels),
    }
    return Reason(site.code, False, code, params)


def _lines_text(lines: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{sku} ×{quantity}" for sku, quantity in lines)
