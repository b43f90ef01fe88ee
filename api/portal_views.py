"""The owner's API pages: keys (made, shown once, revoked) and webhooks (endpoints, their
recent deliveries with each last attempt, resend). Another seller's id is a 404; a team
member who is not the owner is refused (403)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.mixins import seller_of, seller_required
from accounts.models import User
from webhooks.exceptions import WebhookError
from webhooks.selectors import (
    deliveries_recent,
    delivery_get_for_seller,
    endpoint_get_for_seller,
    endpoints_for_seller,
)
from webhooks.services import delivery_resend as resend
from webhooks.services import endpoint_create, endpoint_delete, endpoint_enable

from .forms import ApiKeyForm, WebhookEndpointForm
from .models import ApiKey
from .services import ApiKeyError, api_key_create, api_key_revoke

View = Callable[..., HttpResponseBase]


def owner_required(view: View) -> View:
    @seller_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or user.seller_role != User.SellerRole.OWNER:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@owner_required
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = ApiKeyForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            shown = api_key_create(
                seller=seller,
                name=form.cleaned_data["name"],
                livemode=form.cleaned_data["mode"] == "live",
                scope=form.cleaned_data["scope"],
                user=request.user,
            )
        except ApiKeyError as error:
            form.add_error(None, error.message)
        else:
            form = ApiKeyForm()
    return render(
        request,
        "api/keys.html",
        {
            "form": form,
            "shown": shown,
            "keys": list(ApiKey.objects.filter(seller=seller).order_by("-created_at", "-id")),
            "current": "developers",
        },
    )


@owner_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = ApiKey.objects.filter(seller=seller_of(request), pk=pk).first()
    if key is None:
        raise Http404
    api_key_revoke(key=key)
    messages.success(request, _("Key %(prefix)s… is revoked.") % {"prefix": key.prefix})
    return redirect("developers:keys")


@owner_required
@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    form = WebhookEndpointForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _endpoint, secret = endpoint_create(
                seller=seller,
                url=form.cleaned_data["url"],
                livemode=form.cleaned_data["mode"] == "live",
                enabled_events=form.cleaned_data["enabled_events"],
                description=form.cleaned_data["description"],
            )
        except WebhookError as error:
            form.add_error("url", error.message)
        else:
            form = WebhookEndpointForm()
    return render(
        request,
        "api/webhooks.html",
        {
            "form": form,
            "secret": secret,
            "endpoints": list(endpoints_for_seller(seller=seller)),
            "deliveries": deliveries_recent(seller=seller),
            "current": "developers",
        },
    )


def _endpoint(request: HttpRequest, pk: int) -> Any:
    endpoint = endpoint_get_for_seller(seller=seller_of(request), pk=pk)
    if endpoint is None:
        raise Http404
    return endpoint


@owner_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint_delete(endpoint=_endpoint(request, pk))
    messages.success(request, _("The endpoint is deleted."))
    return redirect("developers:webhooks")


@owner_required
@require_POST
def webhook_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint_enable(endpoint=_endpoint(request, pk))
    messages.success(request, _("The endpoint is enabled again."))
    return redirect("developers:webhooks")


@owner_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = delivery_get_for_seller(seller=seller_of(request), pk=pk)
    if delivery is None:
        raise Http404
    resend(delivery=delivery)
    messages.success(request, _("The event is being sent again."))
    return redirect("developers:webhooks")
