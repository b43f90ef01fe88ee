import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_is_chinese_by_default_even_for_an_english_browser(seller_client):
    response = seller_client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "控制台" in html
    assert "运单" in html
    assert "Dashboard" not in html


def test_the_switcher_turns_the_portal_english_and_back(seller_client):
    switched = seller_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("portal:dashboard")}
    )
    assert switched.status_code == 302
    assert switched["Location"] == reverse("portal:dashboard")

    english = seller_client.get(reverse("portal:dashboard")).content.decode()
    assert '<html lang="en">' in english
    assert "Dashboard" in english
    assert "Shipments" in english
    assert "控制台" not in english

    seller_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "控制台" in seller_client.get(reverse("portal:dashboard")).content.decode()


def test_every_page_offers_the_switcher(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'id="language-switcher"' in html
    assert 'value="en" lang="en"' in html
    assert 'value="zh-hans" lang="zh-hans"' in html
    assert ">English</button>" in html
    assert ">简体中文</button>" in html


def test_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
