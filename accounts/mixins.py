"""Doors to seller pages: signed in, and a member of a seller.

Staff users have no seller; they are sent to the admin, where they work.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def _refuse_non_seller(request):
    if request.user.is_staff:
        return redirect(f"/{settings.ADMIN_URL}")
    raise PermissionDenied


class SellerRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_seller_user:
            return _refuse_non_seller(request)
        return super().dispatch(request, *args, **kwargs)


def seller_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_seller_user:
            return _refuse_non_seller(request)
        return view(request, *args, **kwargs)

    return wrapper
