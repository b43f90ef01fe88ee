"""The application, one form per step. Every field may stay empty in a draft; what is
filled must be well-formed. Completeness is judged at submission."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from stdnum.cn import ric, uscc

from .models import Application, DocumentKind


def _clean_uscc(value: str | None) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if value and not uscc.is_valid(value):
        raise forms.ValidationError(
            _("Not a valid unified social credit code: 18 characters, check digit included.")
        )
    return value


class StepForm(forms.ModelForm[Application]):
    title: StrOrPromise = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CompanyForm(StepForm):
    title = _("Company")

    class Meta:
        model = Application
        fields = ["company_name", "uscc", "registered_address", "tax_address", "business_scope"]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "company_name": _("Exactly as printed on the business licence."),
            "uscc": _("统一社会信用代码: 18 characters on the licence."),
            "tax_address": _("As on the tax registration. It must match the licence address."),
            "business_scope": _(
                "As printed on the licence (经营范围). It must include 货物进出口."
            ),
        }

    def clean_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data.get("uscc"))


class LegalRepForm(StepForm):
    title = _("Legal representative")

    class Meta:
        model = Application
        fields = [
            "legal_rep_name",
            "legal_rep_id_number",
            "legal_rep_id_expiry",
            "legal_rep_id_long_term",
        ]
        widgets = {"legal_rep_id_expiry": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "legal_rep_id_expiry": _(
                "The end of 有效期限 on the back of the card. It must be at least 90 days away."
            ),
        }

    def clean_legal_rep_id_number(self) -> str:
        value = (self.cleaned_data.get("legal_rep_id_number") or "").strip().upper()
        if value and not ric.is_valid(value):
            raise forms.ValidationError(_("Not a valid resident ID card number."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("legal_rep_id_long_term"):
            cleaned["legal_rep_id_expiry"] = None
        return cleaned


class StoreForm(StepForm):
    title = _("Platform and store")

    class Meta:
        model = Application
        fields = [
            "platform",
            "store_id",
            "aliexpress_tier",
            "aliexpress_store_level",
            "lazada_official_warehouse",
            "temu_whitelisted",
            "tiktok_site",
            "tiktok_logistics_partner",
        ]
        widgets = {
            "lazada_official_warehouse": forms.NullBooleanSelect(),
            "temu_whitelisted": forms.NullBooleanSelect(),
            "tiktok_logistics_partner": forms.NullBooleanSelect(),
        }
        help_texts = {
            "store_id": _("As shown on the store information page of the platform's back office."),
            "aliexpress_store_level": _("AliExpress only: 1 to 5. Level 3 or above is required."),
        }

    def clean_store_id(self) -> str:
        return (self.cleaned_data.get("store_id") or "").strip()

    def clean_aliexpress_store_level(self):
        level = self.cleaned_data.get("aliexpress_store_level")
        if level is not None and not 1 <= level <= 5:
            raise forms.ValidationError(_("Store levels run from 1 to 5."))
        return level


class AgencySettlementForm(StepForm):
    title = _("Agency and settlement")

    class Meta:
        model = Application
        fields = [
            "settlement_mode",
            "is_agency",
            "agency_company_name",
            "agency_uscc",
            "agency_address",
            "agency_legal_rep",
        ]
        widgets = {"settlement_mode": forms.RadioSelect}
        help_texts = {
            "is_agency": _(
                "Tick if an agency operator (代运营) runs the store for you. You then also "
                "upload the 委托物流服务授权书 signed by both companies."
            ),
        }

    def clean_agency_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data.get("agency_uscc"))


STEPS = {
    "company": CompanyForm,
    "legal-rep": LegalRepForm,
    "store": StoreForm,
    "agency-settlement": AgencySettlementForm,
}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("JPEG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the seller sees it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentFieldsForm(forms.Form):
    """Operations type the fields of a document that could not be read."""

    def __init__(self, *args, kind: str, initial_fields: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIELDS_BY_KIND[kind]:
            self.fields[name] = forms.CharField(
                label=name, required=False, initial=initial_fields.get(name) or ""
            )


FIELDS_BY_KIND: dict[str, list[str]] = {
    DocumentKind.LICENCE: [
        "uscc",
        "name",
        "entity_type",
        "legal_representative",
        "business_scope",
        "address",
        "established",
    ],
    DocumentKind.ID_FRONT: ["name", "id_number"],
    DocumentKind.ID_BACK: ["valid_from", "valid_until"],
}
