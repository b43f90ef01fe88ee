import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_bootstrap_comes_from_our_own_static_files_not_a_cdn(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in html
    # no stylesheet or script from another host (a bare "cdn" is no test: the page's CSRF
    # token is random and sometimes holds those three letters)
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    assert "https://" not in html


@pytest.mark.parametrize("url", ["shipments:index", "billing:index", "diagnostics:index"])
def test_every_seller_area_is_open(seller_client, url):
    response = seller_client.get(reverse(url))

    assert response.status_code == 200
    assert "尚未开放" not in response.content.decode()


def test_navigation_links_every_seller_area(seller_client):
    html = seller_client.get(reverse("portal:dashboard")).content.decode()

    for name in ("portal:dashboard", "onboarding:index", "shipments:index", "billing:index"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("diagnostics:index")}"' in html


def test_home_sends_a_signed_in_seller_to_the_dashboard(seller_client):
    response = seller_client.get(reverse("portal:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
