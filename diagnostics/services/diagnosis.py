"""The tool: from an order number (or the account, or a parcel) to every check of the order
gate in order, the root cause and its fix. It runs the very checks shipment creation runs
(``core.gate``, ``trace=True``), so its answer is the gate's; each run is recorded."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from core.gate import CheckStatus, GateResult, Outcome, Parcel, ParcelItem, gate
from platforms.selectors import metrics_are_stale
from shipments.models import RefusedOrder, Shipment
from stores.models import Store
from stores.selectors import store_for_orders

from ..evidence import evidence_lines
from ..exceptions import OrderNotFound
from ..models import DiagnosticRun, RunKind, RunSource
from ..selectors import order_find


def parcel_from_json(data: dict | None) -> Parcel | None:
    """The parcel a refusal recorded (``Parcel.as_json``), or None when it had none."""
    return Parcel.from_json(data)


def parcel_of_shipment(shipment: Shipment) -> Parcel:
    return Parcel(
        origin=shipment.origin,
        country=shipment.country,
        postcode=shipment.postcode,
        weight_g=shipment.weight_g,
        dims_cm=shipment.dims_cm,
        green=shipment.green_rate > 0,
        items=tuple(
            ParcelItem(
                description=item.description,
                quantity=item.quantity,
                unit_value=item.unit_value,
                currency=item.currency,
                unit_weight_g=item.unit_weight_g,
                hs_code=item.hs_code,
                origin_country=item.origin_country,
                description_zh=item.description_zh,
                sku=item.sku,
                gtin=item.gtin,
                mpn=item.mpn,
                contains_battery=item.contains_battery,
            )
            for item in shipment.items.all()
        ),
        state=shipment.state,
        city=shipment.city,
        address=shipment.address,
        incoterm=shipment.incoterm,
        ioss_number=shipment.ioss_number,
        uk_vat_number=shipment.uk_vat_number,
    )


@dataclass(frozen=True, slots=True)
class Step:
    """One check of the trace, ready to show."""

    position: int
    code: str
    title: str
    status: str
    status_label: str
    message: str
    evidence: list[tuple[str, str]]
    fix: str
    fix_url: str | None
    share: Decimal | None
    is_root_cause: bool  # the check that refuses this order (never for one created)
    is_first_failure: bool  # the first failing check now: what a new order would hit
    stale_metrics: bool = False  # reads the platform's metrics, and they are stale


@dataclass(frozen=True, slots=True)
class Diagnosis:
    kind: str
    seller: Any
    store: Store | None
    order_number: str
    parcel: Parcel | None
    result: GateResult
    at: datetime.datetime
    refusal: RefusedOrder | None = None
    shipment: Shipment | None = None
    run: DiagnosticRun | None = None

    @property
    def root_cause(self) -> Outcome | None:
        """The check that refuses the order, traced now. An order that was created as a
        shipment was never refused: it has no root cause, whatever a new order would hit
        now (``now_refused_by``)."""
        if self.shipment is not None:
            return None
        return self.result.root_cause

    @property
    def now_refused_by(self) -> Outcome | None:
        """The first check a new order with the same parcel (or any order, for the
        account) would fail now; None when it would pass."""
        return self.result.root_cause

    @property
    def accepted(self) -> bool:
        """The order was created as a shipment."""
        return self.shipment is not None

    @property
    def passes(self) -> bool:
        """Would the order (or any order, for the account) pass the gate now?"""
        return self.result.passed

    @property
    def metrics_as_of(self) -> datetime.date | None:
        """The date of the platform's figures the checks read (None: none yet)."""
        ctx = self.result.outcomes[0].ctx if self.result.outcomes else None
        metrics = ctx.facts.metrics if ctx is not None else None
        return metrics.as_of if metrics is not None else None

    @property
    def metrics_stale(self) -> bool:
        """The platform's figures are older than ``METRICS_STALE_AFTER_DAYS``: the checks
        that read them pass or fail on an old report (issue 13, item 10)."""
        as_of = self.metrics_as_of
        return as_of is not None and metrics_are_stale(as_of=as_of, at=self.at)

    @property
    def refusal_check(self):
        """The gate check that refused the recorded order (if it is still registered)."""
        if self.refusal is None:
            return None
        try:
            return gate.get(self.refusal.check_code)
        except KeyError:
            return None

    def steps(self) -> list[Step]:
        cause = self.root_cause
        first = self.now_refused_by
        stale = self.metrics_stale
        return [
            Step(
                position=o.check.position,
                code=o.code,
                title=str(o.check.title),
                status=str(o.status),
                status_label=str(CheckStatus(o.status).label),
                message=o.message if o.status == CheckStatus.FAIL else "",
                evidence=evidence_lines(o.result.evidence),
                fix=o.fix if o.status == CheckStatus.FAIL else "",
                fix_url=_fix_url(o) if o.status == CheckStatus.FAIL else None,
                share=o.check.share,
                is_root_cause=o is cause,
                is_first_failure=o is first,
                stale_metrics=stale and "metrics" in o.check.needs,
            )
            for o in self.result.outcomes
        ]

    def as_json(self) -> dict:
        """The command's ``--json``: the order, the seller, the root cause (None for an
        order created as a shipment: it was never refused), the shipment it became (or
        None), what a new order would hit now, the platform's figures' date and whether
        they are stale, and every check."""
        cause = self.root_cause
        now = self.now_refused_by
        shipment = self.shipment
        as_of = self.metrics_as_of
        return {
            "order_number": self.order_number,
            "seller": self.seller.pk,
            "root_cause": cause.code if cause else None,
            "shipment": {
                "tracking_number": shipment.tracking_number,
                "created_at": shipment.created_at.isoformat(),
                "price": str(shipment.quoted_total),
                "charge": str(shipment.charge),
                "is_trial": shipment.is_trial,
            }
            if shipment is not None
            else None,
            "now_refused_by": now.code if now else None,
            "metrics_as_of": as_of.isoformat() if as_of else None,
            "metrics_stale": self.metrics_stale,
            "checks": [o.as_json() for o in self.result.outcomes],
        }


def _fix_url(outcome: Outcome) -> str | None:
    """Where the seller fixes it: the check's page for this store (an expiring ID of a
    store past approval: the page that takes the renewed card), else its own page."""
    try:
        return outcome.fix_url
    except NoReverseMatch:
        return None


def _trace(*, seller, store, parcel, at, order_number) -> GateResult:
    ctx = gate.context(seller=seller, store=store, parcel=parcel, at=at, order_number=order_number)
    return gate.run(ctx, trace=True)


def diagnostic_run_record(*, diagnosis: Diagnosis, user, source: str, found: str = "") -> Diagnosis:
    """Append the run to the record operations read. Returns the diagnosis with its run."""
    cause = diagnosis.root_cause
    result = diagnosis.as_json()
    result["found"] = found
    result["parcel"] = diagnosis.parcel.as_json() if diagnosis.parcel else None
    if diagnosis.refusal is not None:
        result["refusal"] = {
            "check_code": diagnosis.refusal.check_code,
            "at": diagnosis.refusal.at.isoformat(),
        }
    run = _record(
        seller=diagnosis.seller,
        user=user,
        kind=diagnosis.kind,
        source=source,
        order_number=diagnosis.order_number,
        found=found,
        root_cause=cause.code if cause else "",
        result=result,
        at=diagnosis.at,
    )
    return Diagnosis(**{**_fields(diagnosis), "run": run})


def _record(**fields) -> DiagnosticRun:
    """Insert a run without waiting for the disk: a run is a log line, not money, and the
    seller should not wait for its flush. ``synchronous_commit`` is off for this one
    transaction, and only when it is its own (never inside a caller's transaction, whose
    durability it would change); at worst a crash loses the last runs, never corrupts."""
    if connection.in_atomic_block:
        return DiagnosticRun.objects.create(**fields)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return DiagnosticRun.objects.create(**fields)


def _fields(diagnosis: Diagnosis) -> dict:
    return {name: getattr(diagnosis, name) for name in Diagnosis.__dataclass_fields__}


def order_diagnose(
    *,
    seller,
    order_number: str,
    user=None,
    source: str = RunSource.SELLER,
    at: datetime.datetime | None = None,
    record: bool = True,
    livemode: bool = True,
) -> Diagnosis:
    """Diagnose one of the seller's orders by its number alone (a test-mode order with
    ``livemode=False``).

    A refused order is traced again now, with the parcel and the store it was refused
    with; an existing shipment, with its parcel. Another seller's order of the same
    number is not found (``OrderNotFound``; the run is recorded all the same). With
    ``record=False`` (a page merely opened: a GET) nothing is written.
    """
    order_number = (order_number or "").strip()[:64]
    at = at or timezone.now()
    found = (
        order_find(seller=seller, order_number=order_number, livemode=livemode)
        if order_number
        else None
    )
    if found is None or not found.found:
        if record:
            _record(
                seller=seller,
                user=user,
                kind=RunKind.ORDER,
                source=source,
                order_number=order_number or "?",
                result={"found": ""},
                at=at,
            )
        raise OrderNotFound()
    store: Store | None
    parcel: Parcel | None
    if found.shipment is not None:
        store, parcel = found.shipment.store, parcel_of_shipment(found.shipment)
    elif found.refusal is not None:
        store = found.refusal.store or store_for_orders(seller=seller)
        parcel = parcel_from_json(found.refusal.parcel)
    else:  # not reached: ``found.found`` holds one of the two
        raise OrderNotFound()
    diagnosis = Diagnosis(
        kind=RunKind.ORDER,
        seller=seller,
        store=store,
        order_number=order_number,
        parcel=parcel,
        result=_trace(seller=seller, store=store, parcel=parcel, at=at, order_number=order_number),
        at=at,
        refusal=found.refusal,
        shipment=found.shipment,
    )
    if not record:
        return diagnosis
    return diagnostic_run_record(diagnosis=diagnosis, user=user, source=source, found=found.found)


def account_diagnose(
    *,
    seller,
    parcel: Parcel | None = None,
    user=None,
    source: str = RunSource.SELLER,
    at: datetime.datetime | None = None,
    record: bool = True,
) -> Diagnosis:
    """Could the seller place an order now: for the account alone (checks that need a
    parcel are not applicable), or for a hypothetical parcel. ``record=False``: nothing
    is written."""
    at = at or timezone.now()
    store = store_for_orders(seller=seller)
    diagnosis = Diagnosis(
        kind=RunKind.PARCEL if parcel is not None else RunKind.ACCOUNT,
        seller=seller,
        store=store,
        order_number="",
        parcel=parcel,
        result=_trace(seller=seller, store=store, parcel=parcel, at=at, order_number=""),
        at=at,
    )
    if not record:
        return diagnosis
    return diagnostic_run_record(diagnosis=diagnosis, user=user, source=source)
