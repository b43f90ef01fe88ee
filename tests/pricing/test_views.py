from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from pricing import views
from tests.shipments.factories import store_ready

pytestmark = pytest.mark.django_db

URL = reverse("pricing:quote")
ARTICLE = {"origin": "east", "country": "US", "postcode": "94105", "weight_g": "500"}


@pytest.fixture
def en_seller(seller_client, monkeypatch):
    seller_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    monkeypatch.setattr(views, "today_shanghai", lambda: date(2024, 8, 15))
    return seller_client


def test_the_seller_sees_the_empty_form_and_the_score_note(en_seller):
    html = en_seller.get(URL).content.decode()

    assert 'id="quote-form"' in html
    assert "a fulfilment score of 100" in html
    assert 'id="quote-result"' not in html
    assert '<option value="US">United States (US)</option>' in html
    assert '<option value="RU">Russia (RU)</option>' in html


def test_the_seller_gets_a_quote(en_seller, django_assert_max_num_queries):
    en_seller.get(URL)  # warm the pricing cache and the session

    with django_assert_max_num_queries(6):
        response = en_seller.get(URL, ARTICLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="quote-total">¥28.50<' in html
    assert "Chargeable weight 500 g (band up to 500 g)" in html


def test_the_quote_uses_the_store_s_own_fulfilment_score(en_seller, seller_user):
    store_ready(seller=seller_user.seller, score="95.00")

    html = en_seller.get(URL, ARTICLE).content.decode()

    # 28.50 × (1 + 5 × 0.0015) = 28.71375 → ¥28.71
    assert "your store's current fulfilment score, 95.00" in html
    assert 'id="quote-total">¥28.71<' in html


def test_dimensions_and_green_discount(en_seller):
    html = en_seller.get(
        URL, {**ARTICLE, "length_cm": "30", "width_cm": "20", "height_cm": "10", "green": "on"}
    ).content.decode()

    # 37.20 × 0.97 = 36.084
    assert 'id="quote-total">¥36.08<' in html
    assert "¥-1.12" in html


def test_a_refused_destination_shows_the_reason(en_seller):
    html = en_seller.get(URL, {**ARTICLE, "country": "RU", "postcode": ""}).content.decode()

    assert 'id="quote-refusal"' in html
    assert "No line serves Russia" in html
    assert 'id="quote-result"' not in html


def test_incomplete_dimensions_are_a_form_error(en_seller):
    html = en_seller.get(URL, {**ARTICLE, "length_cm": "30"}).content.decode()

    assert "Give all three dimensions" in html
    assert 'id="quote-result"' not in html


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL, ARTICLE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_are_sent_to_the_admin(client, ops_user):
    client.force_login(ops_user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/{settings.ADMIN_URL}"


def test_the_calculator_writes_nothing(seller_client):
    assert seller_client.post(URL, ARTICLE).status_code == 405


def test_the_billing_page_links_to_the_calculator(seller_client):
    html = seller_client.get(reverse("billing:index")).content.decode()

    assert f'href="{URL}"' in html
