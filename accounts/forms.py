from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidMobileNumber
from .models import User
from .phones import mobile_normalize
from .selectors import email_is_registered


class SignUpForm(forms.Form):
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("As printed on your business licence (营业执照)."),
    )
    email = forms.EmailField(label=_("E-mail address"))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the company name."))
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_is_registered(email=email):
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1 and cleaned.get("email"):
            candidate = User(email=cleaned["email"])
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new member"))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_is_registered(email=email):
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class AlertPhoneForm(forms.Form):
    phone = forms.CharField(
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
