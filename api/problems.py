"""Every error under /api/ as ``application/problem+json`` (RFC 9457): ``type``, ``title``,
``status``, ``detail``, ``instance``, plus our ``code`` (and, per kind, ``errors`` naming
each field, or for a refusal by the order gate its ``fix``, ``evidence`` and ``diagnosis``
link). REST framework's errors go through ``exception_handler``; Django's own (a URL that
matches nothing, a body too large) through ``django_error`` and the handlers in
``config.urls``."""

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from core.gate import gate
from shipments.exceptions import (
    DuplicateOrder,
    IllegalStatusChange,
    InvalidOrder,
    NotCancellable,
    OrderRefused,
    ShipmentError,
)

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://jingluo.example/api/problems/"  # documented in docs/api.md


class Problem(exceptions.APIException):
    """An API error with its code and any extra members of the problem object."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or title, code)
        self.status_code = status
        self.problem_code = code
        self.title = title
        self.extra = extra
        self.headers: dict[str, str] = {}


def problem_body(
    request: Any, *, status: int, code: str, title: str, detail: str = "", **extra: Any
) -> dict[str, Any]:
    path = getattr(request, "path", "") or ""
    return {
        "type": TYPE_BASE + code,
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "code": code,
        "instance": path,
        **extra,
    }


def problem_response(
    request: Any, *, status: int, code: str, title: str, detail: str = "", **extra: Any
) -> Response:
    return Response(
        problem_body(request, status=status, code=code, title=title, detail=detail, **extra),
        status=status,
        content_type=PROBLEM_JSON,
    )


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """REST framework's nested error detail as a flat list: ``items[2].hs_code``."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
                field = f"{prefix}[{name}]"
            else:
                field = f"{prefix}.{name}" if prefix else str(name)
            if name == "non_field_errors":
                field = prefix
            found += field_errors(value, field)
    elif isinstance(detail, list):
        if detail and all(isinstance(v, (dict, list)) for v in detail):
            for index, value in enumerate(detail):
                found += field_errors(value, f"{prefix}[{index}]")
        else:
            for value in detail:
                found += field_errors(value, prefix)
    elif detail is not None:
        code = getattr(detail, "code", "invalid") or "invalid"
        found.append({"field": prefix, "code": str(code), "detail": str(detail)})
    return found


def diagnosis_url(request: Any, order_number: str) -> str:
    path = reverse("api:diagnose", kwargs={"order_number": order_number})
    return request.build_absolute_uri(path)


def refusal_extra(
    request: Any,
    *,
    code: str,
    order_number: str,
    evidence: dict[str, Any],
    fix: str = "",
    fix_url: str | None = None,
) -> dict[str, Any]:
    """What a refusal by the gate adds to its problem: the fix, its page, the evidence and
    the link to the diagnosis of that order."""
    try:
        check = gate.get(code)
    except KeyError:
        return {"order_number": order_number, "evidence": evidence}
    if not fix_url:
        try:
            fix_url = check.fix_url()
        except Exception:  # noqa: BLE001 - a page the check names that cannot be reversed
            fix_url = None
    return {
        "order_number": order_number,
        "fix": str(fix or check.fix),
        "fix_url": request.build_absolute_uri(fix_url) if fix_url else None,
        "evidence": evidence,
        "diagnosis": diagnosis_url(request, order_number),
    }


def _domain(exc: Exception, request: Any) -> Response | None:
    if isinstance(exc, OrderRefused):
        check = gate.get(exc.code) if exc.code in gate.codes() else None
        order_number = str(getattr(exc, "order_number", "") or "")
        return problem_response(
            request,
            status=422,
            code=exc.code,
            title=str(check.title) if check else _("The order was refused"),
            detail=str(exc.message),
            **refusal_extra(
                request,
                code=exc.code,
                order_number=order_number,
                evidence=exc.evidence,
                fix=str(getattr(exc, "fix", "") or ""),
                fix_url=getattr(exc, "fix_url", None),
            ),
        )
    if isinstance(exc, InvalidOrder):
        field = exc.field or "order"
        return problem_response(
            request,
            status=422,
            code="invalid_order",
            title=_("The order is not valid"),
            detail=str(exc.message),
            errors=[{"field": field, "code": "invalid", "detail": str(exc.message)}],
        )
    if isinstance(exc, DuplicateOrder):
        return problem_response(
            request,
            status=409,
            code="duplicate_order",
            title=_("A shipment for this order exists"),
            detail=str(exc.message),
        )
    if isinstance(exc, (NotCancellable, IllegalStatusChange)):
        return problem_response(
            request,
            status=409,
            code="not_cancellable" if isinstance(exc, NotCancellable) else "illegal_status_change",
            title=_("Not possible in the shipment's status"),
            detail=str(exc.message),
        )
    if isinstance(exc, ShipmentError):
        return problem_response(
            request,
            status=422,
            code="refused",
            title=_("The request was refused"),
            detail=str(exc.message),
        )
    return None


_TITLES: dict[type[exceptions.APIException], tuple[str, str]] = {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """REST framework's errors and the domain's, as problems; anything else is logged and
    answered as a 500 problem (never Django's HTML page)."""
    # Imported here: REST framework's views import the parsers, which import this module
    # (a module that imported this one first would find it half made).
    from rest_framework.views import set_rollback

    request = context.get("request")
    set_rollback()
    domain = _domain(exc, request)
    if domain is not None:
        return domain
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, Problem):
        response = problem_response(
            request,
            status=exc.status_code,
            code=exc.problem_code,
            title=exc.title,
            detail=str(exc.detail),
            **exc.extra,
        )
        for name, value in exc.headers.items():
            response[name] = value
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        first = errors[0]["detail"] if errors else ""
        return problem_response(
            request,
            status=400,
            code="invalid_request",
            title=_("The request does not match the API's schema"),
            detail=_("%(count)s problem(s), first: %(first)s")
            % {"count": len(errors), "first": f"{errors[0]['field']}: {first}" if errors else ""},
            errors=errors,
        )
    if isinstance(exc, exceptions.APIException):
        status = exc.status_code
        code = str(getattr(exc, "problem_code", "") or exc.default_code)
        if isinstance(exc, exceptions.NotAuthenticated):
            code = "not_authenticated"
        titles = {
            400: _("Bad request"),
            401: _("Not authenticated"),
            403: _("Forbidden"),
            404: _("Not found"),
            405: _("Method not allowed"),
            406: _("Not acceptable"),
            413: _("Request too large"),
            415: _("Unsupported media type"),
            429: _("Too many requests"),
        }
        if isinstance(exc, exceptions.ParseError):
            code = "malformed_json"
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        response = problem_response(
            request,
            status=status,
            code=code,
            title=titles.get(status, _("Error")),
            detail=str(detail),
        )
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            response["Retry-After"] = str(int(exc.wait))
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    logger.exception("API error on %s", getattr(request, "path", "?"), exc_info=exc)
    return problem_response(
        request,
        status=500,
        code="server_error",
        title=_("Server error"),
        detail=_("Something went wrong on our side; nothing was created. Try again."),
    )


# ---------------------------------------------------------------------------
# Django-level errors under /api/ (no REST framework view was reached)
# ---------------------------------------------------------------------------
def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def django_error(request: HttpRequest, status: int) -> HttpResponse:
    titles = {
        400: ("bad_request", _("Bad request")),
        403: ("forbidden", _("Forbidden")),
        404: ("not_found", _("Not found")),
        413: ("request_too_large", _("Request too large")),
        500: ("server_error", _("Server error")),
    }
    code, title = titles.get(status, ("error", _("Error")))
    body = problem_body(request, status=status, code=code, title=title)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON
    )


def method_names(methods: Iterable[str]) -> str:
    return ", ".join(sorted(m.upper() for m in methods))
