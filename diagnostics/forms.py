from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pricing.models import Region
from shipments.exceptions import InvalidOrder
from shipments.services import parcel_build


class OrderForm(forms.Form):
    order = forms.CharField(label=_("Platform order number"), max_length=64)


class ParcelForm(forms.Form):
    """A hypothetical parcel: would an order like this pass now?"""

    origin = forms.ChoiceField(
        label=pgettext_lazy("parcel origin", "From"), choices=Region.choices, initial=Region.EAST
    )
    country = forms.CharField(label=_("Destination country (ISO code, e.g. US)"), max_length=2)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    weight_g = forms.IntegerField(label=_("Weight (g)"), min_value=1, max_value=1_000_000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            data["parcel"] = parcel_build(
                origin=data["origin"],
                country=data["country"],
                postcode=data.get("postcode") or "",
                weight_g=data["weight_g"],
            )
        except InvalidOrder as error:
            raise forms.ValidationError(error.message) from None
        return data


class SellerPickForm(forms.Form):
    """Operations: whose account, and optionally which order or parcel."""

    seller = forms.IntegerField(label=_("Seller ID"), min_value=1, required=False)
    order = forms.CharField(label=_("Platform order number"), max_length=64, required=False)
