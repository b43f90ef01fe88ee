"""The isolation sweep: every seller URL, walked from the URL configuration itself.

Anonymous visitors are sent to login; a seller asking for another seller's object gets
404; staff are kept out of seller pages. A new seller URL that takes an object id must
be added to OBJECT_URLS, or this sweep fails and says so.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from tests.accounts.factories import SellerUserFactory
from tests.onboarding.factories import ApplicationFactory, upload_document
from tests.shipments.factories import create_shipment, store_ready
from tests.shipments.import_files import import_with_report

pytestmark = pytest.mark.django_db

SELLER_NAMESPACES = {
    "portal",
    "accounts",
    "onboarding",
    "pricing",
    "shipments",
    "billing",
    "diagnostics",
    "stores",
    "notifications",
    "developers",
    "inventory",
}
PUBLIC = {
    "portal:home",
    "portal:healthz",
    # The carrier's webhook: no login, an HMAC signature instead (tests/shipments/test_webhook.py).
    "shipments:carrier_webhook",
}


# URL name → function(owner user) returning the kwargs of an object that user's seller owns.
def _application(owner):
    return {"pk": ApplicationFactory(seller=owner.seller).pk}


def _member(owner):
    member = SellerUserFactory(seller=owner.seller, seller_role=User.SellerRole.MEMBER)
    return {"pk": member.pk}


def _statement(owner):
    from tests.billing.test_exports import monthly_statement

    return {"pk": monthly_statement(seller=owner.seller)[0].pk}


def _shipment(owner):
    return {"pk": create_shipment(store_ready(seller=owner.seller)).pk}


def _store(owner):
    return {"pk": store_ready(seller=owner.seller, bound=False).pk}


def _notification(owner):
    from notifications.services import notification_send

    notice = notification_send(
        seller=owner.seller,
        kind="store_bound",
        key=f"isolation:{owner.pk}",
        params={"store": "1", "platform": "Lazada", "reference": "JL-1"},
    )
    return {"pk": notice.pk}


def _api_key(owner):
    from api.models import ApiKey
    from tests.api.factories import api_key

    api_key(owner.seller)
    return ApiKey.objects.filter(seller=owner.seller).latest("pk")


def _endpoint(owner):
    from webhooks.services import endpoint_create

    return endpoint_create(seller=owner.seller, url="http://127.0.0.1:9/hooks", livemode=True)[0]


def _delivery(owner):
    from webhooks.models import WebhookDelivery
    from webhooks.services import webhook_emit

    _endpoint(owner)
    webhook_emit(seller_id=owner.seller.pk, livemode=True, type="balance.low", data={})
    return WebhookDelivery.objects.filter(endpoint__seller=owner.seller).latest("pk")


def _inventory(kind):
    """An object of the owner's stock: its stock row, SKU, inbound notice, lock, routed order."""

    def make(owner):
        from tests.inventory import scenarios

        return {"pk": scenarios.owned(owner.seller)[kind]}

    return make


OBJECT_URLS = {
    "accounts:team_member_active": _member,
    "onboarding:document_download": lambda owner: {"pk": upload_document(user=owner).pk},
    "onboarding:application": _application,
    "onboarding:documents": _application,
    "onboarding:progress": _application,
    "onboarding:step": lambda owner: {**_application(owner), "step": "company"},
    "onboarding:letter": lambda owner: {**_application(owner), "kind": "authorisation"},
    # POST-only: a GET by anyone is 405 after the seller check, so the sweep asserts on 405.
    "onboarding:submit": _application,
    "onboarding:id_renewal": _application,  # a draft: 302 to its documents for the owner
    "shipments:import": import_with_report,
    "shipments:import_progress": import_with_report,
    "shipments:import_report": import_with_report,
    "shipments:import_confirm": import_with_report,
    "shipments:import_discard": import_with_report,
    "shipments:detail": _shipment,
    "shipments:cancel": _shipment,
    "billing:statement": _statement,
    "inventory:movements": _inventory("stock"),
    "inventory:sku": _inventory("sku"),
    "inventory:inbound_detail": _inventory("inbound"),
    "inventory:lock_release": _inventory("lock"),
    "inventory:order": _inventory("order"),
    "inventory:order_cancel": _inventory("order"),
    "billing:statement_download": lambda owner: {**_statement(owner), "fmt": "pdf"},
    "stores:detail": _store,
    "stores:binding_claim": _store,
    "notifications:open": _notification,
    "developers:key_revoke": lambda owner: {"pk": _api_key(owner).pk},
    "developers:webhook_delete": lambda owner: {"pk": _endpoint(owner).pk},
    "developers:webhook_enable": lambda owner: {"pk": _endpoint(owner).pk},
    "developers:delivery_resend": lambda owner: {"pk": _delivery(owner).pk},
}
POST_ONLY = {
    "onboarding:submit",
    "onboarding:application_new",
    "accounts:team_member_active",
    "shipments:cancel",
    "shipments:import_confirm",
    "shipments:import_discard",
    "billing:settlement_switch",
    "billing:low_balance_alert",
    "stores:binding_claim",
    "notifications:open",
    "notifications:mark_all_read",
    "inventory:lock_release",
    "inventory:order_cancel",
    # Takes the shipment ids in the body; another seller's id → 404 (test_labels.py).
    "shipments:labels",
    "developers:key_revoke",
    "developers:webhook_delete",
    "developers:webhook_enable",
    "developers:delivery_resend",
}


def _seller_url_names() -> list[tuple[str, list[str]]]:
    names = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace in SELLER_NAMESPACES:
                full = f"{namespace}:{entry.name}"
                if full not in PUBLIC:
                    names.append((full, list(entry.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return names


SELLER_URLS = _seller_url_names()


def test_the_sweep_sees_every_seller_area():
    names = {name for name, _ in SELLER_URLS}
    assert {"portal:dashboard", "onboarding:index", "shipments:index", "billing:index"} <= names
    assert "diagnostics:index" in names
    missing = [name for name, params in SELLER_URLS if params and name not in OBJECT_URLS]
    assert missing == [], f"add these object URLs to OBJECT_URLS: {missing}"


def _url(name, params, owner):
    return reverse(name, kwargs=OBJECT_URLS[name](owner) if params else None)


@pytest.mark.parametrize(("name", "params"), SELLER_URLS, ids=[n for n, _ in SELLER_URLS])
def test_anonymous_visitors_are_sent_to_login(client, seller_user, name, params):
    url = _url(name, params, seller_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('account_login')}?next=")


@pytest.mark.parametrize(
    ("name", "params"),
    [(n, p) for n, p in SELLER_URLS if p],
    ids=[n for n, p in SELLER_URLS if p],
)
def test_a_seller_cannot_open_another_sellers_objects(
    client, seller_user, other_seller_user, name, params
):
    url = _url(name, params, seller_user)
    request = client.post if name in POST_ONLY else client.get
    client.force_login(seller_user)
    assert request(url).status_code in (200, 302)

    client.force_login(other_seller_user)
    assert request(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "params"),
    [(n, p) for n, p in SELLER_URLS if not p],
    ids=[n for n, p in SELLER_URLS if not p],
)
def test_staff_are_kept_out_of_seller_pages(client, ops_user, name, params):
    client.force_login(ops_user)

    response = (client.post if name in POST_ONLY else client.get)(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == f"/{settings.ADMIN_URL}"


def test_seller_pages_show_only_the_sellers_own_applications(
    client, seller_user, other_seller_user
):
    mine = ApplicationFactory(seller=seller_user.seller, company_name="我的公司有限公司")
    ApplicationFactory(seller=other_seller_user.seller, company_name="别人的公司有限公司")
    client.force_login(seller_user)

    html = client.get(reverse("onboarding:index")).content.decode()

    assert "我的公司有限公司" in html
    assert mine.reference in html
    assert "别人的公司有限公司" not in html


# --- the seller API: every route of the "api" namespace, with two sellers' keys ------------
def _api_routes() -> list[tuple[str, list[str]]]:
    routes = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace == "api":
                routes.append((f"api:{entry.name}", list(entry.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return routes


API_ROUTES = _api_routes()
API_PUBLIC = {"api:schema", "api:docs", "api:redoc"}  # the reference, no data
# route → (method, body) of a request that seller A may make on A's object.
API_METHODS = {
    "api:quotes": ("post", {"country": "US", "postcode": "94105", "weight_g": 500}),
    "api:shipments": ("get", None),
    "api:shipment": ("get", None),
    "api:shipment_cancel": ("post", {}),
    "api:shipment_label": ("get", None),
    "api:shipment_simulate": ("post", {}),
    "api:labels": ("post", None),
    "api:batches": ("get", None),
    "api:batch": ("get", None),
    "api:refusals": ("get", None),
    "api:diagnose": ("get", None),
    "api:balance": ("get", None),
    "api:statements": ("get", None),
    "api:webhook_endpoints": ("get", None),
    "api:webhook_endpoint": ("delete", None),
    "api:webhook_endpoint_rotate": ("post", None),
    "api:webhook_deliveries": ("get", None),
    "api:webhook_delivery_resend": ("post", None),
}


def _api_objects(seller, client):
    """Seller A's objects, made through A's own (test-mode) key."""
    import uuid

    from shipments.models import ShipmentBatch
    from tests.api.factories import order
    from webhooks.models import WebhookDelivery

    body = order()
    # the endpoint first: the shipment's creation is then delivered to it
    endpoint = client.post("/api/v1/webhook-endpoints", {"url": "http://127.0.0.1:9/h"}).json()
    created = client.post("/api/v1/shipments", body, **{"Idempotency-Key": str(uuid.uuid4())})
    tracking = created.json()["tracking_number"]
    batch = client.post("/api/v1/batches", {"orders": [order()]}).json()["id"]
    assert ShipmentBatch.objects.filter(pk=batch, seller=seller).exists()
    delivery = WebhookDelivery.objects.filter(endpoint_id=endpoint["id"]).first()
    assert delivery is not None
    return {
        "tracking_number": tracking,
        "pk": batch,
        "order_number": body["order_number"],
        "endpoint": endpoint["id"],
        "delivery_pk": delivery.pk,
    }


def test_the_api_sweep_covers_every_api_route():
    names = {name for name, _ in API_ROUTES} - API_PUBLIC
    assert names == set(API_METHODS), (
        f"add these API routes to API_METHODS: {names ^ set(API_METHODS)}"
    )


@pytest.mark.parametrize(("name", "params"), API_ROUTES, ids=[n for n, _ in API_ROUTES])
def test_a_sellers_key_never_reaches_another_sellers_data(name, params):
    from tests.api.conftest import ApiClient
    from tests.api.factories import api_key
    from tests.billing.factories import instant_store

    if name in API_PUBLIC:
        assert ApiClient(None).get(reverse(name)).status_code == 200
        return
    mine = instant_store(balance="500.00")
    theirs = instant_store(balance="500.00")
    owner = ApiClient(api_key(mine.seller, live=False))
    other = ApiClient(api_key(theirs.seller, live=False))
    objects = _api_objects(mine.seller, owner)
    kwargs = {}
    for param in params:
        endpoint = param == "pk" and name.startswith("api:webhook_")
        kwargs[param] = objects["endpoint"] if endpoint else objects[param]
    url = reverse(name, kwargs=kwargs)
    method, body = API_METHODS[name]
    if name == "api:labels":
        body = {"tracking_numbers": [objects["tracking_number"]]}

    def call(client):
        if method == "get":
            return client.get(url)
        if method == "delete":
            return client.delete(url)
        return client.post(url, body or {})

    assert call(ApiClient(None)).status_code == 401
    if params or name == "api:labels":
        response = call(other)
        assert response.status_code == 404, (name, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert call(owner).status_code in (200, 202, 204)
    else:
        text = call(other).content.decode()
        for value in (objects["tracking_number"], objects["order_number"]):
            assert value not in text, name
