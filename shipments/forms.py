"""The seller's shipment forms: one order with its item lines, and the list's filters (a GET
form). What a value must be is decided once, by ``parcel_build`` (pricing's parcel check and
customs' item check); the forms place its errors on their fields."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField, field_of, no_silent_truncation
from core.gate import Parcel
from core.normalise import normalise_free_text
from customs.validation import RawItem
from pricing.forms import country_choices
from pricing.models import Region
from stores.models import Store
from stores.selectors import store_for_orders, stores_for_seller

from .exceptions import InvalidOrder
from .models import MAX_ITEMS, Incoterm, ShipmentStatus
from .selectors import ShipmentFilters
from .services import Recipient, parcel_build
from .services.creation import MAX_ORDER_NUMBER

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
    recipient_email = forms.EmailField(label=_("Recipient e-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    address2 = forms.CharField(label=_("Address line 2"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.CharField(
        label=_("State or province"),
        max_length=60,
        required=False,
        help_text=_("Required where the destination needs it, e.g. CA or California in the US."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        required=False,
        help_text=_("Required for the United States: the 5-digit ZIP code decides the zone."),
    )
    country = forms.ChoiceField(label=_("Destination country"))
    weight_g = forms.CharField(label=_("Weight (g)"), max_length=12)
    length_cm = _side(_("Length (cm)"))
    width_cm = _side(_("Width (cm)"))
    height_cm = _side(_("Height (cm)"))
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), choices=Incoterm.choices, initial=Incoterm.DDU
    )
    ioss_number = forms.CharField(
        label=_("Marketplace IOSS number"),
        max_length=20,
        required=False,
        help_text=_("For EU parcels up to €150, when the marketplace collects the VAT."),
    )
    uk_vat_number = forms.CharField(
        label=_("Marketplace UK VAT number"),
        max_length=20,
        required=False,
        help_text=_("For UK parcels up to £135, when the marketplace collects the VAT."),
    )

    def __init__(self, *args, seller, served_countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        no_silent_truncation(self)  # too long is said, never cut
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

    def parcel(self, items: list[RawItem]) -> Parcel | None:
        """The checked parcel of a valid form and its item rows, or None with the errors
        added to the field at fault (an item's go to ``item_errors``)."""
        data = self.cleaned_data
        sides = [data.get(name) for name in _SIDES]
        self.item_errors: dict[int, dict[str, str]] = {}
        try:
            return parcel_build(
                origin=data["origin"],
                country=data["country"],
                postcode=data.get("postcode", ""),
                weight_g=data["weight_g"],
                dims_cm=tuple(sides) if all(side is not None for side in sides) else None,
                items=items,
                state=data.get("state", ""),
                city=data["city"],
                address=data["address"],
                incoterm=data["incoterm"],
                ioss_number=data.get("ioss_number", ""),
                uk_vat_number=data.get("uk_vat_number", ""),
            )
        except InvalidOrder as error:
            found = re.match(r"^items\[(\d+)\]\.(\w+)$", error.field)
            if found:
                self.item_errors[int(found.group(1))] = {found.group(2): str(error.message)}
                self.add_error(None, str(error.message))
            elif error.field in self.fields:
                self.add_error(error.field, str(error.message))
            else:
                self.add_error(None, str(error.message))
            return None

    def recipient(self) -> Recipient:
        data = self.cleaned_data
        return Recipient(
            name=normalise_free_text(data["recipient_name"]),
            address=normalise_free_text(data["address"]),
            address2=normalise_free_text(data.get("address2", "")),
            city=normalise_free_text(data["city"]),
            phone=data["recipient_phone"],
            email=data.get("recipient_email", ""),
        )


class ItemForm(forms.Form):
    """One item line of a shipment, for customs."""

    description = forms.CharField(label=_("Description (English)"), max_length=200)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), max_length=200, required=False
    )
    quantity = forms.CharField(label=_("Quantity"), max_length=10, initial="1")
    unit_value = forms.CharField(label=_("Unit value"), max_length=14)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    unit_weight_g = forms.CharField(label=_("Unit weight (g)"), max_length=10)
    hs_code = forms.CharField(label=_("HS code"), max_length=20, required=False)
    origin_country = forms.CharField(label=_("Country of origin"), max_length=2, initial="CN")
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    gtin = forms.CharField(label=_("GTIN/EAN"), max_length=20, required=False)
    mpn = forms.CharField(label=_("Manufacturer part number"), max_length=64, required=False)
    contains_battery = forms.BooleanField(label=_("Contains lithium batteries"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        no_silent_truncation(self)

    def raw(self) -> RawItem:
        return RawItem.of(self.cleaned_data)


ItemFormSet = forms.formset_factory(
    ItemForm,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_ITEMS,
    validate_max=True,
    absolute_max=MAX_ITEMS,
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
