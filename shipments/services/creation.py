"""Creating shipments: every order passes the order gate (``core.gate``), is priced with the
seller's current fulfilment score, numbered and charged in one transaction. A refused order
creates nothing and is recorded, so that its number alone explains it later."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.exceptions import InsufficientBalance
from billing.services import shipment_charges_record
from core.gate import OrderContext, Parcel, gate
from pricing.exceptions import QuoteRefused
from pricing.services import parcel_check
from stores.locks import store_lock
from stores.models import Store
from stores.services import store_trial_use

from ..exceptions import DuplicateOrder, InvalidOrder, OrderRefused
from ..gate_checks import is_trial
from ..models import RefusedOrder, Shipment
from ..s10 import tracking_numbers

MAX_ORDER_NUMBER = 64
MAX_DECLARED_VALUE = Decimal("1000000")


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    address: str
    city: str
    phone: str = ""


def parcel_build(
    *, origin: str, country: str, postcode: str, weight_g, dims_cm=None, green: bool = False
) -> Parcel:
    """A checked ``Parcel`` from raw input, or ``InvalidOrder`` saying what is wrong."""
    try:
        country, postcode, weight_g, sides = parcel_check(
            country=country, postcode=postcode, weight_g=weight_g, dims_cm=dims_cm
        )
    except QuoteRefused as error:
        raise InvalidOrder(error.message) from None
    return Parcel(
        origin=origin,
        country=country,
        postcode=postcode,
        weight_g=weight_g,
        dims_cm=sides,
        green=green,
    )


def order_number_clean(order_number: str) -> str:
    order_number = (order_number or "").strip()
    if not order_number:
        raise InvalidOrder(_("The platform order number is missing."))
    if len(order_number) > MAX_ORDER_NUMBER:
        raise InvalidOrder(
            _("The order number is longer than %(max)s characters.") % {"max": MAX_ORDER_NUMBER}
        )
    return order_number


def declared_value_clean(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidOrder(_("The declared value must be a number, e.g. 12.50.")) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_DECLARED_VALUE:
        raise InvalidOrder(_("The declared value must be between 0 and 999,999.99."))
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidOrder(_("The declared value has at most two decimals."))
    return amount.quantize(Decimal("0.01"))


def refused_order_record(
    *, ctx: OrderContext, code: str, message: str, evidence: dict, user=None, source: str = "web"
) -> RefusedOrder:
    return RefusedOrder.objects.create(
        seller=ctx.seller,
        store=ctx.store,
        order_number=ctx.order_number,
        check_code=code,
        message=message,
        evidence=evidence,
        parcel=ctx.parcel.as_json() if ctx.parcel else {},
        source=source,
        user=user,
        at=ctx.at,
    )


def shipment_build(
    *,
    ctx: OrderContext,
    tracking_number: str,
    recipient: Recipient,
    contents: str,
    declared_value: Decimal,
    user=None,
) -> Shipment:
    """The unsaved shipment of an order that passed the gate, with its price fixed."""
    price = ctx.facts.quote
    parcel = ctx.parcel
    if price is None or parcel is None or ctx.store is None:
        raise ValueError("shipment_build needs an order that passed the gate")
    sides = parcel.dims_cm or (None, None, None)
    return Shipment(
        seller=ctx.seller,
        store=ctx.store,
        order_number=ctx.order_number,
        tracking_number=tracking_number,
        is_trial=is_trial(ctx),
        created_by=user,
        created_at=ctx.at,
        status_changed_at=ctx.at,
        origin=parcel.origin,
        recipient_name=recipient.name,
        recipient_phone=recipient.phone,
        address=recipient.address,
        city=recipient.city,
        postcode=parcel.postcode,
        country=parcel.country,
        weight_g=parcel.weight_g,
        length_cm=sides[0],
        width_cm=sides[1],
        height_cm=sides[2],
        contents=contents,
        declared_value=declared_value,
        rate_card_id=price.card_id,
        lane=price.lane,
        zone=price.zone,
        volumetric_weight_g=price.volumetric_weight_g,
        chargeable_weight_g=price.chargeable_weight_g,
        score=price.score,
        peak_rate=price.peak_rate,
        green_rate=price.green_rate,
        base=price.base,
        fulfillment_adjustment=price.fulfillment_adjustment,
        peak_adjustment=price.peak_adjustment,
        green_discount=price.green_discount,
        quoted_total=price.total,
        charge=ctx.facts.charge,
        transit_days=price.transit_days,
        customs_clearance_hours=price.customs_clearance_hours,
    )


def shipment_create(
    *,
    seller,
    store: Store | None,
    order_number: str,
    parcel: Parcel,
    recipient: Recipient,
    contents: str,
    declared_value,
    user=None,
    at: datetime.datetime | None = None,
    source: str = "web",
) -> Shipment:
    """Create one shipment, or refuse it.

    Raises ``InvalidOrder`` / ``DuplicateOrder`` for bad input (nothing recorded), or
    ``OrderRefused`` with the first failing gate check (recorded as a ``RefusedOrder``).
    The store's row is locked for the gate and the creation, so that two orders at once
    cannot both take the last trial shipment or the last of a balance. Two stores of one
    seller share its balance: when another store's order took it between this gate's read
    and this charge, the charge's own lock finds it short, and the order is gated again on
    the balance as it is now and refused like any other (recorded, never half-made).
    """
    order_number = order_number_clean(order_number)
    declared_value = declared_value_clean(declared_value)
    if store is not None and store.seller_id != seller.pk:
        raise InvalidOrder(_("This store is not yours."))
    at = at or timezone.now()
    try:
        with transaction.atomic():
            ctx = _gate_locked(
                seller=seller, store=store, parcel=parcel, at=at, order_number=order_number
            )
            cause = gate.run(ctx).root_cause
            if cause is None:
                shipment = shipment_build(
                    ctx=ctx,
                    tracking_number=tracking_numbers(1)[0],
                    recipient=recipient,
                    contents=contents,
                    declared_value=declared_value,
                    user=user,
                )
                _shipment_insert(shipment)
                if shipment.is_trial:
                    store_trial_use(store=ctx.store, count=1)
                shipment_charges_record(seller=seller, shipments=[shipment])
                return shipment
    except InsufficientBalance:
        # Rolled back whole. Gated again on the balance the other order left.
        ctx = gate.context(
            seller=seller, store=store, parcel=parcel, at=at, order_number=order_number
        )
        cause = gate.run(ctx).root_cause
        if cause is None:  # a refund put it back meanwhile: the seller places it again
            raise
    refused_order_record(
        ctx=ctx,
        code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        user=user,
        source=source,
    )
    raise OrderRefused(
        code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        fix=cause.fix,
        fix_url=cause.fix_url,
    )


def _gate_locked(*, seller, store, parcel, at, order_number) -> OrderContext:
    """Lock the store, refuse an order number the seller has shipped, load the gate."""
    if store is not None:
        store = store_lock(store_id=store.pk)
    if Shipment.objects.filter(seller=seller, order_number=order_number).exists():
        raise DuplicateOrder(
            _("A shipment for order %(order)s already exists.") % {"order": order_number}
        )
    return gate.context(seller=seller, store=store, parcel=parcel, at=at, order_number=order_number)


def _shipment_insert(shipment: Shipment) -> None:
    """Insert; the same order number inserted by another request meanwhile is a duplicate."""
    try:
        with transaction.atomic():
            shipment.save(force_insert=True)
    except IntegrityError:
        raise DuplicateOrder(
            _("A shipment for order %(order)s already exists.") % {"order": shipment.order_number}
        ) from None
