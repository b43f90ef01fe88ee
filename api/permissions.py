"""What a key may do: every key reads its own seller's data; only a read-and-write key
writes (any method but GET, HEAD, OPTIONS)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .authentication import Principal


class ReadOnlyKey(exceptions.PermissionDenied):
    default_code = "read_only_key"


class HasApiKey(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal):
            raise exceptions.NotAuthenticated(
                _("Send your API key as “Authorization: Bearer jl_live_…” (or jl_test_…).")
            )
        if request.method not in SAFE_METHODS and not principal.can_write:
            raise ReadOnlyKey(_("This key is read-only: use a read-and-write key to write."))
        return True
