"""Creating shipments: every order passes the order gate (``core.gate``), is priced with the
seller's current fulfilment score, numbered and charged in one transaction. A refused order
creates nothing and is recorded, so that its number alone explains it later."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Seller
from billing.exceptions import InsufficientBalance
from billing.services import shipment_charges_record
from core.gate import OrderContext, Parcel, ParcelItem, gate
from core.normalise import normalise_code, normalise_free_text
from core.prepared import PreparedQuery
from core.timezones import shanghai_date
from customs.addresses import state_clean
from customs.selectors import currencies_known
from customs.validation import (
    InvalidCustomsInput,
    RawItem,
    ioss_clean,
    items_clean,
    uk_vat_clean,
)
from pricing.exceptions import (
    InvalidDimensions,
    InvalidPostcode,
    InvalidWeight,
    QuoteRefused,
    UnknownCountry,
)
from pricing.services import parcel_check
from stores.locks import store_lock
from stores.models import Store
from stores.services import store_trial_use

from ..exceptions import DuplicateOrder, InvalidOrder, OrderRefused
from ..gate_checks import is_trial
from ..models import Incoterm, RefusedOrder, Shipment, ShipmentItem
from ..s10 import tracking_numbers
from .events import shipment_created_emit, shipment_refused_emit

MAX_ORDER_NUMBER = 64


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    address: str
    city: str
    phone: str = ""
    address2: str = ""
    email: str = ""


ItemInput = RawItem | Mapping[str, object]


def parcel_build(
    *,
    origin: str,
    country: str,
    postcode: str,
    weight_g,
    dims_cm=None,
    green: bool = False,
    items: Sequence[ItemInput] | None = None,
    state: str = "",
    city: str = "",
    address: str = "",
    incoterm: str = Incoterm.DDU,
    ioss_number: str = "",
    uk_vat_number: str = "",
    on: datetime.date | None = None,
    currencies: frozenset[str] | None = None,
) -> Parcel:
    """A checked ``Parcel`` from raw input, or ``InvalidOrder`` saying what is wrong (its
    ``field`` names the field, ``items[n].…`` for an item's). ``items=None`` asks about a
    parcel without its contents (the diagnostics tool's hypothetical parcel); an order has
    1 to 200 item lines, declared in a currency with a rate in force on ``on`` (a file passes
    the day's ``currencies`` once for all its rows)."""
    try:
        country, postcode, weight_g, sides = parcel_check(
            country=normalise_code(country),
            postcode=normalise_free_text(postcode).upper(),
            weight_g=_whole_number(weight_g),
            dims_cm=dims_cm,
        )
    except QuoteRefused as error:
        raise InvalidOrder(error.message, field=_field_of(error)) from None
    if incoterm not in Incoterm.values:
        raise InvalidOrder(_("The incoterm is DDU or DDP."), field="incoterm")
    try:
        parcel_items = (
            items_clean(
                [item if isinstance(item, RawItem) else RawItem.of(item) for item in items],
                parcel_weight_g=weight_g,
                currencies=currencies
                if currencies is not None
                else currencies_known(on or shanghai_date(timezone.now())),
            )
            if items is not None
            else ()
        )
        ioss = ioss_clean(ioss_number)
        uk_vat = uk_vat_clean(uk_vat_number)
    except InvalidCustomsInput as error:
        prefix = _("Item %(n)s: ") % {"n": error.item} if error.item else ""
        raise InvalidOrder(f"{prefix}{error.message}", field=error.where) from None
    return Parcel(
        origin=origin,
        country=country,
        postcode=postcode,
        weight_g=weight_g,
        dims_cm=sides,
        green=green,
        items=parcel_items,
        state=state_clean(country, state),
        city=normalise_free_text(city),
        address=normalise_free_text(address),
        incoterm=incoterm,
        ioss_number=ioss,
        uk_vat_number=uk_vat,
    )


def _whole_number(value: object) -> object:
    """A weight typed as text (full-width digits, spaces) as the integer it reads as; any
    other value as it is, for pricing's check to refuse."""
    if isinstance(value, str):
        text = normalise_code(value)
        return int(text) if text.isdigit() else text
    return value


_FIELD_OF_REFUSAL = {
    InvalidWeight: "weight_g",
    InvalidDimensions: "length_cm",
    UnknownCountry: "country",
    InvalidPostcode: "postcode",
}


def _field_of(error: QuoteRefused) -> str:
    return next((name for kind, name in _FIELD_OF_REFUSAL.items() if isinstance(error, kind)), "")


def order_number_clean(order_number: str) -> str:
    order_number = (order_number or "").strip()
    if not order_number:
        raise InvalidOrder(_("The platform order number is missing."))
    if len(order_number) > MAX_ORDER_NUMBER:
        raise InvalidOrder(
            _("The order number is longer than %(max)s characters.") % {"max": MAX_ORDER_NUMBER}
        )
    return order_number


def order_seller(ctx: OrderContext) -> Seller:
    """The order's seller as the row a shipment or a refusal points at (the gate reads it
    through the ``GateSeller`` Protocol)."""
    seller = ctx.seller
    if seller is None:
        raise ValueError("an order is placed by a seller: the context has none")
    if not isinstance(seller, Seller):
        raise TypeError(f"an order's seller is an accounts.Seller, not {type(seller).__name__}")
    return seller


def order_store(ctx: OrderContext) -> Store | None:
    """The order's store as the row a shipment or a refusal points at (the gate reads it
    through the ``GateStore`` Protocol)."""
    store = ctx.store
    if store is None or isinstance(store, Store):
        return store
    raise TypeError(f"an order's store is a stores.Store, not {type(store).__name__}")


def refused_order_record(
    *,
    ctx: OrderContext,
    code: str,
    message: str,
    evidence: dict,
    user=None,
    source: str = "web",
    livemode: bool = True,
) -> RefusedOrder:
    refusal = RefusedOrder.objects.create(
        seller=order_seller(ctx),
        store=order_store(ctx),
        order_number=ctx.order_number,
        check_code=code,
        message=message,
        evidence=evidence,
        parcel=ctx.parcel.as_json() if ctx.parcel else {},
        source=source,
        livemode=livemode,
        user=user,
        at=ctx.at,
    )
    shipment_refused_emit([refusal])
    return refusal


def shipment_build(
    *,
    ctx: OrderContext,
    tracking_number: str,
    recipient: Recipient,
    user=None,
    livemode: bool = True,
) -> Shipment:
    """The unsaved shipment of an order that passed the gate, with its price fixed and its
    customs declaration (the value and contents summed up from the items, the form and the
    rates it was compared with). ``shipment_items_build`` makes its item rows."""
    price, charge = ctx.facts.quote, ctx.facts.charge
    parcel, store = ctx.parcel, order_store(ctx)
    customs = ctx.facts.customs
    if price is None or charge is None or parcel is None or store is None:
        raise ValueError("shipment_build needs an order that passed the gate")
    sides = parcel.dims_cm or (None, None, None)
    return Shipment(
        seller=order_seller(ctx),
        store=store,
        order_number=ctx.order_number,
        tracking_number=tracking_number,
        is_trial=is_trial(ctx),
        livemode=livemode,
        created_by=user,
        created_at=ctx.at,
        status_changed_at=ctx.at,
        origin=parcel.origin,
        recipient_name=recipient.name,
        recipient_phone=recipient.phone,
        recipient_email=recipient.email,
        address=recipient.address,
        address2=recipient.address2,
        city=recipient.city,
        state=parcel.state,
        postcode=parcel.postcode,
        country=parcel.country,
        weight_g=parcel.weight_g,
        length_cm=sides[0],
        width_cm=sides[1],
        height_cm=sides[2],
        contents=contents_of(parcel.items),
        declared_value=parcel.declared_value,
        declared_currency=parcel.currency or "USD",
        incoterm=parcel.incoterm,
        ioss_number=customs.ioss_number if customs and customs.ioss_applies else parcel.ioss_number,
        uk_vat_number=(
            customs.uk_vat_number if customs and customs.uk_vat_applies else parcel.uk_vat_number
        ),
        customs_form=customs.form if customs else "CN22",
        fx_rates=customs.fx_rates if customs else {},
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
        charge=charge,
        transit_days=price.transit_days,
        customs_clearance_hours=price.customs_clearance_hours,
    )


def contents_of(items: Sequence[ParcelItem]) -> str:
    """The items in one line, for lists and the label: ``2 × Cotton T-shirt; Phone case``."""
    parts = [
        f"{item.quantity} × {item.description}" if item.quantity > 1 else item.description
        for item in items
    ]
    text = "; ".join(parts)
    return text if len(text) <= 200 else text[:199] + "…"


def shipment_items_build(shipment: Shipment, items: Sequence[ParcelItem]) -> list[ShipmentItem]:
    return [
        ShipmentItem(
            shipment=shipment,
            position=n,
            description=item.description,
            description_zh=item.description_zh,
            quantity=item.quantity,
            unit_value=item.unit_value,
            currency=item.currency,
            unit_weight_g=item.unit_weight_g,
            hs_code=item.hs_code,
            origin_country=item.origin_country,
            sku=item.sku,
            gtin=item.gtin,
            mpn=item.mpn,
            contains_battery=item.contains_battery,
        )
        for n, item in enumerate(items, 1)
    ]


def shipment_create(
    *,
    seller,
    store: Store | None,
    order_number: str,
    parcel: Parcel,
    recipient: Recipient,
    user=None,
    at: datetime.datetime | None = None,
    source: str = "web",
    livemode: bool = True,
) -> Shipment:
    """Create one shipment, or refuse it.

    Raises ``InvalidOrder`` / ``DuplicateOrder`` for bad input (nothing recorded), or
    ``OrderRefused`` with the first failing gate check (recorded as a ``RefusedOrder``).
    The store's row is locked for the gate and the creation, so that two orders at once
    cannot both take the last trial shipment or the last of a balance. Two stores of one
    seller share its balance: when another store's order took it between this gate's read
    and this charge, the charge's own lock finds it short, and the order is gated again on
    the balance as it is now and refused like any other (recorded, never half-made).

    ``livemode=False`` (an API test key): the same gate and price, a test tracking number,
    but nothing charged, no trial shipment used, and the order number apart from live ones.
    """
    order_number = order_number_clean(order_number)
    if not parcel.items:
        raise InvalidOrder(
            _("Add at least one item: what the parcel contains, for customs."), field="items"
        )
    if store is not None and store.seller_id != seller.pk:
        raise InvalidOrder(_("This store is not yours."))
    at = at or timezone.now()
    try:
        with transaction.atomic():
            ctx = _gate_locked(
                seller=seller,
                store=store,
                parcel=parcel,
                at=at,
                order_number=order_number,
                livemode=livemode,
            )
            cause = gate.run(ctx).root_cause
            if cause is None:
                shipment = shipment_build(
                    ctx=ctx,
                    tracking_number=tracking_numbers(1, livemode=livemode)[0],
                    recipient=recipient,
                    user=user,
                    livemode=livemode,
                )
                shipment.save(force_insert=True)
                ShipmentItem.objects.bulk_create(shipment_items_build(shipment, parcel.items))
                trial_store = order_store(ctx)
                if livemode:  # a test order uses no trial shipment and is never charged
                    if shipment.is_trial and trial_store is not None:  # a trial has its store
                        store_trial_use(store=trial_store, count=1)
                    shipment_charges_record(seller=seller, shipments=[shipment])
                shipment_created_emit([shipment])
                return shipment
    except IntegrityError as error:
        # Another request of the seller's (through another store) inserted the same order
        # number since the check under the store's lock: rolled back whole, a duplicate.
        if _constraint(error) != DUPLICATE_CONSTRAINT:
            raise
        raise DuplicateOrder(
            _("A shipment for order %(order)s already exists.") % {"order": order_number}
        ) from None
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
        livemode=livemode,
    )
    raise OrderRefused(
        code=cause.code,
        message=cause.message,
        evidence=cause.result.evidence,
        fix=cause.fix,
        fix_url=cause.fix_url,
        order_number=order_number,
    )


# Asked for every order: compiled once per mode (``core.prepared``).
_SHIPPED: PreparedQuery[Shipment] = PreparedQuery(
    lambda seller_id, livemode, order_number: Shipment.objects.filter(
        seller_id=seller_id, livemode=livemode, order_number=order_number
    ),
    seller_id=int,
    livemode=bool,
    order_number=str,
)


def _gate_locked(*, seller, store, parcel, at, order_number, livemode=True) -> OrderContext:
    """Lock the store, refuse an order number the seller has shipped, load the gate."""
    if store is not None:
        store = store_lock(store_id=store.pk)
    if _SHIPPED.exists(seller_id=seller.pk, livemode=livemode, order_number=order_number):
        raise DuplicateOrder(
            _("A shipment for order %(order)s already exists.") % {"order": order_number}
        )
    return gate.context(seller=seller, store=store, parcel=parcel, at=at, order_number=order_number)


DUPLICATE_CONSTRAINT = "shipment_one_per_seller_mode_order"


def _constraint(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL says ``error`` broke."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)
