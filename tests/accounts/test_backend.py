"""The authentication backend loads a signed-in user's seller with the user: one query for
both on every page, and everything else as Django's ModelBackend does it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import SellerModelBackend

from .factories import PASSWORD, SellerUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_reads_the_user_and_the_seller_in_one_query(client):
    user = SellerUserFactory(email="boss@example.cn", seller__company_name="深圳一号跨境有限公司")
    response = client.post(
        reverse("account_login"), {"login": "boss@example.cn", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("portal:dashboard")).content.decode()

    assert "深圳一号跨境有限公司" in html  # the heading and the navigation show the seller
    user_queries = [q["sql"] for q in queries.captured_queries if "accounts_" in q["sql"]]
    assert len(user_queries) == 1
    assert 'FROM "accounts_user" LEFT OUTER JOIN "accounts_seller"' in user_queries[0]


def test_get_user_returns_the_user_with_the_seller_loaded():
    user = SellerUserFactory()

    loaded = SellerModelBackend().get_user(user.pk)

    assert loaded == user
    with CaptureQueriesContext(connection) as queries:
        assert loaded.seller.company_name == user.seller.company_name
    assert queries.captured_queries == []


def test_a_staff_user_without_a_seller_is_loaded_too():
    staff = StaffUserFactory()

    loaded = SellerModelBackend().get_user(staff.pk)

    assert loaded == staff
    assert loaded.seller is None


def test_an_inactive_or_unknown_user_is_nobody():
    user = SellerUserFactory(is_active=False)

    assert SellerModelBackend().get_user(user.pk) is None
    assert SellerModelBackend().get_user(user.pk + 1000) is None


def test_a_switched_off_member_is_signed_out_on_the_next_page(client):
    user = SellerUserFactory()
    client.force_login(user, backend="accounts.backends.SellerModelBackend")
    assert client.get(reverse("portal:dashboard")).status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
