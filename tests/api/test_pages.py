"""The owner's pages: a key shown once and revoked; a webhook endpoint made with its secret
shown once, its deliveries listed and resent; a team member who is not the owner refused."""

import pytest
from django.urls import reverse

from accounts.models import User
from api.models import ApiKey
from tests.accounts.factories import SellerUserFactory
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_emit

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_then_only_its_prefix(seller_client, seller_user):
    response = seller_client.post(
        reverse("developers:keys"), {"name": "店小秘", "mode": "test", "scope": "write"}
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(seller=seller_user.seller)
    secret = response.context["shown"].secret
    assert secret.startswith("jl_test_") and secret in response.content.decode()
    page = seller_client.get(reverse("developers:keys")).content.decode()
    assert secret not in page and f"{key.prefix}…" in page
    seller_client.post(reverse("developers:key_revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_an_endpoint_its_deliveries_and_resend(seller_client, seller_user, settings):
    settings.WEBHOOKS_ALLOW_LOCALHOST = True
    response = seller_client.post(
        reverse("developers:webhooks"),
        {"url": "http://127.0.0.1:9/hooks", "mode": "live", "enabled_events": ["balance.low"]},
    )
    assert response.status_code == 200
    assert response.context["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(seller=seller_user.seller)
    assert endpoint.enabled_events == ["balance.low"]
    webhook_emit(seller_id=seller_user.seller.pk, livemode=True, type="balance.low", data={})
    delivery = WebhookDelivery.objects.get()
    page = seller_client.get(reverse("developers:webhooks")).content.decode()
    assert delivery.event.public_id in page
    assert response.context["secret"] not in page
    seller_client.post(reverse("developers:delivery_resend", args=[delivery.pk]))
    seller_client.post(reverse("developers:webhook_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.objects.exists()


def test_a_private_url_is_refused_on_its_field(seller_client, settings):
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    response = seller_client.post(
        reverse("developers:webhooks"), {"url": "https://169.254.169.254/", "mode": "live"}
    )
    assert "169.254.169.254" in str(response.context["form"].errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_a_team_member_who_is_not_the_owner_is_refused(client, seller_user):
    member = SellerUserFactory(seller=seller_user.seller, seller_role=User.SellerRole.MEMBER)
    client.force_login(member)
    assert client.get(reverse("developers:keys")).status_code == 403
    assert client.get(reverse("developers:webhooks")).status_code == 403
