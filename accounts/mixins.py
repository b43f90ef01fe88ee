"""Doors to seller pages: signed in, and a member of a seller.

Staff users have no seller; they are sent to the admin, where they work.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from .models import Seller, User

_P = ParamSpec("_P")


def _refuse_non_seller(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        return redirect(f"/{settings.ADMIN_URL}")
    raise PermissionDenied


class SellerRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_seller_user:
            return _refuse_non_seller(request)
        return super().dispatch(request, *args, **kwargs)


def seller_required(
    view: Callable[Concatenate[HttpRequest, _P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, _P], HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_seller_user:
            return _refuse_non_seller(request)
        return view(request, *args, **kwargs)

    return wrapper


def seller_of(request: HttpRequest) -> Seller:
    """The seller of the signed-in user, on a page behind ``seller_required``."""
    user = request.user
    if not isinstance(user, User) or user.seller is None:
        raise PermissionDenied
    return user.seller
