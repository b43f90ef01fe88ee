"""The key lookup every request makes: one query, the key and its seller as the ORM reads
them, whatever the key's state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Seller
from api.models import ApiKey
from api.services import api_key_find, api_key_revoke
from tests.billing.factories import instant_store

from .factories import api_key

pytestmark = pytest.mark.django_db


def test_a_key_and_its_seller_in_one_query_equal_to_the_orms():
    store = instant_store(balance="10.00")
    secret = api_key(store.seller, live=False, read_only=True)
    with CaptureQueriesContext(connection) as queries:
        found = api_key_find(secret)
        seller = found.seller
    assert len(queries) == 1
    expected = ApiKey.objects.get(pk=found.pk)
    fields = [f.attname for f in ApiKey._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert (found.livemode, found.scope, found.revoked_at) == (False, "read", None)
    seller_fields = [f.attname for f in Seller._meta.concrete_fields]
    assert [getattr(seller, f) for f in seller_fields] == [
        getattr(store.seller, f) for f in seller_fields
    ]
    assert found._state.adding is False and found._state.db == "default"


def test_a_revoked_key_is_found_revoked_and_an_unknown_one_not_at_all():
    store = instant_store(balance="10.00")
    secret = api_key(store.seller)
    api_key_revoke(key=api_key_find(secret))
    assert api_key_find(secret).revoked_at is not None
    assert api_key_find(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert api_key_find("sk_live_not_ours") is None
