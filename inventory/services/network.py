"""Warehouses (operations) and SKUs (sellers). A SKU is checked exactly as an item line of
a parcel is (``customs.validation.item_clean``): what routing puts on a shipment's customs
declaration is what the seller entered here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Seller
from core.gate import ParcelItem
from core.normalise import normalise_free_text
from customs.selectors import currencies_known
from customs.validation import InvalidCustomsInput, RawItem, item_clean
from pricing.models import Origin, OriginKind

from ..exceptions import InvalidInventoryInput
from ..models import Sku, Warehouse

MAX_SIDE_CM = Decimal(200)


@dataclass(frozen=True, slots=True)
class SkuInput:
    """A SKU as typed: strings, checked by ``sku_save``."""

    code: object
    name_en: object
    unit_weight_g: object
    unit_value: object
    currency: object = "USD"
    name_zh: object = ""
    hs_code: object = ""
    origin_country: object = "CN"
    gtin: object = ""
    mpn: object = ""
    contains_battery: object = False
    dims_cm: tuple[Decimal, Decimal, Decimal] | None = None


def _checked(data: SkuInput, *, on: datetime.date) -> tuple[str, ParcelItem]:
    code = normalise_free_text(data.code)
    if not code:
        raise InvalidInventoryInput(_("The SKU code is missing."), field="code")
    if len(code) > 64 or any(c in code for c in ",:\n"):
        raise InvalidInventoryInput(
            _("A SKU code has at most 64 characters and no comma or colon."), field="code"
        )
    raw = RawItem(
        description=data.name_en,
        quantity="1",
        unit_value=data.unit_value,
        currency=data.currency,
        unit_weight_g=data.unit_weight_g,
        hs_code=data.hs_code,
        origin_country=data.origin_country,
        description_zh=data.name_zh,
        sku=code,
        gtin=data.gtin,
        mpn=data.mpn,
        contains_battery=data.contains_battery,
    )
    try:
        item = item_clean(raw, item=1, currencies=currencies_known(on))
    except InvalidCustomsInput as error:
        field = {"description": "name_en", "description_zh": "name_zh"}.get(
            error.field, error.field
        )
        raise InvalidInventoryInput(error.message, field=field) from None
    if data.dims_cm is not None and not all(0 < side <= MAX_SIDE_CM for side in data.dims_cm):
        raise InvalidInventoryInput(
            _("Each side is greater than 0 cm and at most 200 cm."), field="length_cm"
        )
    return code, item


def sku_save(*, seller: Seller, data: SkuInput, sku: Sku | None = None, on: datetime.date) -> Sku:
    """Create a SKU (``sku`` None) or change one of the seller's; its code is unique per
    seller (a second SKU with the same code is refused on its field)."""
    code, item = _checked(data, on=on)
    if sku is not None and sku.seller_id != seller.pk:
        raise InvalidInventoryInput(_("This SKU is not yours."))
    target = sku or Sku(seller=seller)
    target.code = code
    target.name_en = item.description
    target.name_zh = item.description_zh
    target.hs_code = item.hs_code
    target.unit_weight_g = item.unit_weight_g
    target.unit_value = item.unit_value
    target.currency = item.currency
    target.origin_country = item.origin_country
    target.gtin = item.gtin
    target.mpn = item.mpn
    target.contains_battery = item.contains_battery
    sides = data.dims_cm or (None, None, None)
    target.length_cm, target.width_cm, target.height_cm = sides
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise InvalidInventoryInput(
            _("You already have a SKU %(code)s.") % {"code": code}, field="code"
        ) from None
    return target


def warehouse_create(
    *,
    code: str,
    name: str,
    country: str,
    serves: list[str],
    origin: Origin,
    cutoff: datetime.time = datetime.time(15, 0),
    time_zone: str = "UTC",
) -> Warehouse:
    """A warehouse of the network, on its own origin (an overseas one, not yet another
    warehouse's)."""
    if origin.kind != OriginKind.WAREHOUSE:
        raise InvalidInventoryInput(
            _("A warehouse starts from an overseas-warehouse origin."), field="origin"
        )
    warehouse = Warehouse(
        code=code,
        name=name,
        country=country,
        serves=sorted(set(serves)),
        origin=origin,
        cutoff=cutoff,
        time_zone=time_zone,
    )
    warehouse.full_clean()
    warehouse.save()
    return warehouse
