"""The seller API, v1: thin doors into the apps' services and selectors. Every read goes
through the key's seller and mode, so another seller's (or the other mode's) tracking
number is simply not found (404, never 403)."""

import datetime
import re
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.selectors import open_period_total, settlement_get, statements_for_seller
from core.gate import gate
from diagnostics.exceptions import OrderNotFound
from diagnostics.services import order_diagnose
from pricing.exceptions import QuoteRefused
from shipments.exceptions import InvalidOrder
from shipments.models import ShipmentStatus
from shipments.selectors import (
    ApiShipmentFilters,
    Cursor,
    refused_orders_api_page,
    shipment_batch_get,
    shipment_get_by_tracking,
    shipments_by_tracking,
    shipments_page,
)
from shipments.services import Recipient, shipment_cancel, shipment_create
from shipments.services.batches import OrderInput, shipment_batch_create
from shipments.services.label_formats import label_png, labels_zpl
from shipments.services.labels import labels_pdf, shipment_labels_print
from shipments.services.simulate import shipment_simulate
from stores.selectors import store_for_orders
from webhooks.exceptions import WebhookError
from webhooks.models import WebhookEndpoint
from webhooks.selectors import (
    deliveries_page,
    delivery_of_endpoint,
    endpoint_get_for_seller,
    endpoints_for_seller,
)
from webhooks.services import (
    delivery_resend,
    endpoint_create,
    endpoint_delete,
    endpoint_secret_rotate,
)

from . import serializers as s
from .authentication import Principal, principal_of
from .idempotency import idempotency_key, idempotent
from .problems import PROBLEM_JSON, Problem, diagnosis_url, problem_body
from .representations import (
    batch_data,
    delivery_data,
    dumps,
    endpoint_data,
    json_response,
    price_of_quote,
    refusal_data,
    shipment_data,
    shipment_detail,
)

PROBLEMS = {
    400: OpenApiResponse(s.ProblemSerializer, description="Bad request (problem+json)"),
    401: OpenApiResponse(s.ProblemSerializer, description="No key, or a wrong or revoked key"),
    403: OpenApiResponse(s.ProblemSerializer, description="A read-only key writing"),
    404: OpenApiResponse(s.ProblemSerializer, description="Not found (or not yours)"),
    409: OpenApiResponse(s.ProblemSerializer, description="Conflict"),
    413: OpenApiResponse(s.ProblemSerializer, description="Body too large"),
    415: OpenApiResponse(s.ProblemSerializer, description="Not JSON"),
    422: OpenApiResponse(s.ProblemSerializer, description="Refused or not valid"),
    429: OpenApiResponse(s.ProblemSerializer, description="Rate limit: see Retry-After"),
}


def _errors(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    # 400 on every operation: a query parameter it does not declare (``ApiView``).
    return {(code, PROBLEM_JSON): PROBLEMS[code] for code in sorted({400, 401, 404, 429, *codes})}


class ApiView(APIView):
    """An API operation. A query parameter it does not declare (``query_parameters``, by
    method, the same names as its schema's; a test holds them equal) is refused with 400
    ``unknown_parameter``, as an unknown body field is: a mistyped filter (``stauts=``) must
    not quietly answer with every shipment. Checked after the key, so a request without one
    is still 401."""

    query_parameters: ClassVar[dict[str, frozenset[str]]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        method = (request.method or "").lower()
        if not hasattr(self, method):
            return  # 405 from the dispatch, whatever the query
        allowed = self.query_parameters.get(method, frozenset())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise Problem(
                400,
                "unknown_parameter",
                _("Unknown query parameter"),
                _("This operation takes no query parameter %(names)s; it takes: %(allowed)s.")
                % {
                    "names": ", ".join(repr(name[:40]) for name in unknown[:5]),
                    "allowed": ", ".join(sorted(allowed)) or "—",
                },
                parameters=[name[:40] for name in unknown[:5]],
            )


def _not_found(what: str = "") -> Problem:
    return Problem(404, "not_found", _("Not found"), what or _("No such object for this key."))


def _validated(serializer_class: type, data: Any) -> Any:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _dims(data: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal] | None:
    dims = data.get("dimensions_cm")
    return (dims["length"], dims["width"], dims["height"]) if dims else None


def _order_input(data: dict[str, Any]) -> OrderInput:
    recipient = data["recipient"]
    return OrderInput(
        order_number=data["order_number"],
        origin=data["origin"],
        country=recipient["country"],
        postcode=recipient["postcode"],
        state=recipient["state"],
        weight_g=data["weight_g"],
        dims_cm=_dims(data),
        green=data["green"],
        recipient=Recipient(
            name=recipient["name"],
            address=recipient["address"],
            city=recipient["city"],
            phone=recipient["phone"],
            address2=recipient["address2"],
            email=recipient["email"],
        ),
        items=tuple(
            {key: (str(v) if not isinstance(v, bool) else v) for key, v in item.items()}
            for item in data["items"]
        ),
        incoterm=data["incoterm"],
        ioss_number=data["ioss_number"],
        uk_vat_number=data["uk_vat_number"],
    )


def _cursor(request: Request) -> Cursor | None:
    value = request.query_params.get("cursor", "")
    if not value:
        return None
    cursor = Cursor.decode(value)
    if cursor is None:
        raise Problem(400, "invalid_cursor", _("Cursor not valid"), _("Use next_cursor as given."))
    return cursor


def _limit(request: Request) -> int:
    value = request.query_params.get("limit", "50")
    if not value.isdigit() or not 1 <= int(value) <= 100:
        raise Problem(400, "invalid_parameter", _("Parameter not valid"), _("limit is 1 to 100."))
    return int(value)


def _shipment(principal: Principal, tracking_number: str, *, detail: bool = False):
    shipment = shipment_get_by_tracking(
        seller=principal.seller,
        livemode=principal.livemode,
        tracking_number=tracking_number,
        detail=detail,
    )
    if shipment is None:
        raise _not_found(
            _("No shipment %(tracking)s for this key.") % {"tracking": tracking_number[:20]}
        )
    return shipment


def _detail_response(shipment, *, status: int = 200) -> HttpResponse:
    response = json_response(
        shipment_detail(
            shipment, items=list(shipment.items.all()), events=list(shipment.events.all())
        ),
        status=status,
    )
    if status == 201:
        response["Location"] = reverse(
            "api:shipment", kwargs={"tracking_number": shipment.tracking_number}
        )
    return response


def _rendered(response: Any) -> HttpResponse:
    """A view's answer as the final bytes (what an idempotent retry gets back)."""
    if not isinstance(response, Response):
        return response
    content_type = response.content_type or "application/json"
    return HttpResponse(
        dumps(response.data), status=response.status_code, content_type=content_type
    )


# --- quotes -----------------------------------------------------------------------------
class QuoteView(ApiView):
    @extend_schema(
        operation_id="quote_create",
        summary="Price a parcel (no side effect)",
        request=s.QuoteRequestSerializer,
        responses={
            (200, "application/json"): s.QuoteSerializer,
            **_errors(400, 403, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        data = _validated(s.QuoteRequestSerializer, request.data)
        from shipments.services import parcel_build

        try:
            parcel = parcel_build(
                origin=data["origin"],
                country=data["country"],
                postcode=data["postcode"],
                state=data["state"],
                weight_g=data["weight_g"],
                dims_cm=_dims(data),
                green=data["green"],
                items=None,
            )
        except QuoteRefused as error:
            raise InvalidOrder(error.message) from None
        seller = principal.seller
        ctx = gate.context(seller=seller, store=store_for_orders(seller=seller), parcel=parcel)
        refusal = ctx.facts.quote_refusal
        if ctx.facts.quote is None:
            code = (
                "overweight"
                if refusal is not None and refusal.reason == "weight"
                else "lane_not_served"
            )
            check = gate.get(code)
            raise Problem(
                422,
                code,
                str(check.title),
                refusal.message if refusal else str(check.title),
                fix=str(check.fix),
                evidence={"country": parcel.country, "weight_g": parcel.weight_g},
            )
        return json_response(
            {
                "livemode": principal.livemode,
                "price": price_of_quote(ctx.facts.quote, ctx.facts.charge),
            }
        )


# --- shipments --------------------------------------------------------------------------
class ShipmentListView(ApiView):
    query_parameters: ClassVar[dict[str, frozenset[str]]] = {
        "get": frozenset(
            {"status", "created_after", "created_before", "order_number", "cursor", "limit"}
        )
    }

    @extend_schema(
        operation_id="shipments_list",
        summary="List shipments (newest first, cursor pages)",
        parameters=[
            OpenApiParameter("status", str, enum=ShipmentStatus.values),
            OpenApiParameter("created_after", OpenApiTypes.DATETIME),
            OpenApiParameter("created_before", OpenApiTypes.DATETIME),
            OpenApiParameter("order_number", str),
            s.PageQuerySerializer,
        ],
        responses={(200, "application/json"): s.ShipmentPageSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        params = request.query_params
        status = params.get("status", "")
        if "status" in params and status not in ShipmentStatus.values:
            raise Problem(
                400,
                "invalid_parameter",
                _("Parameter not valid"),
                _("status is one of %(values)s.") % {"values": ", ".join(ShipmentStatus.values)},
            )
        filters = ApiShipmentFilters(
            status=status,
            created_after=_datetime(params, "created_after"),
            created_before=_datetime(params, "created_before"),
            order_number=params.get("order_number", "").strip()[:64],
        )
        rows, next_cursor = shipments_page(
            seller=principal.seller,
            livemode=principal.livemode,
            filters=filters,
            after=_cursor(request),
            size=_limit(request),
        )
        return json_response(
            {
                "data": [shipment_data(row) for row in rows],
                "next_cursor": next_cursor.encode() if next_cursor else None,
                "has_more": next_cursor is not None,
            }
        )

    @extend_schema(
        operation_id="shipments_create",
        summary="Create a shipment through the order gate (Idempotency-Key required)",
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                required=True,
                description="1–255 characters; the same key and body within 24 h replays "
                "the first response.",
            )
        ],
        request=s.ShipmentRequestSerializer,
        responses={
            (201, "application/json"): s.ShipmentDetailSerializer,
            **_errors(400, 403, 409, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        key = idempotency_key(request, required=True)

        def work() -> HttpResponse:
            # A retry's replay comes before any of this (idempotent's fast path); a body
            # the schema or the domain refuses releases the key.
            data = _validated(s.ShipmentRequestSerializer, request.data)
            order = _order_input(data)
            parcel = order.parcel()
            seller = principal.seller
            shipment = shipment_create(
                seller=seller,
                store=store_for_orders(seller=seller),
                order_number=order.order_number,
                parcel=parcel,
                recipient=order.recipient,
                source="api",
                livemode=principal.livemode,
            )
            return _created_response(shipment, parcel)

        assert key is not None  # noqa: S101 - required=True raised otherwise
        return idempotent(request, principal, key, work, _rendered)


def _created_response(shipment, parcel) -> HttpResponse:
    """The new shipment as its detail, from what creation has in hand (no re-read)."""
    from shipments.services.creation import shipment_items_build

    data = shipment_detail(shipment, items=shipment_items_build(shipment, parcel.items), events=[])
    response = json_response(data, status=201)
    response["Location"] = reverse(
        "api:shipment", kwargs={"tracking_number": shipment.tracking_number}
    )
    return response


RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})"
)


def _datetime(params: Any, name: str) -> datetime.datetime | None:
    if name not in params:
        return None
    value = params.get(name, "")
    try:
        parsed = parse_datetime(value) if RFC3339.fullmatch(value) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or not 2000 <= parsed.year <= 2099:
        raise Problem(
            400,
            "invalid_parameter",
            _("Parameter not valid"),
            _("%(name)s is a date-time with its offset, e.g. 2026-08-15T10:00:00+08:00.")
            % {"name": name},
        )
    return parsed


class ShipmentDetailView(ApiView):
    @extend_schema(
        operation_id="shipments_retrieve",
        summary="One shipment with its items and tracking events",
        responses={(200, "application/json"): s.ShipmentDetailSerializer, **_errors()},
    )
    def get(self, request: Request, tracking_number: str) -> HttpResponse:
        return _detail_response(_shipment(principal_of(request), tracking_number, detail=True))


class ShipmentCancelView(ApiView):
    @extend_schema(
        operation_id="shipments_cancel",
        summary="Cancel before pickup (refunded where charged)",
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER)],
        request=s.CancelRequestSerializer,
        responses={
            (200, "application/json"): s.ShipmentDetailSerializer,
            **_errors(400, 403, 409, 413, 415, 422),
        },
    )
    def post(self, request: Request, tracking_number: str) -> HttpResponse:
        principal = principal_of(request)
        key = idempotency_key(request, required=False)
        data = _validated(s.CancelRequestSerializer, request.data or {})

        def work() -> HttpResponse:
            shipment = _shipment(principal, tracking_number)
            shipment_cancel(shipment=shipment, user=None, reason=data["reason"])
            return _detail_response(_shipment(principal, tracking_number, detail=True))

        if key is None:
            return work()
        return idempotent(request, principal, key, work, _rendered)


FORMATS = {"pdf": "application/pdf", "png": "image/png", "zpl": "application/zpl"}


class ShipmentLabelView(ApiView):
    query_parameters: ClassVar[dict[str, frozenset[str]]] = {"get": frozenset({"format"})}

    @extend_schema(
        operation_id="shipments_label",
        summary="The label: PDF (with the customs declaration), PNG 203 dpi, or ZPL II",
        parameters=[OpenApiParameter("format", str, enum=list(FORMATS), default="pdf")],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "application/zpl"): OpenApiTypes.STR,
            **_errors(400, 409),
        },
    )
    def get(self, request: Request, tracking_number: str) -> HttpResponse:
        fmt = request.query_params.get("format", "pdf")
        if fmt not in FORMATS:
            raise Problem(
                400, "invalid_parameter", _("Parameter not valid"), _("format is pdf, png or zpl.")
            )
        shipment = _shipment(principal_of(request), tracking_number, detail=True)
        if shipment.status == ShipmentStatus.CANCELLED:
            raise Problem(409, "cancelled", _("Cancelled"), _("A cancelled shipment has no label."))
        if fmt == "pdf":
            body = labels_pdf(shipments=[shipment])
        elif fmt == "png":
            body = label_png(shipment=shipment)
        else:
            body = labels_zpl(shipments=[shipment])
        response = HttpResponse(body, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'inline; filename="{shipment.tracking_number}.{fmt}"'
        return response


class ShipmentSimulateView(ApiView):
    @extend_schema(
        operation_id="shipments_simulate",
        summary="Test mode: move a test parcel to its next tracking status (webhooks fire)",
        request=s.SimulateRequestSerializer,
        responses={
            (200, "application/json"): s.ShipmentDetailSerializer,
            **_errors(400, 403, 409, 413, 415),
        },
    )
    def post(self, request: Request, tracking_number: str) -> HttpResponse:
        principal = principal_of(request)
        data = _validated(s.SimulateRequestSerializer, request.data or {})
        shipment = _shipment(principal, tracking_number)
        if principal.livemode:
            raise Problem(
                403,
                "test_mode_only",
                _("Test mode only"),
                _("Live parcels move by the carrier's scans: simulate with a jl_test_ key."),
            )
        shipment_simulate(shipment=shipment, to_status=data["status"])
        return _detail_response(_shipment(principal, tracking_number, detail=True))


class LabelsView(ApiView):
    @extend_schema(
        operation_id="labels_create",
        summary="Up to 200 labels in one PDF or ZPL file; marks them label printed",
        request=s.LabelsRequestSerializer,
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/zpl"): OpenApiTypes.STR,
            **_errors(400, 403, 409, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        data = _validated(s.LabelsRequestSerializer, request.data)
        numbers = list(dict.fromkeys(n.strip().upper() for n in data["tracking_numbers"]))
        found = shipments_by_tracking(
            seller=principal.seller, livemode=principal.livemode, tracking_numbers=numbers
        )
        missing = [n for n in numbers if n not in found]
        if missing:
            raise _not_found(
                _("No shipment for this key: %(numbers)s.") % {"numbers": ", ".join(missing[:20])}
            )
        body = shipment_labels_print(
            seller=principal.seller,
            shipment_ids=[found[n].pk for n in numbers],
            fmt=data["format"],
            max_labels=200,
        )
        return HttpResponse(body, content_type=FORMATS[data["format"]])


# --- batches ----------------------------------------------------------------------------
def _batch_results(request: Request, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for r in results:
        row: dict[str, Any] = {
            "index": r["index"],
            "order_number": r["order_number"],
            "status": r["status"],
        }
        if r["status"] == "created":
            row["tracking_number"] = r.get("tracking_number", "")
        elif r["status"] == "refused":
            from .problems import refusal_extra

            check_title = str(gate.get(r["code"]).title) if r["code"] in gate.codes() else ""
            row["problem"] = problem_body(
                request,
                status=422,
                code=r["code"],
                title=check_title,
                detail=r["detail"],
                **refusal_extra(
                    request, code=r["code"], order_number=r["order_number"], evidence=r["evidence"]
                ),
            )
        elif r["status"] == "duplicate":
            row["problem"] = problem_body(
                request,
                status=409,
                code="duplicate_order",
                title=_("A shipment for this order exists"),
                detail=r["detail"],
            )
        else:
            field = (
                f"orders[{r['index']}].{r['field']}" if r.get("field") else f"orders[{r['index']}]"
            )
            row["problem"] = problem_body(
                request,
                status=422,
                code="invalid_order",
                title=_("The order is not valid"),
                detail=r["detail"],
                errors=[{"field": field, "code": "invalid", "detail": r["detail"]}],
            )
        shown.append(row)
    return shown


class BatchCreateView(ApiView):
    @extend_schema(
        operation_id="batches_create",
        summary="Up to 1,000 orders, created by a worker; poll GET /batches/{id}",
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER)],
        request=s.BatchRequestSerializer,
        responses={
            (202, "application/json"): s.BatchSerializer,
            **_errors(400, 403, 409, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        key = idempotency_key(request, required=False)
        orders = request.data.get("orders") if isinstance(request.data, dict) else None
        if isinstance(orders, list) and len(orders) > 1000:
            raise Problem(
                422,
                "batch_too_large",
                _("Too many orders"),
                _("A batch has at most 1,000 orders (%(count)s given): split it.")
                % {"count": len(orders)},
            )
        data = _validated(s.BatchRequestSerializer, request.data)

        def work() -> HttpResponse:
            batch = shipment_batch_create(
                seller=principal.seller,
                orders=[_order_input(order) for order in data["orders"]],
                livemode=principal.livemode,
            )
            response = json_response(batch_data(batch, results=[]), status=202)
            response["Location"] = reverse("api:batch", kwargs={"pk": batch.pk})
            return response

        if key is None:
            return work()
        return idempotent(request, principal, key, work, _rendered)


class BatchDetailView(ApiView):
    @extend_schema(
        operation_id="batches_retrieve",
        summary="A batch's progress and its result per order",
        responses={(200, "application/json"): s.BatchSerializer, **_errors()},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        principal = principal_of(request)
        batch = shipment_batch_get(seller=principal.seller, livemode=principal.livemode, pk=pk)
        if batch is None:
            raise _not_found()
        return json_response(batch_data(batch, results=_batch_results(request, batch.results)))


# --- refusals and diagnosis -------------------------------------------------------------
class RefusalListView(ApiView):
    query_parameters: ClassVar[dict[str, frozenset[str]]] = {"get": frozenset({"cursor", "limit"})}

    @extend_schema(
        operation_id="refusals_list",
        summary="Orders the gate refused (newest first, cursor pages)",
        parameters=[s.PageQuerySerializer],
        responses={(200, "application/json"): s.RefusalPageSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        rows, next_cursor = refused_orders_api_page(
            seller=principal.seller,
            livemode=principal.livemode,
            after=_cursor(request),
            size=_limit(request),
        )
        titles = {check.code: str(check.title) for check in gate.checks()}
        return json_response(
            {
                "data": [
                    refusal_data(
                        r,
                        title=titles.get(r.check_code, r.check_code),
                        diagnosis=diagnosis_url(request, r.order_number),
                    )
                    for r in rows
                ],
                "next_cursor": next_cursor.encode() if next_cursor else None,
                "has_more": next_cursor is not None,
            }
        )


class DiagnoseView(ApiView):
    @extend_schema(
        operation_id="diagnose_order",
        summary="Why an order was refused (or would be now): every gate check, the root cause",
        responses={(200, "application/json"): s.DiagnosisSerializer, **_errors()},
    )
    def get(self, request: Request, order_number: str) -> HttpResponse:
        principal = principal_of(request)
        try:
            diagnosis = order_diagnose(
                seller=principal.seller,
                order_number=order_number,
                record=False,
                livemode=principal.livemode,
            )
        except OrderNotFound:
            raise _not_found(
                _("No order %(order)s for this key.") % {"order": order_number[:64]}
            ) from None
        cause = diagnosis.root_cause
        refusal = diagnosis.refusal
        titles = {check.code: str(check.title) for check in gate.checks()}
        return json_response(
            {
                "order_number": diagnosis.order_number,
                "livemode": principal.livemode,
                "found": "shipment" if diagnosis.shipment is not None else "refused",
                "tracking_number": diagnosis.shipment.tracking_number
                if diagnosis.shipment
                else None,
                "root_cause": cause.code if cause else None,
                "passes_now": diagnosis.passes,
                "refusal": refusal_data(
                    refusal,
                    title=titles.get(refusal.check_code, refusal.check_code),
                    diagnosis=diagnosis_url(request, refusal.order_number),
                )
                if refusal is not None
                else None,
                "checks": [
                    {
                        "position": o.check.position,
                        "code": o.code,
                        "title": str(o.check.title),
                        "status": str(o.status),
                        "detail": o.message if o.status == "fail" else "",
                        "evidence": o.result.evidence,
                        "fix": str(o.check.fix) if o.status == "fail" else "",
                    }
                    for o in diagnosis.result.outcomes
                ],
            }
        )


# --- billing ----------------------------------------------------------------------------
class BalanceView(ApiView):
    @extend_schema(
        operation_id="balance_retrieve",
        summary="Settlement mode, prepaid balance, the open month's charges",
        responses={(200, "application/json"): s.BalanceSerializer, **_errors()},
    )
    def get(self, request: Request) -> HttpResponse:
        seller = principal_of(request).seller
        settlement = settlement_get(seller=seller)
        return json_response(
            {
                "currency": "CNY",
                "settlement": settlement.mode,
                "balance": f"{settlement.balance:.2f}",
                "open_period_charges": f"{open_period_total(seller=seller):.2f}",
                "overdue_statement": settlement.overdue.number if settlement.overdue else None,
            }
        )


class StatementListView(ApiView):
    @extend_schema(
        operation_id="statements_list",
        summary="Monthly statements, newest first (live charges only: test mode is never billed)",
        responses={(200, "application/json"): s.StatementListSerializer, **_errors()},
    )
    def get(self, request: Request) -> HttpResponse:
        seller = principal_of(request).seller
        return json_response(
            {
                "data": [
                    {
                        "number": st.number,
                        "period": f"{st.period:%Y-%m}",
                        "issued_at": st.issued_at.isoformat(),
                        "due_date": st.due_date.isoformat(),
                        "currency": "CNY",
                        "total": f"{st.total:.2f}",
                        "paid": f"{st.paid:.2f}",
                        "outstanding": f"{st.outstanding:.2f}",
                        "state": st.state,
                        "lines": st.line_count,
                    }
                    for st in statements_for_seller(seller=seller)[:120]
                ]
            }
        )


# --- webhook endpoints ------------------------------------------------------------------
class WebhookEndpointListView(ApiView):
    @extend_schema(
        operation_id="webhook_endpoints_list",
        summary="Your webhook endpoints (of this key's mode)",
        responses={(200, "application/json"): s.WebhookEndpointListSerializer, **_errors()},
    )
    def get(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        endpoints = endpoints_for_seller(seller=principal.seller, livemode=principal.livemode)
        return json_response({"data": [endpoint_data(e) for e in endpoints]})

    @extend_schema(
        operation_id="webhook_endpoints_create",
        summary="Add an https:// endpoint; its signing secret is shown once",
        request=s.WebhookEndpointRequestSerializer,
        responses={
            (201, "application/json"): s.WebhookEndpointCreatedSerializer,
            **_errors(400, 403, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        principal = principal_of(request)
        data = _validated(s.WebhookEndpointRequestSerializer, request.data)
        try:
            endpoint, secret = endpoint_create(
                seller=principal.seller,
                url=data["url"],
                livemode=principal.livemode,
                enabled_events=data["enabled_events"],
                description=data["description"],
            )
        except WebhookError as error:
            raise Problem(
                422,
                "invalid_webhook_url",
                _("This URL cannot receive webhooks"),
                str(error.message),
                errors=[{"field": "url", "code": "invalid", "detail": str(error.message)}],
            ) from None
        return json_response({**endpoint_data(endpoint), "secret": secret}, status=201)


def _endpoint(principal: Principal, pk: int) -> WebhookEndpoint:
    endpoint = endpoint_get_for_seller(seller=principal.seller, pk=pk, livemode=principal.livemode)
    if endpoint is None:
        raise _not_found()
    return endpoint


class WebhookEndpointDetailView(ApiView):
    @extend_schema(
        operation_id="webhook_endpoints_destroy",
        summary="Delete an endpoint: nothing more is sent to it",
        responses={204: None, **_errors(403)},
    )
    def delete(self, request: Request, pk: int) -> HttpResponse:
        endpoint_delete(endpoint=_endpoint(principal_of(request), pk))
        return HttpResponse(status=204)


class WebhookDeliveryListView(ApiView):
    query_parameters: ClassVar[dict[str, frozenset[str]]] = {"get": frozenset({"cursor", "limit"})}

    @extend_schema(
        operation_id="webhook_deliveries_list",
        summary="An endpoint's deliveries, newest first, each with its attempts (cursor pages)",
        parameters=[s.PageQuerySerializer],
        responses={(200, "application/json"): s.WebhookDeliveryPageSerializer, **_errors(400)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        endpoint = _endpoint(principal_of(request), pk)
        cursor = _cursor(request)
        rows, last = deliveries_page(
            endpoint=endpoint,
            after=(cursor.created_at, cursor.id) if cursor else None,
            size=_limit(request),
        )
        return json_response(
            {
                "data": [delivery_data(row) for row in rows],
                "next_cursor": Cursor(created_at=last[0], id=last[1]).encode() if last else None,
                "has_more": last is not None,
            }
        )


class WebhookDeliveryResendView(ApiView):
    @extend_schema(
        operation_id="webhook_deliveries_resend",
        summary="Send a delivery again now: the same event id and body, a new attempt",
        request=None,
        responses={(202, "application/json"): s.WebhookDeliverySerializer, **_errors(403)},
    )
    def post(self, request: Request, pk: int, delivery_pk: int) -> HttpResponse:
        endpoint = _endpoint(principal_of(request), pk)
        delivery = delivery_of_endpoint(endpoint=endpoint, pk=delivery_pk)
        if delivery is None:
            raise _not_found()
        delivery_resend(delivery=delivery)
        resent = delivery_of_endpoint(endpoint=endpoint, pk=delivery_pk)
        if resent is None:  # the endpoint was deleted meanwhile
            raise _not_found()
        return json_response(delivery_data(resent), status=202)


class WebhookEndpointRotateView(ApiView):
    @extend_schema(
        operation_id="webhook_endpoints_rotate_secret",
        summary="A new signing secret, shown once; the old one still signs for 24 h",
        description=(
            "For 24 hours every attempt carries two signatures in `webhook-signature`, one "
            "under each secret, so your receiver can switch to the new secret whenever it "
            "likes. Rotating again drops the older secret at once."
        ),
        request=None,
        responses={(200, "application/json"): s.WebhookEndpointCreatedSerializer, **_errors(403)},
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        endpoint = _endpoint(principal_of(request), pk)
        secret = endpoint_secret_rotate(endpoint=endpoint)
        return json_response({**endpoint_data(endpoint), "secret": secret})
