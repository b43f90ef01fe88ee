from django import forms
from django.utils.translation import gettext_lazy as _


class StoreMetricsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or GBK, up to 20 MB. A file with any bad row is refused whole."),
    )
