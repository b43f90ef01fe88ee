"""Every bad input of the issue gets its exact problem+json, and changes nothing."""

import json
import uuid

import pytest
from django.test import Client

from api.models import ApiKey, IdempotencyRecord
from api.services import api_key_revoke
from billing.models import LedgerEntry
from shipments.models import RefusedOrder, Shipment, ShipmentBatch
from tests.billing.factories import instant_store
from webhooks.models import WebhookEndpoint

from .conftest import ApiClient
from .factories import api_key, order

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _counts():
    return (
        Shipment.objects.count(),
        RefusedOrder.objects.count(),
        ShipmentBatch.objects.count(),
        WebhookEndpoint.objects.count(),
        LedgerEntry.objects.count(),
        IdempotencyRecord.objects.filter(completed=True).count(),
    )


@pytest.fixture
def nothing_changes(store):
    before = _counts()
    yield
    assert _counts() == before


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert body["title"] and body["detail"]
    assert body["instance"].startswith("/api/")
    return body


def _create(client, body, key=None, **headers):
    return client.post(
        "/api/v1/shipments", body, **{"Idempotency-Key": key or str(uuid.uuid4()), **headers}
    )


def test_no_key(store, nothing_changes):
    response = _create(ApiClient(None), order())
    _problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_key(store, nothing_changes):
    _problem(_create(ApiClient("jl_live_not-a-real-key"), order()), 401, "invalid_key")
    _problem(_create(ApiClient("Basic abc"), order()), 401, "invalid_key")


def test_a_malformed_authorization_header(store, nothing_changes):
    client = Client()
    response = client.get("/api/v1/shipments", HTTP_AUTHORIZATION="Token abc")
    _problem(response, 401, "invalid_key")


def test_a_revoked_key(store, nothing_changes):
    secret = api_key(store.seller)
    api_key_revoke(key=ApiKey.objects.get(seller=store.seller))
    _problem(_create(ApiClient(secret), order()), 401, "revoked_key")


def test_a_read_only_key_writing(store, nothing_changes):
    client = ApiClient(api_key(store.seller, read_only=True))
    _problem(_create(client, order()), 403, "read_only_key")
    assert client.get("/api/v1/shipments").status_code == 200


def test_a_signed_in_staff_user_gets_nothing_without_a_key(client, ops_user, nothing_changes):
    client.force_login(ops_user)
    _problem(client.get("/api/v1/shipments"), 401, "not_authenticated")


def test_another_sellers_tracking_number_is_404_never_403(live):
    other = instant_store(balance="100.00")
    theirs = ApiClient(api_key(other.seller))
    tracking = _create(theirs, order()).json()["tracking_number"]
    before = _counts()
    for path in ("", "/label", "/cancel", "/simulate"):
        method = live.post if path in ("/cancel", "/simulate") else live.get
        _problem(method(f"/api/v1/shipments/{tracking}{path}"), 404, "not_found")
    assert _counts() == before
    assert Shipment.objects.get(tracking_number=tracking).status == "created"


def test_missing_idempotency_key(live, nothing_changes):
    response = live.post("/api/v1/shipments", order())
    _problem(response, 400, "idempotency_key_missing")


def test_malformed_json(live, nothing_changes):
    response = live.post(
        "/api/v1/shipments", raw=b'{"order_number": "A-1",', **{"Idempotency-Key": "k1"}
    )
    _problem(response, 400, "malformed_json")


def test_not_json(live, nothing_changes):
    response = live.post(
        "/api/v1/shipments", raw=b"order=1", content_type="text/plain", **{"Idempotency-Key": "k"}
    )
    _problem(response, 415, "unsupported_media_type")


def test_1001_orders_in_a_batch(live, nothing_changes):
    body = {"orders": [order() for _ in range(1001)]}
    problem = _problem(live.post("/api/v1/batches", body), 422, "batch_too_large")
    assert "1001" in problem["detail"] or "1,001" in problem["detail"]


def test_a_10_mb_body(live, nothing_changes):
    big = order(recipient={**order()["recipient"], "address2": "x" * (10 * 1024 * 1024)})
    response = live.post(
        "/api/v1/shipments", raw=json.dumps(big).encode(), **{"Idempotency-Key": "big"}
    )
    _problem(response, 413, "request_too_large")


def test_unknown_fields_are_refused_and_named(live, nothing_changes):
    body = order(weigth_g=500)
    body["items"][0]["colour"] = "red"
    problem = _problem(_create(live, body), 400, "invalid_request")
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"weigth_g", "items[0].colour"}
    assert all(
        error["detail"] == "Unknown field." or error["detail"] for error in problem["errors"]
    )


def test_a_field_the_schema_refuses_is_named_with_its_item(live, nothing_changes):
    body = order(items=[dict(order()["items"][0]), {**order()["items"][0], "quantity": 0}])
    problem = _problem(_create(live, body), 400, "invalid_request")
    assert [error["field"] for error in problem["errors"]] == ["items[1].quantity"]


@pytest.mark.parametrize(
    ("language", "blank", "minimum"),
    [
        ("zh-CN", "该字段不能为空。", "请确保该值大于或者等于 1。"),
        ("en", "This field may not be blank.", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_field_errors_speak_the_callers_language(live, nothing_changes, language, blank, minimum):
    """REST framework's own messages too (its catalogue is not loaded: ours has them)."""
    body = order(items=[{**order()["items"][0], "quantity": 0, "description": ""}])
    problem = _problem(_create(live, body, **{"Accept-Language": language}), 400, "invalid_request")
    details = {error["field"]: error["detail"] for error in problem["errors"]}
    assert details == {"items[0].description": blank, "items[0].quantity": minimum}


def test_a_value_the_domain_refuses_is_named_with_its_item(live, nothing_changes):
    body = order(items=[dict(order()["items"][0]), {**order()["items"][0], "hs_code": "12"}])
    problem = _problem(_create(live, body), 422, "invalid_order")
    assert problem["errors"][0]["field"] == "items[1].hs_code"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/hooks",
        "https://10.0.0.5/hooks",
        "https://[::1]/hooks",
        "ftp://example.com/hooks",
    ],
)
def test_webhook_urls_into_private_networks(live, settings, url, nothing_changes):
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    response = live.post("/api/v1/webhook-endpoints", {"url": url})
    problem = _problem(response, 422, "invalid_webhook_url")
    assert problem["errors"][0]["field"] == "url"


def test_a_name_resolving_to_a_private_address(live, settings, monkeypatch, nothing_changes):
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    monkeypatch.setattr("webhooks.addresses.resolve", lambda host, port: ["192.168.1.10"])
    problem = _problem(
        live.post("/api/v1/webhook-endpoints", {"url": "https://erp.example.com/hooks"}),
        422,
        "invalid_webhook_url",
    )
    assert "192.168.1.10" in problem["detail"]


def test_an_unknown_url_under_api_is_a_problem(live, nothing_changes):
    _problem(live.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_method_not_allowed(live, nothing_changes):
    _problem(live.delete("/api/v1/shipments"), 405, "method_not_allowed")


def test_rate_limit_with_retry_after(live, settings, nothing_changes):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    assert live.get("/api/v1/balance").status_code == 200
    assert live.get("/api/v1/balance").status_code == 200
    response = live.get("/api/v1/balance")
    _problem(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 61


def test_bad_query_parameters(live, nothing_changes):
    _problem(live.get("/api/v1/shipments", {"status": "lost"}), 400, "invalid_parameter")
    _problem(
        live.get("/api/v1/shipments", {"created_after": "yesterday"}), 400, "invalid_parameter"
    )
    _problem(live.get("/api/v1/shipments", {"cursor": "x.y"}), 400, "invalid_cursor")
    _problem(live.get("/api/v1/shipments", {"limit": "1000"}), 400, "invalid_parameter")


def _create_at(client, path):
    return client.post(path, order(), **{"Idempotency-Key": str(uuid.uuid4())})


def test_unknown_query_parameters_are_refused_and_named(live, nothing_changes):
    """A mistyped filter must not answer with every shipment: unknown parameters are named,
    on lists, on reads that take none and on writes."""
    problem = _problem(
        live.get("/api/v1/shipments", {"stauts": "delivered"}), 400, "unknown_parameter"
    )
    assert problem["parameters"] == ["stauts"]
    assert "stauts" in problem["detail"] and "status" in problem["detail"]
    problem = _problem(
        live.client.get("/api/v1/balance?=0.0", **live._headers({})), 400, "unknown_parameter"
    )
    assert problem["parameters"] == [""]
    _problem(live.get("/api/v1/refusals", {"page": "2"}), 400, "unknown_parameter")
    _problem(_create_at(live, "/api/v1/shipments?dry_run=1"), 400, "unknown_parameter")
    assert live.get("/api/v1/shipments", {"status": "delivered", "limit": "5"}).status_code == 200


def test_a_request_without_a_key_is_401_before_its_parameters_are_read(store, nothing_changes):
    _problem(ApiClient(None).get("/api/v1/shipments", {"stauts": "x"}), 401, "not_authenticated")


def test_each_operations_query_parameters_are_its_schemas():
    """``ApiView.query_parameters`` and the OpenAPI schema name the same parameters."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    checked = 0
    for path, operations in schema["paths"].items():
        view = resolve(
            path.replace("{tracking_number}", "LT1CN")
            .replace("{order_number}", "A1")
            .replace("{id}", "1")
            .replace("{pk}", "1")
            .replace("{delivery_pk}", "1")
        ).func.view_class
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert view.query_parameters.get(method, frozenset()) == declared, (path, method)
            checked += 1
    assert checked == 20  # every operation of v1


def test_an_unknown_label_format(live):
    tracking = _create(live, order()).json()["tracking_number"]
    _problem(
        live.get(f"/api/v1/shipments/{tracking}/label", {"format": "gif"}), 400, "invalid_parameter"
    )
