"""The order gate: every reason an order can be refused, in one ordered registry.

Like Django's system-check framework, the registry knows nothing of the checks: each app
registers its own from its ``gate_checks`` module (imported by its ``AppConfig.ready``).
What it does know is the contract between them:

- ``GATE_ORDER``, the one ordered list of check codes. A check runs at its place in it; a
  code registered but not listed is refused when it registers; a code listed but never
  registered stops start-up (the system check ``core.E001`` in ``core.checks``).
- ``OrderFacts``, one typed field per fact the checks read. A **loader** fills some of
  them for one order (the store's latest metrics, the balance, the quote …), one or two
  queries each, and declares what it ``provides`` and what it ``needs``; a **check**
  declares the facts it ``needs``. A fact needed that no loader before it provides stops
  start-up too.
- A check is a pure function of the context: no queries, so a file of 100,000 orders runs
  the gate in memory, and a diagnostic trace makes a bounded number of queries.

Shipment creation (``shipments.services``) runs the gate and stops at the first failure;
the diagnostics tool runs the same checks with ``trace=True`` to show every one. Nothing is
decided twice.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.timezones import SHANGHAI

# The order of the gate: the first failing check is the order's root cause, so an account
# matter (the service, the store, the company) comes before the parcel's own.
GATE_ORDER: tuple[str, ...] = (
    "service_not_active",  # onboarding
    "service_closed_health",  # onboarding
    "store_not_bound",  # onboarding, from the platform's latest store metrics
    "licence_tax_address_mismatch",  # onboarding
    "legal_rep_id_expiring",  # onboarding
    "dsr_frozen",  # onboarding, from the platform's latest store metrics
    "statement_overdue",  # billing
    "trial_quota_used",  # shipments, from the store's trial counter
    "presale_lock_expired",  # inventory: the order's presale campaign lock ran out
    "stock_insufficient",  # inventory: the warehouse does not hold the order's lines
    "lane_not_served",  # shipments, through pricing's quote
    "address_incomplete",  # customs: state, postcode, format for a served destination
    "overweight",  # shipments, through pricing's quote
    "trial_overweight",  # shipments
    "battery_not_on_lane",  # customs, from the quoted lane
    "hs_code_missing",  # customs
    "item_description_generic",  # customs
    "product_ids_missing",  # customs
    "eu_ioss_required",  # customs
    "eu_ioss_over_limit",  # customs
    "uk_vat_required",  # customs
    "balance_insufficient",  # billing
)

Text = str | Promise  # a message or a lazy translation


class CheckStatus(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    SKIPPED = "skipped", _("Not applicable")


@dataclass(frozen=True, slots=True)
class ParcelItem:
    """One line of the parcel's contents, as customs see it (DOMAIN.md §5). Checked input:
    an HS code of digits, a quantity ≥ 1, a value ≥ 0 in a known currency."""

    description: str  # English (ICS2 reads it)
    quantity: int
    unit_value: Decimal
    currency: str
    unit_weight_g: int
    hs_code: str = ""
    origin_country: str = "CN"
    description_zh: str = ""
    sku: str = ""
    gtin: str = ""
    mpn: str = ""
    contains_battery: bool = False

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity

    @property
    def weight_g(self) -> int:
        return self.unit_weight_g * self.quantity

    def as_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["unit_value"] = str(self.unit_value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParcelItem:
        return cls(**{**data, "unit_value": Decimal(data["unit_value"])})


_NO_VALUE = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Parcel:
    """What the seller wants to send, as far as the gate cares; input already validated.
    The address and the customs fields matter to the customs checks (``customs``)."""

    origin: str
    country: str
    postcode: str
    weight_g: int
    dims_cm: tuple[Decimal, Decimal, Decimal] | None = None
    green: bool = False
    items: tuple[ParcelItem, ...] = ()
    state: str = ""  # ISO 3166-2 subdivision, without the country (US: "CA")
    city: str = ""
    address: str = ""
    incoterm: str = "DDU"
    ioss_number: str = ""  # the marketplace's (deemed supplier), when the order carries it
    uk_vat_number: str = ""  # the same for the UK
    campaign: str = ""  # a presale campaign's code (inventory): its locked stock goes first

    @property
    def declared_value(self) -> Decimal:
        # Read for every order of a bulk file: a plain loop (no generator, no parse of "0.00").
        total = _NO_VALUE
        for item in self.items:
            total += item.unit_value * item.quantity
        return total

    @property
    def currency(self) -> str:
        return self.items[0].currency if self.items else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "country": self.country,
            "postcode": self.postcode,
            "weight_g": self.weight_g,
            "dims_cm": [str(side) for side in self.dims_cm] if self.dims_cm else None,
            "green": self.green,
            "items": [item.as_json() for item in self.items],
            "state": self.state,
            "city": self.city,
            "address": self.address,
            "incoterm": self.incoterm,
            "ioss_number": self.ioss_number,
            "uk_vat_number": self.uk_vat_number,
            # Only a presale order has one: every other parcel's record stays as it was.
            **({"campaign": self.campaign} if self.campaign else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Parcel | None:
        """The parcel a refusal recorded (``as_json``), or None when it had none. Refusals
        recorded before items existed come back without them."""
        if not data:
            return None
        dims = data.get("dims_cm")
        return cls(
            origin=data["origin"],
            country=data["country"],
            postcode=data.get("postcode", ""),
            weight_g=int(data["weight_g"]),
            dims_cm=(Decimal(dims[0]), Decimal(dims[1]), Decimal(dims[2])) if dims else None,
            green=bool(data.get("green")),
            items=tuple(ParcelItem.from_json(item) for item in data.get("items") or ()),
            state=data.get("state", ""),
            city=data.get("city", ""),
            address=data.get("address", ""),
            incoterm=data.get("incoterm", "DDU"),
            ioss_number=data.get("ioss_number", ""),
            uk_vat_number=data.get("uk_vat_number", ""),
            campaign=data.get("campaign", ""),
        )


# --- what crosses apps: the store, the seller, and the facts -----------------------------
class GateSeller(Protocol):
    @property
    def pk(self) -> Any: ...


class GateStore(Protocol):
    """The store an order ships for (``stores.Store``), as far as the gate reads it."""

    @property
    def pk(self) -> Any: ...
    @property
    def seller_id(self) -> Any: ...
    @property
    def platform(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def trial_used(self) -> int: ...
    @property
    def trial_quota(self) -> int: ...


@dataclass(frozen=True, slots=True)
class MetricsFacts:
    """The platform's latest report on the store (``platforms.StoreMetricsSnapshot``)."""

    as_of: datetime.date
    store_bound: bool
    serious_complaints_30d: int
    fulfilment_score: Decimal

    def age_days(self, today: datetime.date) -> int:
        """How many days old the figures are on ``today`` (0: today's)."""
        return (today - self.as_of).days


@dataclass(frozen=True, slots=True)
class ApplicationFacts:
    """The application behind the store (or the seller's newest one, before approval)."""

    pk: int
    reference: str
    status: str
    status_label: str
    decision_reason: str
    platform: str
    platform_store_id: str
    registered_address: str
    tax_address: str
    addresses_match: bool
    id_valid_until: datetime.date | None
    id_long_term: bool


class PriceQuote(Protocol):
    """A parcel's price (``pricing.services.Quote``), as the gate and a new shipment read it."""

    @property
    def card_id(self) -> int: ...
    @property
    def lane(self) -> str: ...
    @property
    def zone(self) -> str: ...
    @property
    def volumetric_weight_g(self) -> int: ...  # 0 without dimensions
    @property
    def chargeable_weight_g(self) -> int: ...
    @property
    def score(self) -> Decimal: ...
    @property
    def peak_rate(self) -> Decimal: ...
    @property
    def green_rate(self) -> Decimal: ...
    @property
    def base(self) -> Decimal: ...
    @property
    def fulfillment_adjustment(self) -> Decimal: ...
    @property
    def peak_adjustment(self) -> Decimal: ...
    @property
    def green_discount(self) -> Decimal: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def transit_days(self) -> int: ...
    @property
    def customs_clearance_hours(self) -> int: ...
    @property
    def accepts_batteries(self) -> bool: ...


class CreatedShipment(Protocol):
    """A shipment just created (``shipments.Shipment``), as the ``on_created`` hooks read it."""

    @property
    def is_trial(self) -> bool: ...
    @property
    def charge(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class QuoteRefusal:
    """Why no line prices the parcel: no lane for the destination, or too heavy for it."""

    reason: Literal["lane", "weight"]
    message: str


@dataclass(frozen=True, slots=True)
class OverdueFacts:
    number: str
    due_date: datetime.date
    outstanding: Decimal


@dataclass(slots=True)
class CustomsFacts:
    """What customs rules say about the order, worked out by ``customs`` from its data (the
    rules in force on the order's date, the FX table, the seller's registrations): no
    threshold or rate is a constant in code."""

    hs_code_min_digits: int | None  # None: no HS code rule in force
    generic_terms: frozenset[str]
    product_ids_required: bool  # the destination requires GTIN/MPN or SKU per item now
    ioss_applies: bool  # the destination is in the IOSS area
    ioss_limit: Decimal | None  # in ioss_currency
    ioss_currency: str
    uk_vat_applies: bool
    uk_vat_limit: Decimal | None
    uk_vat_currency: str
    value: Decimal | None  # the parcel's value in the IOSS or UK currency, when one applies
    fx_rates: dict[str, str]  # the rates used, kept on the shipment
    ioss_number: str  # the order's (marketplace's) or the seller's registration, or ""
    uk_vat_number: str
    form: str  # "CN22" or "CN23"; "" when the parcel crosses no customs border
    # False for a parcel that stays inside one customs territory (an overseas warehouse's
    # own country, or a customs union such as the EU's): no declaration, no border rules.
    crosses_border: bool = True
    origin_country: str = "CN"
    # The item rows (from 1) at fault, found in one pass over the items where the parcel
    # crosses a border: an HS code shorter than the rule's, a generic description, no SKU.
    short_hs_rows: list[int] = field(default_factory=list)
    generic_rows: list[int] = field(default_factory=list)
    no_sku_rows: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StockLineFacts:
    """One SKU of a parcel leaving an overseas warehouse, as the warehouse holds it."""

    sku: str
    requested: int
    held: int  # already allocated to this order there (reserved or shipped)
    free: int  # on hand and promised to nobody
    locked: int  # on hand, locked for the order's presale campaign (0 without one)

    @property
    def available(self) -> int:
        """What the order may have: its allocation once it has one, else free and locked."""
        return self.held if self.held else self.free + self.locked


@dataclass(frozen=True, slots=True)
class StockFacts:
    """What an overseas warehouse holds for a parcel leaving it (``inventory``): None for a
    parcel leaving China."""

    warehouse: str  # the warehouse's code
    lines: tuple[StockLineFacts, ...]
    unknown_skus: tuple[str, ...] = ()  # item SKUs the seller has no such SKU for
    campaign: str = ""
    lock_expired_at: datetime.datetime | None = None  # the campaign's lock there ended
    allocated: bool = False  # the order already has its allocation here

    @property
    def short(self) -> tuple[StockLineFacts, ...]:
        return tuple(line for line in self.lines if line.requested > line.available)


class CustomsSource(Protocol):
    """What customs know for one account on one day (``customs.selectors.CustomsBook``),
    loaded once; the facts of each parcel come from it without a query."""

    def facts_for(self, parcel: Parcel) -> CustomsFacts: ...


@dataclass(slots=True)
class OrderFacts:
    """Every fact a check reads, one typed field each; loaders fill them (see each loader's
    ``provides``). A field's default is what holds before its loader ran."""

    metrics: MetricsFacts | None = None
    application: ApplicationFacts | None = None
    trial_used: int = 0
    quote: PriceQuote | None = None
    quote_refusal: QuoteRefusal | None = None
    charge: Decimal | None = None
    settlement_mode: str = ""
    balance: Decimal = Decimal("0.00")
    overdue_statement: OverdueFacts | None = None
    customs_source: CustomsSource | None = None
    customs: CustomsFacts | None = None
    stock: StockFacts | None = None


FACTS: frozenset[str] = frozenset(f.name for f in dataclasses.fields(OrderFacts))


@dataclass(slots=True)
class OrderContext:
    """One order (or the account alone, ``parcel=None``) at one moment."""

    seller: GateSeller | None
    store: GateStore | None
    parcel: Parcel | None
    at: datetime.datetime
    order_number: str = ""
    facts: OrderFacts = field(default_factory=OrderFacts)

    @property
    def today(self) -> datetime.date:
        """The order's date in Asia/Shanghai, where prices, trials and ID validity count."""
        return self.at.astimezone(SHANGHAI).date()

    @property
    def platform(self) -> str:
        """The e-commerce platform of the order's store ("" when unknown): the store's, else
        the application's (before approval). A fix names that platform's own menus."""
        if self.store is not None:
            return self.store.platform
        application = self.facts.application
        return application.platform if application is not None else ""


Evidence = dict[str, Any]


# Check results and outcomes are made for every check of every order of a bulk file: plain
# slotted classes (a frozen dataclass's __init__ costs twice as much); never changed after.
@dataclass(slots=True)
class CheckResult:
    status: str
    evidence: Evidence = field(default_factory=dict)
    message: str = ""  # what exactly failed, for the seller; the check's title otherwise

    @classmethod
    def passed(cls, **evidence: Any) -> CheckResult:
        return cls(CheckStatus.PASS, evidence)

    @classmethod
    def failed(cls, message: Text = "", **evidence: Any) -> CheckResult:
        return cls(CheckStatus.FAIL, evidence, str(message))

    @classmethod
    def skipped(cls, **evidence: Any) -> CheckResult:
        return cls(CheckStatus.SKIPPED, evidence)


CheckFunction = Callable[[OrderContext], CheckResult]
FixUrlFunction = Callable[[OrderContext], str | None]
FixTextFunction = Callable[[OrderContext], Text | None]
LoaderFunction = Callable[[OrderContext], None]
CreatedHook = Callable[[OrderContext, CreatedShipment], None]
Scope = Literal["account", "parcel"]


@dataclass(frozen=True, slots=True)
class GateCheck:
    code: str
    position: int  # its place in the gate's order, from 1
    title: Text  # lazy: what the check verifies, one line, read as the check ("… is active")
    fix: Text  # lazy: what the seller does when it fails (the default)
    func: CheckFunction
    needs: frozenset[str] = frozenset()
    fix_url_name: str | None = None  # a URL name without arguments
    fix_url_for: FixUrlFunction | None = None  # or the page for this order's store
    fix_for: FixTextFunction | None = None  # or the fix for this order (its platform's menus)
    share: Decimal | None = None  # share of refusals in the article, in %
    needs_parcel: bool = False  # skipped when the question is about the account alone

    def fix_text(self, ctx: OrderContext | None = None) -> str:
        """What the seller does: the fix for this order when the check knows one
        (``fix_for``: a Lazada store is told Lazada's menus, never AliExpress's), else the
        check's own ``fix``. In the active language."""
        if ctx is not None and self.fix_for is not None:
            text = self.fix_for(ctx)
            if text:
                return str(text)
        return str(self.fix)

    def fix_url(self, ctx: OrderContext | None = None) -> str | None:
        """Where the seller fixes it: the page for this order's store when the check
        knows one (``fix_url_for``), else the check's own page."""
        if ctx is not None and self.fix_url_for is not None:
            url = self.fix_url_for(ctx)
            if url:
                return url
        return reverse(self.fix_url_name) if self.fix_url_name else None


@dataclass(frozen=True, slots=True)
class Loader:
    name: str
    scope: Scope
    func: LoaderFunction
    provides: frozenset[str]
    needs: frozenset[str]


@dataclass(slots=True)
class Outcome:
    check: GateCheck
    result: CheckResult
    ctx: OrderContext | None = field(default=None, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def message(self) -> str:
        return self.result.message or str(self.check.title)

    @property
    def fix(self) -> str:
        """The fix for this order (``GateCheck.fix_text``)."""
        return self.check.fix_text(self.ctx)

    @property
    def fix_url(self) -> str | None:
        return self.check.fix_url(self.ctx)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": str(self.status),
            "evidence": self.result.evidence,
            "fix": self.fix if self.status == CheckStatus.FAIL else None,
        }


@dataclass(frozen=True, slots=True)
class GateResult:
    outcomes: tuple[Outcome, ...]

    @property
    def root_cause(self) -> Outcome | None:
        """The first failing check: the one that refuses the order."""
        return next((o for o in self.outcomes if o.status == CheckStatus.FAIL), None)

    @property
    def passed(self) -> bool:
        return self.root_cause is None


class GateRegistry:
    def __init__(self, order: Sequence[str] = GATE_ORDER) -> None:
        self.order: tuple[str, ...] = tuple(order)
        self._checks: dict[str, GateCheck] = {}
        self._loaders: list[Loader] = []
        self._created_hooks: list[CreatedHook] = []
        self._ordered: tuple[GateCheck, ...] | None = None

    # --- registration ---------------------------------------------------------------
    def check(
        self,
        code: str,
        *,
        title: Text,
        fix: Text,
        needs: Iterable[str] = (),
        fix_url_name: str | None = None,
        fix_url_for: FixUrlFunction | None = None,
        fix_for: FixTextFunction | None = None,
        share: str | None = None,
        needs_parcel: bool = False,
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Register the decorated function as the check ``code``, which reads the facts
        ``needs``. Its place is ``code``'s place in the gate's order."""

        def register(func: CheckFunction) -> CheckFunction:
            if code in self._checks:
                raise ValueError(f"gate check {code!r} is registered twice")
            if code not in self.order:
                raise ValueError(f"gate check {code!r} is not in the gate's order (GATE_ORDER)")
            self._checks[code] = GateCheck(
                code=code,
                position=self.order.index(code) + 1,
                title=title,
                fix=fix,
                func=func,
                needs=_facts(needs, code),
                fix_url_name=fix_url_name,
                fix_url_for=fix_url_for,
                fix_for=fix_for,
                share=Decimal(share) if share is not None else None,
                needs_parcel=needs_parcel,
            )
            self._ordered = None
            return func

        return register

    def loader(
        self, *, scope: Scope = "account", provides: Iterable[str], needs: Iterable[str] = ()
    ) -> Callable[[LoaderFunction], LoaderFunction]:
        """Register a loader that fills the facts ``provides`` from those it ``needs``.
        ``account`` loaders read what holds for every order of the store (metrics, trial
        used, balance) and run once per context, or once per bulk file; ``parcel`` loaders
        work out what depends on the parcel (the quote) and run for each order, without
        queries. Loaders run in registration order within their scope, account first; a
        loader that needs a fact must come after the one that provides it."""

        def register(func: LoaderFunction) -> LoaderFunction:
            name = f"{func.__module__}.{func.__qualname__}"
            self._loaders.append(
                Loader(
                    name=name,
                    scope=scope,
                    func=func,
                    provides=_facts(provides, name),
                    needs=_facts(needs, name),
                )
            )
            return func

        return register

    def on_created(self, func: CreatedHook) -> CreatedHook:
        """Register ``func(ctx, shipment)``, called after an order passed and its shipment
        was created, to bring the account facts up to date (trial used, balance) for the
        next order of the same file."""
        self._created_hooks.append(func)
        return func

    # --- the contract, checked at start-up (``core.checks``) --------------------------
    def problems(self) -> list[str]:
        """What breaks the contract: a listed code nobody registered, or a fact needed
        before any loader provides it. Empty when the gate holds together."""
        problems = [
            f"gate check {code!r} is in the gate's order but no app registers it"
            for code in self.order
            if code not in self._checks
        ]
        provided: set[str] = set()
        for loader in self.loaders("account") + self.loaders("parcel"):
            for fact in sorted(loader.needs - provided):
                problems.append(
                    f"loader {loader.name} needs {fact!r}, which no loader before it provides"
                )
            provided |= loader.provides
        for check in self.checks():
            for fact in sorted(check.needs - provided):
                problems.append(
                    f"gate check {check.code!r} needs {fact!r}, which no loader provides"
                )
        return problems

    # --- reading ----------------------------------------------------------------------
    def loaders(self, scope: Scope) -> list[Loader]:
        return [loader for loader in self._loaders if loader.scope == scope]

    def checks(self) -> tuple[GateCheck, ...]:
        if self._ordered is None:
            self._ordered = tuple(sorted(self._checks.values(), key=lambda c: c.position))
        return self._ordered

    def get(self, code: str) -> GateCheck:
        return self._checks[code]

    def codes(self) -> list[str]:
        return [check.code for check in self.checks()]

    # --- running ----------------------------------------------------------------------
    def context(
        self,
        *,
        seller: GateSeller | None,
        store: GateStore | None,
        parcel: Parcel | None,
        at: datetime.datetime | None = None,
        order_number: str = "",
    ) -> OrderContext:
        """The context of one order, with every loader's facts."""
        ctx = OrderContext(
            seller=seller,
            store=store,
            parcel=None,
            at=at or timezone.now(),
            order_number=order_number,
        )
        for loader in self.loaders("account"):
            loader.func(ctx)
        return self.with_parcel(ctx, parcel=parcel, order_number=order_number)

    def with_parcel(
        self, account: OrderContext, *, parcel: Parcel | None, order_number: str = ""
    ) -> OrderContext:
        """A context for another order of the same account: its facts copied, the parcel's
        worked out again. Makes no queries unless a parcel loader does."""
        ctx = OrderContext(
            seller=account.seller,
            store=account.store,
            parcel=parcel,
            at=account.at,
            order_number=order_number,
            facts=dataclasses.replace(account.facts),
        )
        if parcel is not None:
            for loader in self.loaders("parcel"):
                loader.func(ctx)
        return ctx

    def created(self, ctx: OrderContext, shipment: CreatedShipment) -> None:
        for hook in self._created_hooks:
            hook(ctx, shipment)

    def run(self, ctx: OrderContext, *, trace: bool = False) -> GateResult:
        """Run the checks in order. Without ``trace`` stop at the first failure (the
        order gate); with it, run them all (the diagnostics tool). A check that needs a
        parcel is skipped when the context has none."""
        outcomes = []
        for check in self.checks():
            if check.needs_parcel and ctx.parcel is None:
                result = CheckResult.skipped(reason="no_parcel")
            else:
                result = check.func(ctx)
            outcomes.append(Outcome(check, result, ctx))
            if result.status == CheckStatus.FAIL and not trace:
                break
        return GateResult(tuple(outcomes))


def _facts(names: Iterable[str], owner: str) -> frozenset[str]:
    names = frozenset(names)
    unknown = names - FACTS
    if unknown:
        raise ValueError(f"{owner}: {sorted(unknown)} are not fields of OrderFacts")
    return names


gate = GateRegistry()
