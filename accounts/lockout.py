"""Login throttling (django-axes): who is counted, from where, and what a locked-out visitor sees.

Failures are counted per (e-mail address, client IP). The portal's login page and the admin's
both authenticate through ``django.contrib.auth.authenticate`` with the request, so both are
covered. See ``AXES_*`` in ``config/settings/base.py`` for the numbers and why.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

LOGIN_FIELD = "username"  # both login forms post the e-mail address under this name


def login_username(request, credentials: dict | None = None) -> str | None:
    """The e-mail address the attempt was for, normalised the way logins match it, so that
    ``Seller@X.cn`` and ``seller@x.cn`` count against the same lock."""
    value = (credentials or {}).get(LOGIN_FIELD)
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(LOGIN_FIELD)
    if value is None:
        return None
    return str(value).strip().lower()


def client_ip(request) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies it is the entry
    that many places from the right of X-Forwarded-For (entries further left are whatever
    the client chose to send); with no proxy it is the socket's address."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def cooloff_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, math.ceil(cooloff.total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """Shown instead of the login page while a (user, IP) is locked out: HTTP 429.

    Each attempt during the lock starts the cool-off again, so the wait is always the whole
    cool-off from now."""
    minutes = cooloff_minutes()
    message = ngettext(
        "Too many failed login attempts. Try again in %(minutes)d minute, or reset your password.",
        "Too many failed login attempts. Try again in %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "accounts/locked_out.html",
        {
            "message": message,
            "minutes": minutes,
            "password_reset_url": reverse("accounts:password_reset"),
        },
        status=429,
    )
