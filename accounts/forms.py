from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CodeField, no_silent_truncation

from .exceptions import InvalidMobileNumber
from .phones import mobile_normalize
from .selectors import email_is_registered


class SignUpForm(forms.Form):
    """What allauth's sign-up form adds to the e-mail address and the password: the company.
    The seller is created with its owner by ``accounts.adapter.AccountAdapter.save_user``."""

    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("As printed on your business licence (营业执照)."),
    )

    field_order = ["company_name", "email", "password1", "password2"]

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the company name."))
        return name

    def signup(self, request, user) -> None:
        """allauth's hook after the user is saved: nothing left to do (the adapter did it)."""


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new member"), max_length=254)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        no_silent_truncation(self)  # too long is said, never cut

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_is_registered(email=email):
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class AlertPhoneForm(forms.Form):
    phone = CodeField(
        label=_("Mobile number for customs alerts"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "138 0013 8000"}
        ),
        help_text=_("A mainland China mobile number. Leave it empty to get alerts by e-mail only."),
    )

    def clean_phone(self) -> str:
        try:
            return mobile_normalize(self.cleaned_data["phone"])
        except InvalidMobileNumber as error:
            raise forms.ValidationError(error.message) from error
