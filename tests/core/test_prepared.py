"""Queries compiled once (``core.prepared``): every prepared query of the project returns what
its queryset returns through the ORM, field by field; the compile refuses what it cannot
bind; a select-for-update keeps the ORM's guard."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

import billing.locks
import billing.models
import billing.selectors
import billing.services.ledger
import customs.selectors
import onboarding.gate_checks
import platforms.selectors
import shipments.services.creation
import stores.locks
import stores.selectors
import webhooks.services
from accounts.models import Seller
from core.prepared import REGISTRY, PreparedQuery
from customs.models import RegistrationKind, TaxRegistration
from onboarding.models import Application
from stores.models import Store
from tests.diagnostics.scenarios import overdue_store
from tests.shipments.factories import create_shipment
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def _same(found, expected) -> None:
    """Equal as the ORM gives them: instances field by field (their related objects and
    annotations too), dicts, tuples and values as they are."""
    assert len(found) == len(expected)
    for one, other in zip(found, expected, strict=True):
        if hasattr(other, "_meta"):
            assert type(one) is type(other)
            assert _fields(one) == _fields(other)
            assert one._state.adding is False and one._state.db == "default"
            for name, related in other._state.fields_cache.items():
                assert _fields(one._state.fields_cache[name]) == _fields(related)
        else:
            assert one == other and type(one) is type(other)


def _fields(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname in obj.__dict__  # deferred fields stay deferred in both
    } | {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


@pytest.fixture
def account():
    """A monthly seller with an overdue statement, its store, application and metrics, a
    shipment and its charge, a registration and an endpoint."""
    store = overdue_store()
    seller = store.seller
    create_shipment(store, order_number="PREP-1")
    TaxRegistration.objects.create(seller=seller, kind=RegistrationKind.IOSS, number="IM2760000002")
    TaxRegistration.objects.create(
        seller=seller, kind=RegistrationKind.EORI, number="GB123456789000"
    )
    WebhookEndpoint.objects.create(
        seller=seller, url="https://erp.example/hooks", enabled_events=["shipment.created"]
    )
    return store


def _calls(store: Store) -> list[tuple[PreparedQuery, dict]]:
    """Each prepared query with the values the order path gives it (and a miss)."""
    seller = store.seller
    application = Application.objects.get(opened_store=store)
    charge_key = billing.models.LedgerEntry.objects.filter(seller=seller).values_list(
        "key", flat=True
    )[0]
    today = datetime.date(2026, 9, 20)
    return [
        (billing.selectors._ACCOUNT, {"seller_id": seller.pk}),
        (billing.selectors._ACCOUNT, {"seller_id": 0}),
        (billing.selectors._OVERDUE, {"seller_id": seller.pk, "today": today}),
        (billing.selectors._OVERDUE, {"seller_id": seller.pk, "today": datetime.date(2026, 9, 1)}),
        (billing.locks._LOCKED, {"seller_id": seller.pk}),
        (billing.services.ledger._KEY_PRESENT, {"key": charge_key}),
        (billing.services.ledger._KEY_PRESENT, {"key": "charge:shipment:0"}),
        (onboarding.gate_checks._APPLICATION_OF_STORE, {"store_id": store.pk}),
        (onboarding.gate_checks._NEWEST_APPLICATION, {"seller_id": seller.pk}),
        (
            platforms.selectors._LATEST,
            {"platform": application.platform, "store_id": application.store_id},
        ),
        (customs.selectors._REGISTRATIONS, {"seller_id": seller.pk}),
        (stores.locks._LOCKED, {"store_id": store.pk}),
        (stores.selectors._SHIPPING_STORE, {"seller_id": seller.pk}),
        (stores.selectors._NEWEST_STORE, {"seller_id": seller.pk}),
        (
            shipments.services.creation._SHIPPED,
            {"seller_id": seller.pk, "livemode": True, "order_number": "PREP-1"},
        ),
        (
            shipments.services.creation._SHIPPED,
            {"seller_id": seller.pk, "livemode": False, "order_number": "PREP-1"},
        ),
        (webhooks.services._ENABLED, {"seller_id": seller.pk, "livemode": True}),
    ]


def test_every_prepared_query_returns_what_the_orm_returns(account):
    calls = _calls(account)
    project = {id(q) for q in REGISTRY if not q._build.__module__.startswith("tests.")}
    assert {id(query) for query, _values in calls} == project
    hits = 0
    with transaction.atomic():  # the locking ones need a transaction, as the ORM's do
        for query, values in calls:
            expected = list(query._build(**values))
            with CaptureQueriesContext(connection) as queries:
                found = query.all(**values)
            assert len(queries) == 1
            _same(found, expected)
            assert query.exists(**values) is bool(expected)
            hits += bool(expected)
    # The calls find rows, except the misses asked on purpose.
    assert hits == len(calls) - 4


def test_the_overdue_statement_and_the_store_lock_as_the_order_path_reads_them(account):
    seller = account.seller
    found = billing.selectors._OVERDUE.first(seller_id=seller.pk, today=datetime.date(2026, 9, 20))
    assert found["due_date"] == datetime.date(2026, 9, 15)
    assert isinstance(found["outstanding"], Decimal) and found["outstanding"] > 0
    with transaction.atomic():
        locked = stores.locks.store_lock(store_id=account.pk)
        # the seller comes with it, read in the same query
        with CaptureQueriesContext(connection) as queries:
            assert locked.seller.company_name == seller.company_name
        assert len(queries) == 0
        sql, _params = stores.locks._LOCKED.sql(store_id=account.pk)
        assert 'FOR UPDATE OF "stores_store"' in sql
        with pytest.raises(Store.DoesNotExist):
            stores.locks.store_lock(store_id=0)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_as_the_orm_refuses_it():
    for _compiled_or_not in range(2):  # refused when it compiles, and once compiled
        with pytest.raises(TransactionManagementError):
            stores.locks._LOCKED.first(store_id=1)
    with transaction.atomic():
        assert stores.locks._LOCKED.first(store_id=1) is None


def test_values_must_have_their_declared_type_and_never_be_none():
    query = PreparedQuery(lambda pk: Seller.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="pk must be int, not str"):
        query.all(pk="1")
    with pytest.raises(TypeError, match="pk must be int, not bool"):
        query.all(pk=True)
    with pytest.raises(TypeError, match="pk must be int, not NoneType"):
        query.all(pk=None)
    with pytest.raises(TypeError, match="expected parameters"):
        query.all(id=1)
    day = PreparedQuery(lambda d: Seller.objects.filter(created_at__date=d), d=datetime.date)
    with pytest.raises(TypeError, match="d must be date, not datetime"):
        day.all(d=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))


def test_a_value_a_lookup_transforms_cannot_be_bound():
    query = PreparedQuery(lambda name: Seller.objects.filter(company_name__contains=name), name=str)
    with pytest.raises(ValueError, match=r"\['name'\] do not reach the SQL"):
        query.all(name="公司")
    both = PreparedQuery(
        lambda name: (
            Seller.objects.filter(company_name=name)
            | Seller.objects.filter(company_name__startswith=name)
        ),
        name=str,
    )
    with pytest.raises(ValueError, match=r"\['name'\] do not reach the SQL"):
        both.all(name="公司")


def test_a_shaping_parameter_compiles_once_per_value_and_binds_the_rest():
    Seller.objects.create(company_name="甲公司")
    Seller.objects.create(company_name="乙公司")
    query = PreparedQuery(
        lambda name, newest: Seller.objects.filter(company_name=name).order_by(
            "-id" if newest else "id"
        ),
        name=str,
        newest=bool,
    )
    assert [s.company_name for s in query.all(name="甲公司", newest=True)] == ["甲公司"]
    assert [s.company_name for s in query.all(name="乙公司", newest=False)] == ["乙公司"]
    assert query.all(name="丙公司", newest=True) == []
    assert len(query._compiled) == 2
    assert 'ORDER BY "accounts_seller"."id" DESC' in query.sql(name="x", newest=True)[0]
