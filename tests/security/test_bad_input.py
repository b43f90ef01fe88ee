"""Bad input is a form error or a 400, never a 500 (issue 18, finding 4): the inputs the
review found, then a sweep that throws malformed query strings at every seller page and
every admin changelist and tool, walked from the URL configuration."""

import datetime

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from billing.admin import settlement as settlement_admin
from billing.models import LedgerEntry, Payment, TopUp
from tests.accounts.factories import SellerUserFactory, StaffUserFactory
from tests.billing.factories import instant_store
from tests.billing.test_finance_admin import issue_statements
from tests.shipments.factories import create_shipment, store_ready
from tests.test_isolation import POST_ONLY, SELLER_URLS

pytestmark = pytest.mark.django_db

FAR = "9999-12-31"


@pytest.fixture
def seller(client):
    store = store_ready()
    create_shipment(store)
    client.force_login(SellerUserFactory(seller=store.seller))
    return client


@pytest.fixture
def superuser(client):
    user = StaffUserFactory(is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


# ---------------------------------------------------------------------------
# The findings
# ---------------------------------------------------------------------------
def test_the_shipment_list_and_its_export_take_a_date_far_in_the_future(seller):
    listing = seller.get(reverse("shipments:index"), {"created_to": FAR})
    assert listing.status_code == 200
    assert listing.context["form"].errors["created_to"]

    export = seller.get(reverse("shipments:export"), {"created_to": FAR})
    assert export.status_code == 200
    assert b"".join(export.streaming_content)


def test_the_diagnostics_overview_takes_a_period_far_in_the_future(superuser):
    url = reverse("admin:diagnostics_overview")
    response = superuser.get(url, {"start": "2026-01-01", "end": FAR})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_the_diagnosis_tool_takes_a_seller_that_is_not_an_id(superuser, value):
    response = superuser.get(reverse("admin:diagnostics_tool"), {"seller": value})
    assert response.status_code == 200
    assert response.context["form"].errors["seller"]


def _as_if_checked_before_the_first_saved(monkeypatch):
    """Two submissions of one form: both passed the form's check before either was saved
    (a double click): the form's checks and its unique lookups found nothing yet. The second
    reaches the service, which refuses it."""
    monkeypatch.setattr(settlement_admin, "topup_check", lambda **kwargs: None)
    monkeypatch.setattr(settlement_admin, "payment_check", lambda **kwargs: None)
    for form in (settlement_admin.TopUpForm, settlement_admin.PaymentForm):
        monkeypatch.setattr(form, "validate_unique", lambda self: None)


def test_a_top_up_submitted_twice_is_recorded_once_with_a_message(finance, monkeypatch):
    _as_if_checked_before_the_first_saved(monkeypatch)
    seller = instant_store(balance="0").seller
    data = {
        "seller": seller.pk,
        "amount": "300.00",
        "reference": "ICBC-DOUBLE-1",
        "received_on": "2026-11-20",
    }
    url = reverse("admin:billing_topup_add")
    assert finance.post(url, data).status_code == 302

    again = finance.post(url, data, follow=True)

    assert again.status_code == 200
    assert "ICBC-DOUBLE-1" in again.content.decode()
    assert [str(m) for m in again.context["messages"]][-1].count("ICBC-DOUBLE-1") == 1
    assert TopUp.objects.count() == 1
    assert LedgerEntry.objects.filter(key__contains="ICBC-DOUBLE-1").count() == 1


def test_a_payment_submitted_twice_is_recorded_once_with_a_message(finance, monkeypatch):
    _as_if_checked_before_the_first_saved(monkeypatch)
    (statement,) = issue_statements(1)
    data = {
        "statement": statement.pk,
        "amount": "10.00",
        "reference": "CMB-DOUBLE-1",
        "received_on": "2026-11-20",
    }
    url = reverse("admin:billing_payment_add")
    assert finance.post(url, data).status_code == 302

    again = finance.post(url, data, follow=True)

    assert again.status_code == 200
    assert "CMB-DOUBLE-1" in again.content.decode()
    assert Payment.objects.count() == 1


# ---------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------
# Each query string carries several bad values at once; those that stop a view at the first
# (an admin lookup that cannot be read) come one per string.
MALFORMED = [
    f"created_from=0001-01-01&created_to={FAR}&start={FAR}&end={FAR}",
    "created_from=2026-02-30&created_to=not-a-date&start=0000-00-00&end=-1",
    "after=%FF%FE%00&q=%00&status=%3Cscript%3E&country=ZZZ&source=x&fmt=exe",
    "after=" + "A" * 3000 + "&q=" + "x" * 3000,
    "after=eyJ9&page=0&p=-1&o=abc&period=2026-13&month=13",
    "order=" + "9" * 500 + "&weight_g=1e400&country=RU&postcode=" + "1" * 100,
    "weight_g=-1&origin=mars&account=1",
    "seller=abc&statement=abc&store=abc&application=abc&user=-1",
    "seller=99999999999999999999999&id=abc",
    "o=99",
    "p=abc",
    "id__in=abc",
    "at__gte=not-a-date",
    "created_at__gte=2026-13-45",
    "_to_field=password",
    "q=%25&all=1&e=1",
    "a=1&a=2&a=3&status=created&status=delivered",
]


def _seller_pages() -> list[str]:
    return [name for name, params in SELLER_URLS if not params and name not in POST_ONLY]


def _admin_pages() -> list[tuple[str, dict]]:
    """Every admin changelist and tool (a URL of the admin taking no argument), not the add
    forms."""
    names = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "admin" and entry.name:
                if entry.pattern.regex.groups or entry.name.endswith("_add"):
                    continue
                if entry.name in {"logout", "password_change", "password_change_done"}:
                    continue
                names.append(entry.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


SELLER_PAGES = _seller_pages()
ADMIN_PAGES = _admin_pages()


def test_the_sweep_sees_the_pages_it_must():
    assert {"shipments:index", "shipments:export", "diagnostics:index", "billing:index"} <= set(
        SELLER_PAGES
    )
    assert {
        "diagnostics_overview",
        "diagnostics_tool",
        "shipments_shipment_changelist",
        "billing_topup_changelist",
        "accounts_user_changelist",
    } <= set(ADMIN_PAGES)


def _answers_without_a_server_error(client, url: str) -> None:
    for query in MALFORMED:
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_seller_pages_answer_malformed_query_strings(seller, name):
    _answers_without_a_server_error(seller, reverse(name))


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_answer_malformed_query_strings(superuser, name):
    _answers_without_a_server_error(superuser, reverse(f"admin:{name}"))


def test_the_far_date_is_refused_by_the_form_not_by_an_overflow():
    from core.forms import MAX_DATE, BoundedDateField

    field = BoundedDateField()
    assert field.clean("2099-12-31") == MAX_DATE
    with pytest.raises(Exception, match="2099"):
        field.clean(FAR)
    assert MAX_DATE + datetime.timedelta(days=1) > MAX_DATE  # a period end never overflows
    assert settings.ADMIN_URL
