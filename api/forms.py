from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.models import EventType

from .models import KeyScope

MODES = [("test", _("Test (jl_test_: never charged)")), ("live", _("Live (jl_live_)"))]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the key is for, e.g. 店小秘 ERP."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=MODES, initial="test")
    scope = forms.ChoiceField(label=_("Scope"), choices=KeyScope.choices, initial=KeyScope.WRITE)


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"), max_length=500, help_text=_("https:// on a public address.")
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=MODES, initial="test")
    enabled_events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
