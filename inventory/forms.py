"""The seller's forms: they check the shape of the input; the services decide the rest
(an unknown SKU, a lock too big, a country no warehouse serves) and the views put their
refusals on the right field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Seller
from core.forms import BoundedDateField, field_of
from pricing.countries import COUNTRY_NAMES, country_name

from .models import Policy, Sku, Warehouse
from .selectors import DEFAULT_TARGET_DAYS
from .services import DEFAULT_MAX_SPLITS, MAX_SPLITS

LINES_HELP = _("One line per SKU: SKU:quantity, e.g. TS-001:2 (commas work too).")


def _countries() -> list[tuple[str, str]]:
    named = ((code, f"{country_name(code)} ({code})") for code in COUNTRY_NAMES)
    return [("", "---------"), *sorted(named, key=lambda pair: pair[1])]


class SkuForm(forms.Form):
    code = forms.CharField(label=_("SKU"), max_length=64)
    name_en = forms.CharField(
        label=_("Description (English)"),
        max_length=200,
        help_text=_("What it is, as customs read it, e.g. “women's cotton T-shirt”."),
    )
    name_zh = forms.CharField(label=_("Description (Chinese)"), max_length=200, required=False)
    hs_code = forms.CharField(label=_("HS code"), max_length=20, required=False)
    unit_weight_g = forms.CharField(label=_("Unit weight (g)"), max_length=12)
    unit_value = forms.CharField(label=_("Unit value"), max_length=20)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    origin_country = forms.CharField(label=_("Country of origin"), max_length=2, initial="CN")
    gtin = forms.CharField(label=_("GTIN/EAN"), max_length=20, required=False)
    mpn = forms.CharField(label=_("Manufacturer part number"), max_length=64, required=False)
    contains_battery = forms.BooleanField(label=_("Contains lithium batteries"), required=False)
    length_cm = forms.DecimalField(
        label=_("Length (cm)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=200,
        decimal_places=1,
    )
    width_cm = forms.DecimalField(
        label=_("Width (cm)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=200,
        decimal_places=1,
    )
    height_cm = forms.DecimalField(
        label=_("Height (cm)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=200,
        decimal_places=1,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sides = [cleaned.get(name) for name in ("length_cm", "width_cm", "height_cm")]
        if any(side is not None for side in sides) and not all(side is not None for side in sides):
            raise forms.ValidationError(_("Give all three dimensions, or none."))
        cleaned["dims_cm"] = tuple(sides) if all(side is not None for side in sides) else None
        return cleaned


class WarehouseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class InboundForm(forms.Form):
    warehouse = WarehouseChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.filter(is_active=True).order_by("code")
    )
    reference = forms.CharField(
        label=_("Your reference"),
        max_length=64,
        required=False,
        help_text=_("The freight's tracking or container number, for the warehouse."),
    )
    expected_on = BoundedDateField(
        label=_("Expected on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lines = forms.CharField(
        label=_("Goods"), widget=forms.Textarea(attrs={"rows": 4}), help_text=LINES_HELP
    )


class LockForm(forms.Form):
    campaign = forms.CharField(
        label=_("Campaign code"), max_length=40, help_text=_("e.g. BF2026: orders name it.")
    )
    campaign_name = forms.CharField(label=_("Campaign name"), max_length=100, required=False)
    warehouse = WarehouseChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.filter(is_active=True).order_by("code")
    )
    sku = forms.ModelChoiceField(label=_("SKU"), queryset=Sku.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    expires_on = BoundedDateField(
        label=_("Locked until (end of that day, Asia/Shanghai)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, seller: Seller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self.fields, "sku", forms.ModelChoiceField).queryset = Sku.objects.filter(
            seller=seller
        ).order_by("code")

    def expires_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["expires_on"]
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        return timezone.make_aware(end, timezone.get_default_timezone())


class RouteForm(forms.Form):
    order_number = forms.CharField(label=_("Platform order number"), max_length=64)
    lines = forms.CharField(
        label=_("Lines"), widget=forms.Textarea(attrs={"rows": 3}), help_text=LINES_HELP
    )
    policy = forms.ChoiceField(
        label=_("When not everything is in stock"),
        choices=Policy.choices,
        initial=Policy.FILL_OR_KILL,
    )
    max_splits = forms.IntegerField(
        label=_("At most parcels"), min_value=1, max_value=MAX_SPLITS, initial=DEFAULT_MAX_SPLITS
    )
    campaign = forms.CharField(
        label=_("Presale campaign"),
        max_length=40,
        required=False,
        help_text=_("Its locked stock goes first."),
    )
    name = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    phone = forms.CharField(label=_("Recipient phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State or province"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_countries)
    ioss_number = forms.CharField(label=_("Marketplace IOSS number"), max_length=20, required=False)
    uk_vat_number = forms.CharField(
        label=_("Marketplace UK VAT number"), max_length=20, required=False
    )


class ForecastForm(forms.Form):
    target_days = forms.IntegerField(
        label=_("Target cover (days)"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_TARGET_DAYS,
        required=False,
    )
