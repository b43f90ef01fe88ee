"""Shipments' checks in the order gate (``core.gate``): the trial's quota and weight, and
whether a line carries the parcel. The parcel's quote is worked out once here, by a parcel
loader, and kept in the context: the charge that billing's balance check compares with the
balance is the one the shipment will store."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.gate import CheckResult, CreatedShipment, OrderContext, QuoteRefusal, gate
from pricing.exceptions import LaneNotServed, NoRateCardInForce, OverMaxWeight
from pricing.services import quote
from stores.models import TRIAL_MAX_WEIGHT_G, StoreStatus

DEFAULT_SCORE = Decimal(100)


def is_trial(ctx: OrderContext) -> bool:
    return ctx.store is not None and ctx.store.status == StoreStatus.TRIAL


def score_of(ctx: OrderContext) -> Decimal:
    """The seller's current fulfilment score (履约分), from the latest store metrics."""
    metrics = ctx.facts.metrics
    return metrics.fulfilment_score if metrics is not None else DEFAULT_SCORE


@gate.loader(scope="account", provides=("trial_used",))
def load_trial_used(ctx: OrderContext) -> None:
    # The store's own counter (a trial shipment cancelled before pickup gave its slot back).
    ctx.facts.trial_used = ctx.store.trial_used if is_trial(ctx) and ctx.store else 0


@gate.loader(scope="parcel", provides=("quote", "quote_refusal", "charge"), needs=("metrics",))
def load_quote(ctx: OrderContext) -> None:
    """The parcel's price, or why no line takes it. Bad input (a weight of 0, an unknown
    country, a US address without ZIP) is not a gate matter: it raises, for the form."""
    parcel = ctx.parcel
    ctx.facts.quote = ctx.facts.quote_refusal = ctx.facts.charge = None
    if parcel is None:
        return
    try:
        price = quote(
            origin=parcel.origin,
            country=parcel.country,
            postcode=parcel.postcode,
            weight_g=parcel.weight_g,
            dims_cm=parcel.dims_cm,
            score=score_of(ctx),
            on_date=ctx.at,
            green=parcel.green,
        )
    except (LaneNotServed, NoRateCardInForce) as refusal:
        ctx.facts.quote_refusal = QuoteRefusal("lane", str(refusal.message))
        return
    except OverMaxWeight as refusal:
        ctx.facts.quote_refusal = QuoteRefusal("weight", str(refusal.message))
        return
    ctx.facts.quote = price
    ctx.facts.charge = Decimal("0.00") if is_trial(ctx) else price.total


@gate.on_created
def count_trial(ctx: OrderContext, shipment: CreatedShipment) -> None:
    if shipment.is_trial:
        ctx.facts.trial_used += 1


@gate.check(
    "trial_quota_used",
    title=_("Free trial shipments are left"),
    fix=_(
        "Wait for the trial shipments to be delivered: the trial is then evaluated and "
        "the service becomes active."
    ),
    needs=("trial_used",),
    fix_url_name="shipments:index",
)
def trial_quota_used(ctx: OrderContext) -> CheckResult:
    if not is_trial(ctx) or ctx.store is None:
        return CheckResult.skipped(reason="not_in_trial")
    used, quota = ctx.facts.trial_used, ctx.store.trial_quota
    evidence = {"used": used, "quota": quota}
    if used >= quota:
        return CheckResult.failed(
            _("All %(quota)s trial shipments are used.") % {"quota": quota}, **evidence
        )
    return CheckResult.passed(**evidence)


@gate.check(
    "lane_not_served",
    title=_("A line serves the destination"),
    fix=_(
        "We carry to the US, the EU, the UK and South-East Asia only (no line to Russia or "
        "Brazil): ship this order with another logistics provider."
    ),
    needs=("quote_refusal",),
    fix_url_name="pricing:quote",
    needs_parcel=True,
)
def lane_not_served(ctx: OrderContext) -> CheckResult:
    if ctx.parcel is None:
        return CheckResult.skipped(reason="no_parcel")
    refusal = ctx.facts.quote_refusal
    evidence = {"country": ctx.parcel.country, "postcode": ctx.parcel.postcode}
    if refusal is not None and refusal.reason == "lane":
        return CheckResult.failed(refusal.message, **evidence)
    return CheckResult.passed(**evidence)


@gate.check(
    "overweight",
    title=_("The parcel is within the line's maximum weight"),
    fix=_("Split the order into lighter parcels, or reduce the packaging's volume."),
    needs=("quote", "quote_refusal"),
    fix_url_name="pricing:quote",
    needs_parcel=True,
)
def overweight(ctx: OrderContext) -> CheckResult:
    if ctx.parcel is None:
        return CheckResult.skipped(reason="no_parcel")
    refusal = ctx.facts.quote_refusal
    if refusal is not None and refusal.reason == "lane":
        return CheckResult.skipped(reason="no_lane")
    evidence = {"weight_g": ctx.parcel.weight_g}
    if refusal is not None:
        return CheckResult.failed(refusal.message, **evidence)
    price = ctx.facts.quote
    chargeable = price.chargeable_weight_g if price is not None else None
    return CheckResult.passed(**evidence, chargeable_weight_g=chargeable)


@gate.check(
    "trial_overweight",
    title=_("A trial parcel weighs 5 kg or less"),
    fix=_("Send a parcel of at most 5 kg as a trial shipment, or wait for activation."),
    fix_url_name="shipments:index",
    needs_parcel=True,
)
def trial_overweight(ctx: OrderContext) -> CheckResult:
    if ctx.parcel is None or not is_trial(ctx):
        return CheckResult.skipped(reason="not_in_trial")
    evidence = {"weight_g": ctx.parcel.weight_g, "limit_g": TRIAL_MAX_WEIGHT_G}
    if ctx.parcel.weight_g > TRIAL_MAX_WEIGHT_G:
        return CheckResult.failed(
            _("The parcel weighs %(weight)s g; a trial parcel may weigh at most %(limit)s g.")
            % {"weight": ctx.parcel.weight_g, "limit": TRIAL_MAX_WEIGHT_G},
            **evidence,
        )
    return CheckResult.passed(**evidence)
