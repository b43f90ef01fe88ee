import pytest
from celery import Celery
from django.conf import settings
from django.test import override_settings

from portal import health

pytestmark = pytest.mark.django_db


@pytest.mark.worker
def test_healthz_is_ok_when_every_component_is_up(client, celery_worker):
    response = client.get("/healthz")

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

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["components"]["celery"]["status"] == "error"
    assert "no Celery worker answered" in body["components"]["celery"]["error"]
    assert body["components"]["database"]["status"] == "ok"


def test_healthz_is_503_when_redis_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    redis_state = response.json()["components"]["redis"]
    assert redis_state["status"] == "error"
    assert "ConnectionError" in redis_state["error"]


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(
        health, "celery_app", Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["components"]["celery"]["status"] == "error"
