"""Billing's forms: the seller's switch of settlement mode, finance's export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportFormat, SettlementMode


class SettlementSwitchForm(forms.Form):
    """The seller's switch of settlement mode (the page shows what it means first)."""

    mode = forms.ChoiceField(choices=SettlementMode.choices, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have read when the switch takes effect and what happens to my charges."),
    )


class ExportStartForm(forms.Form):
    """Finance starts a whole-month export in the admin."""

    period = forms.CharField(
        label=_("Month"),
        max_length=7,
        help_text=_("YYYY-MM, e.g. 2026-10: every statement issued for that month."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)

    def clean_period(self):
        from .exceptions import InvalidPeriod
        from .services.ledger import period_parse

        try:
            return period_parse(self.cleaned_data["period"])
        except InvalidPeriod as error:
            raise forms.ValidationError(error.message) from None
