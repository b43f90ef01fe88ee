"""The application, one form per step. Every field may stay empty in a draft; what is
filled must be well-formed, and each problem is said on its field as the seller types it:
a credit code or ID number with a wrong check digit (not "the wrong length"), an ID card
expiring within 90 days, "long-term" ticked beside a date. Codes are normalised as typed or
pasted (``core.normalise``): full-width characters and spaces inside are fine. Nothing is
cut to a length without a word. Completeness is judged at submission; the fields it needs
are marked."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from core.forms import CodeField, TextField, field_of, no_silent_truncation
from platforms.models import Platform

from .checks import ID_MIN_DAYS_VALID
from .models import Application, DocumentKind, SettlementMode
from .services.applications import AGENCY_FIELDS, REQUIRED_FIELDS

# Which store fields belong to which platform: the page shows only the chosen platform's.
PLATFORM_FIELDS = {
    "aliexpress_tier": Platform.ALIEXPRESS,
    "aliexpress_store_level": Platform.ALIEXPRESS,
    "lazada_official_warehouse": Platform.LAZADA,
    "temu_whitelisted": Platform.TEMU,
    "tiktok_site": Platform.TIKTOK,
    "tiktok_logistics_partner": Platform.TIKTOK,
}
REQUIRED_MARK = " *"


def uscc_problem(value: str) -> str | None:
    """Why ``value`` (normalised) is not a unified social credit code, or None."""
    try:
        uscc.validate(value)
    except stdnum_errors.InvalidLength:
        return str(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(value)}
        )
    except stdnum_errors.InvalidChecksum:
        return str(
            _(
                "The check digit (the 18th character) does not match the other 17: one of "
                "the characters is mistyped. Compare each with the licence."
            )
        )
    except stdnum_errors.ValidationError:
        return str(
            _(
                "Only digits and the capital letters of the code are used (never I, O, S, V "
                "or Z), and the first two characters name the kind of entity, e.g. 91."
            )
        )
    return None


def id_number_problem(value: str) -> str | None:
    """Why ``value`` (normalised) is not a resident ID card number, or None."""
    try:
        ric.validate(value)
    except stdnum_errors.InvalidLength:
        return str(
            _("A resident ID number has 18 characters; this one has %(n)d.") % {"n": len(value)}
        )
    except stdnum_errors.InvalidChecksum:
        return str(
            _(
                "The check digit (the 18th character, a digit or X) does not match the other "
                "17: one of them is mistyped. Compare each with the card."
            )
        )
    except stdnum_errors.ValidationError:
        return str(
            _(
                "Not a resident ID number: 17 digits (region, date of birth, sequence), then "
                "a digit or X."
            )
        )
    return None


def _clean_uscc(value: str) -> str:
    problem = uscc_problem(value) if value else None
    if problem:
        raise forms.ValidationError(problem)
    return value


class StepForm(forms.ModelForm[Application]):
    """A step of the wizard: nothing required to save a draft, the fields submission needs
    marked with *, no length cut silently, read-only once the application is submitted."""

    title: StrOrPromise = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        application = self.instance
        needed = set(REQUIRED_FIELDS) | (set(AGENCY_FIELDS) if application.is_agency else set())
        for name, field in self.fields.items():
            field.required = False
            if name in needed and field.label:
                field.label = f"{field.label}{REQUIRED_MARK}"
            if not application.is_editable:
                field.disabled = True
        no_silent_truncation(self)


class CompanyForm(StepForm):
    title = _("Company")

    company_name = TextField(
        label=_("company name"),
        max_length=200,
        help_text=_("Exactly as printed on the business licence."),
    )
    uscc = CodeField(
        label=_("unified social credit code"),
        max_length=18,
        help_text=_(
            "统一社会信用代码: 18 characters on the licence; spaces and full-width "
            "characters are fine."
        ),
    )
    registered_address = TextField(label=_("registered address"), max_length=300)
    tax_address = TextField(
        label=_("tax-registration address"),
        max_length=300,
        help_text=_("As on the tax registration. It must match the licence address."),
    )

    class Meta:
        model = Application
        fields = ["company_name", "uscc", "registered_address", "tax_address", "business_scope"]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "business_scope": _(
                "As printed on the licence (经营范围). It must include 货物进出口."
            ),
        }

    def clean_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data.get("uscc") or "")


class LegalRepForm(StepForm):
    title = _("Legal representative")

    legal_rep_name = TextField(label=_("legal representative"), max_length=100)
    legal_rep_id_number = CodeField(label=_("legal representative's ID number"), max_length=18)

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
            "legal_rep_id_long_term": _(
                "Tick only if the card says 长期; then leave the date empty."
            ),
        }

    def clean_legal_rep_id_number(self) -> str:
        value = self.cleaned_data.get("legal_rep_id_number") or ""
        problem = id_number_problem(value) if value else None
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_legal_rep_id_expiry(self) -> datetime.date | None:
        expiry = self.cleaned_data.get("legal_rep_id_expiry")
        limit = timezone.localdate() + datetime.timedelta(days=ID_MIN_DAYS_VALID)
        if expiry is not None and expiry < limit:
            raise forms.ValidationError(
                _(
                    "This card is valid until %(until)s, less than 90 days from today: the "
                    "service needs one valid until %(limit)s or later. Renew the card first, "
                    "then enter the new card's date."
                )
                % {"until": expiry.isoformat(), "limit": limit.isoformat()}
            )
        return expiry

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("legal_rep_id_long_term") and cleaned.get("legal_rep_id_expiry"):
            self.add_error(
                "legal_rep_id_long_term",
                _(
                    "A card is either valid long-term (长期) or until a date, not both: "
                    "untick long-term or clear the date."
                ),
            )
        return cleaned


class StoreForm(StepForm):
    title = _("Platform and store")

    store_id = CodeField(label=_("store ID"), max_length=64, upper=False)

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].widget.attrs["data-platform-select"] = "true"
        for name, platform in PLATFORM_FIELDS.items():
            # static/js/application-store.js shows a field only for its platform.
            self.fields[name].widget.attrs["data-platform"] = platform

    def clean_aliexpress_store_level(self) -> int | None:
        level = self.cleaned_data.get("aliexpress_store_level")
        if level is not None and not 1 <= level <= 5:
            raise forms.ValidationError(_("Store levels run from 1 to 5."))
        return level

    def clean(self) -> dict[str, Any]:
        """A field of another platform than the chosen one is emptied: it was hidden."""
        super().clean()
        cleaned = self.cleaned_data
        platform = cleaned.get("platform")
        for name, owner in PLATFORM_FIELDS.items():
            if name in cleaned and platform != owner:
                cleaned[name] = None if name not in ("aliexpress_tier", "tiktok_site") else ""
        return cleaned


class AgencySettlementForm(StepForm):
    title = _("Agency and settlement")

    agency_company_name = TextField(label=_("agency company name"), max_length=200)
    agency_uscc = CodeField(label=_("agency's credit code"), max_length=18)
    agency_address = TextField(label=_("agency address"), max_length=300)
    agency_legal_rep = TextField(label=_("agency legal representative"), max_length=100)

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
            "settlement_mode": _(
                "Monthly: one statement a month, due 15 days after the month's end. Instant: "
                "each shipment is paid from a prepaid balance when it is created."
            ),
            "is_agency": _(
                "Tick if an agency operator (代运营) runs the store for you. You then also "
                "upload the 委托物流服务授权书 signed by both companies."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two choices and no "---------": nothing is chosen until the seller chooses.
        field_of(self.fields, "settlement_mode", forms.ChoiceField).choices = SettlementMode.choices

    def clean_agency_uscc(self) -> str:
        return _clean_uscc(self.cleaned_data.get("agency_uscc") or "")


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
