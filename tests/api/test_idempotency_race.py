"""Two threads racing one Idempotency-Key, each on its own database connection: one
shipment, one charge. The first holds its work open until the second has its answer, so
the two truly overlap: the second is told the first is still in flight (409)."""

import threading
import uuid

import pytest
from django.db import connection

from api import views
from billing.models import LedgerEntry
from shipments.models import Shipment
from tests.billing.factories import instant_store

from .conftest import ApiClient
from .factories import api_key, order


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_one_key_one_shipment_one_charge(monkeypatch):
    store = instant_store(balance="1000.00")
    key = api_key(store.seller)
    body = order()
    idempotency_key = str(uuid.uuid4())
    second_answered = threading.Event()
    inside = threading.Event()
    create = views.shipment_create

    def slow_create(**kwargs):
        inside.set()
        second_answered.wait(timeout=10)
        return create(**kwargs)

    monkeypatch.setattr(views, "shipment_create", slow_create)
    answers: dict[str, object] = {}

    def post(name: str) -> None:
        try:
            answers[name] = ApiClient(key).post(
                "/api/v1/shipments", body, **{"Idempotency-Key": idempotency_key}
            )
        finally:
            if name == "second":
                second_answered.set()
            connection.close()

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=post, args=("second",))
    second.start()
    second.join(timeout=20)
    first.join(timeout=20)

    assert answers["first"].status_code == 201, answers["first"].content
    assert answers["second"].status_code == 409
    assert answers["second"].json()["code"] == "idempotency_in_flight"
    assert Shipment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
    # the retry after the race gets the first answer again
    replay = ApiClient(key).post("/api/v1/shipments", body, **{"Idempotency-Key": idempotency_key})
    assert replay.status_code == 201
    assert replay.content == answers["first"].content
    assert replay["Idempotent-Replayed"] == "true"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_racing_one_key_without_a_pause_still_charge_once():
    store = instant_store(balance="1000.00")
    key = api_key(store.seller)
    body = order()
    idempotency_key = str(uuid.uuid4())
    barrier = threading.Barrier(4, timeout=10)
    statuses: list[int] = []

    def post() -> None:
        try:
            barrier.wait()
            response = ApiClient(key).post(
                "/api/v1/shipments", body, **{"Idempotency-Key": idempotency_key}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(set(statuses)) in ([201], [201, 409]), statuses
    assert statuses.count(201) >= 1
    assert Shipment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
