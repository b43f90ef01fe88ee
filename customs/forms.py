from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import no_silent_truncation


class RegistrationsForm(forms.Form):
    """The seller's own tax registrations; an empty field removes the registration."""

    ioss = forms.CharField(
        label=_("EU IOSS number"),
        required=False,
        max_length=40,
        help_text=_(
            "IM followed by 10 digits. Used for EU parcels up to €150 when the order "
            "does not carry the marketplace's."
        ),
    )
    uk_vat = forms.CharField(
        label=_("UK VAT number"),
        required=False,
        max_length=40,
        help_text=_(
            "GB and 9 digits. Used for UK parcels up to £135 when the order does not "
            "carry the marketplace's."
        ),
    )
    eori = forms.CharField(label=_("EORI number"), required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        no_silent_truncation(self)  # too long is said, never cut
