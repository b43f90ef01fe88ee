"""allauth's password-reset form, as the portal uses it. Apart from ``accounts.forms``:
allauth imports that module (``ACCOUNT_SIGNUP_FORM_CLASS``) while building its own forms, so
it must not import allauth's forms back."""

from allauth.account import forms as allauth_forms

from .services import email_address_verify


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    """allauth's "choose a new password" form (a reset link, or a team invitation): the
    link was e-mailed to the address, so following it proves the address — it is verified."""

    def save(self) -> None:
        super().save()
        email_address_verify(user=self.user)
