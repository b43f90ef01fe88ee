"""The order gate: every reason an order can be refused, in one ordered registry.

Like Django's system-check framework, the registry knows nothing of the checks: each app
registers its own from its ``gate_checks`` module (imported by its ``AppConfig.ready``).

- A **loader** reads what the checks need for one order (the store's latest metrics, the
  trial shipments used, the balance …) into ``OrderContext.facts``, one or two queries each.
- A **check** is a pure function of the context: no queries, so a file of 100,000 orders runs
  the gate in memory, and a diagnostic trace makes a bounded number of queries.

Shipment creation (``shipments.services``) runs the gate and stops at the first failure;
the diagnostics tool runs the same checks with ``trace=True`` to show every one. Nothing is
decided twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.timezones import SHANGHAI


class CheckStatus(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    SKIPPED = "skipped", _("Not applicable")


@dataclass(frozen=True, slots=True)
class Parcel:
    """What the seller wants to send, as far as the gate cares; input already validated."""

    origin: str
    country: str
    postcode: str
    weight_g: int
    dims_cm: tuple[Decimal, Decimal, Decimal] | None = None
    green: bool = False

    def as_json(self) -> dict:
        return {
            "origin": self.origin,
            "country": self.country,
            "postcode": self.postcode,
            "weight_g": self.weight_g,
            "dims_cm": [str(side) for side in self.dims_cm] if self.dims_cm else None,
            "green": self.green,
        }


@dataclass(slots=True)
class OrderContext:
    """One order (or the account alone, ``parcel=None``) at one moment."""

    seller: Any  # accounts.Seller
    store: Any | None  # onboarding.Application: the store the order ships for
    parcel: Parcel | None
    at: datetime.datetime
    order_number: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        """The order's date in Asia/Shanghai, where prices, trials and ID validity count."""
        return self.at.astimezone(SHANGHAI).date()


@dataclass(frozen=True, slots=True)
class CheckResult:
    status: str
    evidence: dict = field(default_factory=dict)
    message: str = ""  # what exactly failed, for the seller; the check's title otherwise

    @classmethod
    def passed(cls, **evidence) -> CheckResult:
        return cls(CheckStatus.PASS, evidence)

    @classmethod
    def failed(cls, message: str = "", **evidence) -> CheckResult:
        return cls(CheckStatus.FAIL, evidence, str(message))

    @classmethod
    def skipped(cls, **evidence) -> CheckResult:
        return cls(CheckStatus.SKIPPED, evidence)


CheckFunction = Callable[[OrderContext], CheckResult]
Loader = Callable[[OrderContext], None]
CreatedHook = Callable[[OrderContext, Any], None]


@dataclass(frozen=True, slots=True)
class GateCheck:
    code: str
    position: int
    title: str  # lazy: what is wrong, one line
    fix: str  # lazy: what the seller does about it
    func: CheckFunction
    fix_url_name: str | None = None  # a URL name without arguments
    share: Decimal | None = None  # share of refusals in the article, in %
    needs_parcel: bool = False  # skipped when the question is about the account alone

    def fix_url(self) -> str | None:
        from django.urls import reverse

        return reverse(self.fix_url_name) if self.fix_url_name else None


@dataclass(frozen=True, slots=True)
class Outcome:
    check: GateCheck
    result: CheckResult

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def message(self) -> str:
        return self.result.message or str(self.check.title)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "status": str(self.status),
            "evidence": self.result.evidence,
            "fix": str(self.check.fix) if self.status == CheckStatus.FAIL else None,
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
    def __init__(self) -> None:
        self._checks: dict[str, GateCheck] = {}
        self._loaders: dict[str, list[tuple[int, Loader]]] = {"account": [], "parcel": []}
        self._created_hooks: list[CreatedHook] = []
        self._ordered: tuple[GateCheck, ...] | None = None

    def check(
        self,
        code: str,
        *,
        position: int,
        title,
        fix,
        fix_url_name: str | None = None,
        share: str | None = None,
        needs_parcel: bool = False,
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Register the decorated function as the check ``code`` at ``position``."""

        def register(func: CheckFunction) -> CheckFunction:
            if code in self._checks:
                raise ValueError(f"gate check {code!r} is registered twice")
            if any(c.position == position for c in self._checks.values()):
                raise ValueError(f"gate position {position} is taken")
            self._checks[code] = GateCheck(
                code=code,
                position=position,
                title=title,
                fix=fix,
                func=func,
                fix_url_name=fix_url_name,
                share=Decimal(share) if share is not None else None,
                needs_parcel=needs_parcel,
            )
            self._ordered = None
            return func

        return register

    def loader(self, *, scope: str = "account", position: int = 50):
        """Register a loader. ``account`` loaders read what holds for every order of the
        store (metrics, trial used, balance) and run once per context, or once per bulk
        file; ``parcel`` loaders work out what depends on the parcel (the quote) and run
        for each order, without queries. Loaders run in ``position`` order: a later one
        may use an earlier one's facts."""

        def register(func: Loader) -> Loader:
            self._loaders[scope].append((position, func))
            self._loaders[scope].sort(key=lambda item: item[0])
            return func

        return register

    def on_created(self, func: CreatedHook) -> CreatedHook:
        """Register ``func(ctx, shipment)``, called after an order passed and its shipment
        was created, to bring the account facts up to date (trial used, balance) for the
        next order of the same file."""
        self._created_hooks.append(func)
        return func

    def checks(self) -> tuple[GateCheck, ...]:
        if self._ordered is None:
            self._ordered = tuple(sorted(self._checks.values(), key=lambda c: c.position))
        return self._ordered

    def get(self, code: str) -> GateCheck:
        return self._checks[code]

    def codes(self) -> list[str]:
        return [check.code for check in self.checks()]

    def context(
        self,
        *,
        seller,
        store,
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
        for _position, load in self._loaders["account"]:
            load(ctx)
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
            facts=dict(account.facts),
        )
        if parcel is not None:
            for _position, load in self._loaders["parcel"]:
                load(ctx)
        return ctx

    def created(self, ctx: OrderContext, shipment) -> None:
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
            outcomes.append(Outcome(check, result))
            if result.status == CheckStatus.FAIL and not trace:
                break
        return GateResult(tuple(outcomes))


gate = GateRegistry()
