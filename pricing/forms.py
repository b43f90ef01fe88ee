"""The quote calculator's form: a GET form, it writes nothing."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.forms import field_of

from .countries import COUNTRY_NAMES, country_name
from .selectors import origin_choices
from .services.quotes import MAX_SIDE_CM

_Choice = tuple[str, str]
_ChoiceGroup = tuple[StrOrPromise, list[_Choice]]


def country_choices(served: list[str]) -> list[_Choice | _ChoiceGroup]:
    """Served countries first, then others a seller may ask about (refused, with why)."""
    served_set = set(served)
    by_name = sorted(served, key=country_name)
    others = sorted((c for c in COUNTRY_NAMES if c not in served_set), key=country_name)
    return [
        ("", "---------"),
        (_("Served"), [(c, f"{country_name(c)} ({c})") for c in by_name]),
        (_("Not served"), [(c, f"{country_name(c)} ({c})") for c in others]),
    ]


def _side(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.1"),
        max_value=MAX_SIDE_CM,
        decimal_places=1,
    )


class QuoteForm(forms.Form):
    # Chinese regions and overseas warehouses alike: lanes from either are priced the same.
    origin = forms.ChoiceField(label=_("Origin"), choices=origin_choices)
    country = forms.ChoiceField(label=_("Destination country"))
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        help_text=_("Required for the United States: the 5-digit ZIP code decides the zone."),
    )
    weight_g = forms.IntegerField(label=_("Weight (g)"), min_value=1, max_value=1_000_000)
    length_cm = _side(_("Length (cm)"))
    width_cm = _side(_("Width (cm)"))
    height_cm = _side(_("Height (cm)"))
    green = forms.BooleanField(
        label=_("Green discount"),
        required=False,
        help_text=_(
            "Only when your carbon account (碳账户) is bound and the parcel travels by a "
            "new-energy vehicle."
        ),
    )

    def __init__(self, *args: Any, served_countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self.fields, "country", forms.ChoiceField).choices = country_choices(
            served_countries
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        sides = [cleaned.get(name) for name in ("length_cm", "width_cm", "height_cm")]
        if any(side is not None for side in sides) and not all(side is not None for side in sides):
            raise forms.ValidationError(
                _("Give all three dimensions (length, width, height), or none.")
            )
        cleaned["dims_cm"] = tuple(sides) if all(side is not None for side in sides) else None
        return cleaned
