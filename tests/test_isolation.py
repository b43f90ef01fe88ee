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
    "billing:statement_download": lambda owner: {**_statement(owner), "fmt": "pdf"},
    "stores:detail": _store,
    "stores:binding_claim": _store,
    "notifications:open": _notification,
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
    # Takes the shipment ids in the body; another seller's id → 404 (test_labels.py).
    "shipments:labels",
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
