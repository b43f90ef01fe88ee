"""The seller's shipment forms: one order, and the list's filters (a GET form)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField, field_of
from pricing.exceptions import (
    InvalidDimensions,
    InvalidPostcode,
    InvalidWeight,
    QuoteRefused,
    UnknownCountry,
)
from pricing.forms import country_choices
from pricing.models import Region
from pricing.services import parcel_check
from stores.models import Store
from stores.selectors import store_for_orders, stores_for_seller

from .models import ShipmentStatus
from .selectors import ShipmentFilters
from .services import Recipient, parcel_build
from .services.creation import MAX_ORDER_NUMBER

# Which field a parcel's refusal belongs to (the rules are billing's; the form places them).
_FIELD_OF_REFUSAL = {
    InvalidWeight: "weight_g",
    InvalidDimensions: "length_cm",
    UnknownCountry: "country",
    InvalidPostcode: "postcode",
}
_SIDES = ("length_cm", "width_cm", "height_cm")


class StoreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Store) -> str:
        return f"{obj.get_platform_display()} {obj.platform_store_id} · {obj.get_status_display()}"


def _side(label):
    # No bounds here: billing's parcel check says what a sensible side is, in one place.
    return forms.DecimalField(label=label, required=False, max_digits=7, decimal_places=1)


class ShipmentCreateForm(forms.Form):
    # Not required: a seller whose application is not approved yet has no store, and the
    # order gate then says why it cannot ship (and records it).
    store = StoreChoiceField(label=_("Store"), queryset=Store.objects.none(), required=False)
    origin = forms.ChoiceField(label=_("Origin region"), choices=Region.choices)
    order_number = forms.CharField(
        label=_("Platform order number"),
        max_length=MAX_ORDER_NUMBER,
        help_text=_("One shipment per platform order: the same number twice is refused."),
    )
    recipient_name = forms.CharField(label=_("Recipient"), max_length=100)
    recipient_phone = forms.CharField(label=_("Recipient phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=100)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        required=False,
        help_text=_("Required for the United States: the 5-digit ZIP code decides the zone."),
    )
    country = forms.ChoiceField(label=_("Destination country"))
    weight_g = forms.IntegerField(label=_("Weight (g)"))
    length_cm = _side(_("Length (cm)"))
    width_cm = _side(_("Width (cm)"))
    height_cm = _side(_("Height (cm)"))
    contents = forms.CharField(label=_("Contents"), max_length=200)
    declared_value = forms.DecimalField(
        label=_("Declared value (USD)"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
    )

    def __init__(self, *args, seller, served_countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        stores = stores_for_seller(seller=seller)
        field_of(self.fields, "store", StoreChoiceField).queryset = stores
        if not self.is_bound:
            default = store_for_orders(seller=seller)
            self.fields["store"].initial = default.pk if default is not None else None
        field_of(self.fields, "country", forms.ChoiceField).choices = country_choices(
            served_countries
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        sides = [cleaned.get(name) for name in _SIDES]
        given = [side is not None for side in sides]
        if any(given) and not all(given):
            self.add_error(
                "length_cm", _("Give all three dimensions (length, width, height), or none.")
            )
            return cleaned
        needed = ("origin", "country", "weight_g")
        if any(name in self.errors or cleaned.get(name) is None for name in needed):
            return cleaned
        dims = tuple(sides) if all(given) else None
        values = {
            "country": cleaned["country"],
            "postcode": cleaned.get("postcode", ""),
            "weight_g": cleaned["weight_g"],
            "dims_cm": dims,
        }
        try:
            parcel_check(**values)
        except QuoteRefused as refusal:
            self.add_error(_FIELD_OF_REFUSAL.get(type(refusal)), str(refusal.message))
            return cleaned
        cleaned["parcel"] = parcel_build(origin=cleaned["origin"], **values)
        return cleaned

    def recipient(self) -> Recipient:
        data = self.cleaned_data
        return Recipient(
            name=data["recipient_name"],
            address=data["address"],
            city=data["city"],
            phone=data["recipient_phone"],
        )


class ShipmentFilterForm(forms.Form):
    """The list's filters, from the query string. An invalid value filters nothing."""

    q = forms.CharField(
        label=_("Order or tracking number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("exact or its beginning")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ShipmentStatus.choices],
    )
    created_from = BoundedDateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = BoundedDateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.ChoiceField(label=_("Destination country"), required=False)

    def __init__(self, *args, served_countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = country_choices(served_countries)
        field_of(self.fields, "country", forms.ChoiceField).choices = [
            ("", _("All countries")),
            *choices[1:],
        ]

    def filters(self) -> ShipmentFilters:
        if not self.is_bound:
            return ShipmentFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return ShipmentFilters(
            status=data.get("status") or "",
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            country=data.get("country") or "",
            search=data.get("q") or "",
        )
