"""django-allauth, fitted to the portal: a sign-up creates the seller with its owner, failed
logins are counted per (address, client IP), and the client IP is read the way our proxies
set it."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest

from .models import User
from .services import seller_owner_prepare


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True
    ) -> User:
        """The new user is the owner of a new seller, both written in one transaction."""
        user = super().save_user(request, user, form, commit=False)
        with transaction.atomic():
            seller_owner_prepare(user=user, company_name=form.cleaned_data["company_name"])
            if commit:
                user.save()
        return user

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per (e-mail address, client IP) together: a stranger elsewhere
        cannot lock a seller out of their own account by typing wrong passwords for it (a cheap
        denial of service with a per-address lock), and one office's NAT address does not lock
        every colleague (a per-IP lock; allauth's 10 a minute per IP still holds)."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}|{self.get_client_ip(request)}"

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies it is the
        entry that many places from the right of X-Forwarded-For (entries further left are
        whatever the client chose to send); with no proxy, or a header shorter than that, it
        is the socket's address."""
        count = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if count and forwarded:
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if len(hops) >= count:
                return hops[-count]
        return request.META.get("REMOTE_ADDR") or "unknown"
