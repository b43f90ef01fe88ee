"""Staff reach the admin only with two-factor authentication set up."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import user_has_totp


class StaffMfaRequiredMiddleware:
    """A staff user without an active TOTP authenticator is sent from any admin page to set
    one up (allauth's activation page, which shows the QR code, then the recovery codes).
    With TOTP set up, allauth's login asks for a code at every login, so every session that
    reaches the admin has passed it. The admin's own login page is allauth's
    (``config/urls.py``), so no login skips the code."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(self.admin_prefix)
            and user.is_authenticated
            and user.is_staff
            and not user_has_totp(user=user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication: set up an authenticator "
                    "app to reach the operations console."
                ),
            )
            url = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)
