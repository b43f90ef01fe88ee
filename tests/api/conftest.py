import json

import pytest
from django.test import Client

from tests.billing.factories import instant_store, monthly_store

from .factories import api_key


class ApiClient:
    """Django's test client speaking to /api/v1 with a key."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.key = key

    def _headers(self, headers: dict) -> dict:
        sent = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"} if self.key else {}
        sent["HTTP_ACCEPT_LANGUAGE"] = "en"
        sent.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
        return sent

    def get(self, path: str, params=None, **headers):
        return self.client.get(path, params or {}, **self._headers(headers))

    def post(
        self,
        path: str,
        body=None,
        *,
        raw: bytes | None = None,
        content_type="application/json",
        **headers,
    ):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(path, data, content_type=content_type, **self._headers(headers))

    def delete(self, path: str, **headers):
        return self.client.delete(path, **self._headers(headers))


@pytest.fixture
def store(db):
    """An active store of a seller settling by instant debit, ¥1,000 on its balance."""
    return instant_store(balance="1000.00")


@pytest.fixture
def monthly(db):
    return monthly_store()


@pytest.fixture
def live(store):
    return ApiClient(api_key(store.seller, live=True))


@pytest.fixture
def test_mode(store):
    return ApiClient(api_key(store.seller, live=False))
