"""Who calls: ``Authorization: Bearer jl_live_…`` (or ``jl_test_…``). No session, no
cookie: a signed-in portal user, staff included, gets nothing from /api/v1 without a key."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from accounts.models import Seller

from .models import ApiKey, KeyScope
from .services import api_key_find, api_key_used


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request: a seller, in live or test mode, with a scope."""

    key: ApiKey
    seller: Seller
    livemode: bool
    scope: str

    @property
    def can_write(self) -> bool:
        return self.scope == KeyScope.WRITE


class ApiUser:
    """``request.user`` of an API request: authenticated, never staff, no session."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_active = True
    pk = None

    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    def __str__(self) -> str:
        return f"api key {self.principal.key.prefix}…"


class KeyProblem(exceptions.AuthenticationFailed):
    """401 with the problem's own code (``invalid_key``, ``revoked_key``)."""

    def __init__(self, detail: str, code: str) -> None:
        super().__init__(detail, code)
        self.problem_code = code


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiUser, Principal] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None  # → 401 not_authenticated (the permission says so)
        scheme, _space, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            raise KeyProblem(
                _("Send the key as “Authorization: Bearer jl_live_…” (or jl_test_…)."),
                "invalid_key",
            )
        key = api_key_find(secret)
        if key is None:
            raise KeyProblem(_("This API key is not valid."), "invalid_key")
        if key.revoked_at is not None:
            raise KeyProblem(_("This API key was revoked."), "revoked_key")
        api_key_used(key=key)
        principal = Principal(key=key, seller=key.seller, livemode=key.livemode, scope=key.scope)
        return ApiUser(principal), principal

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def principal_of(request: Any) -> Principal:
    """The caller of a request that passed ``HasApiKey``."""
    principal = request.auth
    if not isinstance(principal, Principal):
        raise exceptions.NotAuthenticated()
    return principal
