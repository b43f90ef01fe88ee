"""Billing's forms: the seller's switch of settlement mode, finance's export."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportFormat, SettlementMode


class SettlementSwitchForm(forms.Form):
    """The seller's switch of settlement mode (the page shows what it means first)."""

    mode = forms.ChoiceField(choices=SettlementMode.choices, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have read when the switch takes effect and what happens to my charges."),
    )


class LowBalanceAlertForm(forms.Form):
    """The owner's threshold for being told that the prepaid balance runs low."""

    threshold = forms.DecimalField(
        label=_("Tell me when the prepaid balance falls below (¥)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: no alert. You and your team are told once each time it falls below."),
    )


class ExportStartForm(forms.Form):
    """Finance starts a whole-month export in the admin."""

    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_(
            "YYYY-MM, e.g. 2026-10: the lines of every seller's statement for that period "
            "(the month's charges, refunds and adjustments; its statements are issued when "
            "the month closes, on the 1st of the next month)."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)

    def clean_period(self):
        from .exceptions import InvalidPeriod
        from .services.ledger import period_parse

        try:
            return period_parse(self.cleaned_data["period"])
        except InvalidPeriod as error:
            raise forms.ValidationError(error.message) from None


class CloseMonthForm(forms.Form):
    """Finance closes a month from the admin: the period, then a confirmation."""

    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("YYYY-MM, e.g. 2026-10. Only a month that has ended can be closed."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_period(self):
        from core.forms import MAX_DATE, MIN_DATE

        from .exceptions import InvalidPeriod
        from .services.ledger import period_parse

        try:
            period = period_parse(self.cleaned_data["period"])
        except InvalidPeriod as error:
            raise forms.ValidationError(error.message) from None
        if not MIN_DATE <= period <= MAX_DATE:
            raise forms.ValidationError(InvalidPeriod.default_message)
        return period
