import pytest
from celery import Celery
from django.conf import settings
from django.test import override_settings

from portal import health

pytestmark = pytest.mark.django_db

TOKEN = "monitor-token-7f3a"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


def get(client, **headers):
    """``/healthz`` as the monitor asks for it: with its token, so the components show."""
    return client.get("/healthz", headers={"Authorization": f"Bearer {TOKEN}", **headers})


@pytest.mark.worker
def test_healthz_is_ok_when_every_component_is_up(client, celery_worker):
    response = get(client)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["components"]) == {"database", "redis", "storage", "celery"}
    assert {c["status"] for c in body["components"].values()} == {"ok"}
    assert body["components"]["storage"]["backend"] == "FileSystemStorage"
    assert any(w.startswith("pytest-") for w in body["components"]["celery"]["workers"])


def test_healthz_is_503_when_no_worker_answers(client, monkeypatch):
    # A broker database that no worker listens on: not the test run's own.
    own_db = int(settings.REDIS_URL.rsplit("/", 1)[1])
    idle = f"redis://127.0.0.1:6379/{(own_db + 8) % 16}"
    monkeypatch.setattr(health, "celery_app", Celery(broker=idle, set_as_current=False))

    response = get(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["components"]["celery"]["status"] == "error"
    assert "no Celery worker answered" in body["components"]["celery"]["error"]
    assert body["components"]["database"]["status"] == "ok"


def test_healthz_is_503_when_redis_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = get(client)

    assert response.status_code == 503
    redis_state = response.json()["components"]["redis"]
    assert redis_state["status"] == "error"
    assert "ConnectionError" in redis_state["error"]


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(
        health, "celery_app", Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    )

    response = get(client)

    assert response.status_code == 503
    assert response.json()["components"]["celery"]["status"] == "error"


def test_the_public_gets_the_status_only(client, monkeypatch):
    monkeypatch.setattr(
        health, "celery_app", Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    )
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


@pytest.mark.parametrize(
    "authorization", ["", "Bearer wrong-token", f"Basic {TOKEN}", "Bearer ", TOKEN]
)
def test_a_wrong_or_missing_token_gets_the_status_only(client, authorization):
    response = client.get("/healthz", headers={"Authorization": authorization})
    assert set(response.json()) == {"status"}


def test_without_a_configured_token_no_token_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get("/healthz", headers={"Authorization": "Bearer "})
    assert set(response.json()) == {"status"}


def test_staff_and_the_token_see_the_components(client, ops_user, seller_user):
    client.force_login(seller_user)
    assert set(client.get("/healthz").json()) == {"status"}  # a seller is the public here
    client.force_login(ops_user)
    assert set(client.get("/healthz").json()) == {"status", "components"}
    client.logout()
    assert set(get(client).json()) == {"status", "components"}
