"""Django's error views, answering problem+json under /api/ and the portal's pages
elsewhere (``config.urls`` names them)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from .problems import django_error, is_api


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if is_api(request):
        from django.core.exceptions import RequestDataTooBig

        return django_error(request, 413 if isinstance(exception, RequestDataTooBig) else 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if is_api(request):
        return django_error(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if is_api(request):
        return django_error(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return django_error(request, 500)
    return defaults.server_error(request)
