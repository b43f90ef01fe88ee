"""The seller's tool: an order number (refused or shipped), the account, a parcel; each run
recorded; a seller sees only their own orders; a trace's queries are bounded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from diagnostics.models import DiagnosticRun
from diagnostics.services import account_diagnose, order_diagnose
from shipments.models import RefusedOrder
from tests.accounts.factories import SellerUserFactory
from tests.platforms.factories import import_csv, metrics_csv, metrics_row
from tests.shipments.factories import create_shipment, parcel

from .scenarios import AT, EXPIRING, refuse_then_diagnose, store_ready

pytestmark = pytest.mark.django_db
URL = reverse("diagnostics:index")


def _seller_client(client, store):
    user = SellerUserFactory(seller=store.seller)
    client.force_login(user)
    return user


def test_a_refused_order_shows_the_recorded_refusal_the_cause_and_the_fix(client):
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="AE-777")
    user = _seller_client(client, store)

    with translation.override("en"):
        response = client.post(URL, {"order": "AE-777"})

    assert response.status_code == 200
    html = response.content.decode()
    diagnosis = response.context["diagnosis"]
    assert diagnosis.refusal.check_code == "store_not_bound"
    assert diagnosis.root_cause.code == "store_not_bound"
    assert diagnosis.passes is False
    assert 'id="recorded-refusal" data-code="store_not_bound"' in html
    assert 'data-root-cause="store_not_bound"' in html
    assert "物流设置 → 物流方案" in html  # the fix, as the article gives it
    assert "93.6 %" in html
    # Fixed on the store's own page: its binding state and its platform's steps.
    assert f'href="{reverse("stores:detail", args=[store.pk])}"' in html
    steps = {s.code: s.status for s in diagnosis.steps()}
    assert steps["store_not_bound"] == "fail"
    assert steps["service_not_active"] == "pass"
    assert steps["lane_not_served"] == "pass"  # the recorded parcel is traced too
    run = DiagnosticRun.objects.latest("id")
    assert (run.seller, run.user, run.kind, run.source, run.found, run.root_cause) == (
        store.seller,
        user,
        "order",
        "seller",
        "refused",
        "store_not_bound",
    )
    assert run.order_number == "AE-777"
    assert run.result["refusal"]["check_code"] == "store_not_bound"


def test_every_check_is_shown_in_the_gates_order(client):
    store = store_ready(bound=False, legal_rep_id_expiry=EXPIRING)
    refuse_then_diagnose(store, order_number="AE-ORDER")
    _seller_client(client, store)

    diagnosis = client.post(URL, {"order": "AE-ORDER"}).context["diagnosis"]

    steps = diagnosis.steps()
    assert [s.position for s in steps] == sorted(s.position for s in steps)
    failing = [s.code for s in steps if s.status == "fail"]
    assert failing[:2] == ["store_not_bound", "legal_rep_id_expiring"]
    assert [s.code for s in steps if s.is_root_cause] == ["store_not_bound"]
    expiring = next(s for s in steps if s.code == "legal_rep_id_expiring")
    assert expiring.fix_url == reverse("onboarding:id_renewal", args=[store.application.pk])


def test_an_existing_shipment_is_traced_with_its_parcel(client):
    store = store_ready()
    shipment = create_shipment(store, order_number="AE-SHIPPED")
    _seller_client(client, store)

    response = client.post(URL, {"order": "AE-SHIPPED"})

    diagnosis = response.context["diagnosis"]
    assert diagnosis.shipment == shipment
    assert diagnosis.passes is True
    assert diagnosis.parcel.country == "US"
    assert 'id="accepted-order"' in response.content.decode()
    assert DiagnosticRun.objects.latest("id").found == "shipment"


def test_a_created_order_says_it_was_accepted_and_shows_apart_what_a_new_one_hits(client):
    """Issue 13, item 16: never a root cause for an order that was never refused."""
    store = store_ready()
    shipment = create_shipment(store, order_number="AE-DONE")
    store.application.tax_address = "另一个地址"  # the company moved since: new orders fail
    store.application.save(update_fields=["tax_address"])
    _seller_client(client, store)

    response = client.post(URL, {"order": "AE-DONE"})

    html = response.content.decode()
    diagnosis = response.context["diagnosis"]
    assert diagnosis.root_cause is None
    assert diagnosis.now_refused_by.code == "licence_tax_address_mismatch"
    assert 'data-root-cause="" data-passes="false" data-accepted="true"' in html
    assert 'data-now="licence_tax_address_mismatch"' in html
    assert 'id="root-cause"' not in html
    assert 'id="now-refused-by"' in html
    price = html.split('id="accepted-price">')[1].split("</p>")[0]
    assert f"¥{shipment.charge}" in price
    assert shipment.tracking_number in html.split('id="accepted-order"')[1]
    run = DiagnosticRun.objects.latest("id")
    assert (run.found, run.root_cause) == ("shipment", "")


def test_the_account_alone_marks_parcel_checks_not_applicable(client):
    store = store_ready()
    _seller_client(client, store)

    diagnosis = client.post(URL, {"account": "1"}).context["diagnosis"]

    statuses = {s.code: s.status for s in diagnosis.steps()}
    assert statuses["lane_not_served"] == statuses["overweight"] == "skipped"
    assert statuses["store_not_bound"] == "pass"
    assert diagnosis.passes is True
    assert DiagnosticRun.objects.get().kind == "account"


def test_a_hypothetical_parcel_to_russia_is_not_served(client):
    store = store_ready()
    _seller_client(client, store)

    response = client.post(
        URL, {"origin": "east", "country": "RU", "postcode": "101000", "weight_g": "500"}
    )

    diagnosis = response.context["diagnosis"]
    assert diagnosis.root_cause.code == "lane_not_served"
    run = DiagnosticRun.objects.get()
    assert (run.kind, run.root_cause) == ("parcel", "lane_not_served")
    assert RefusedOrder.objects.count() == 0  # a question, not an order


def test_bad_parcel_input_is_a_form_error_and_records_nothing(client):
    store = store_ready()
    _seller_client(client, store)

    response = client.post(URL, {"origin": "east", "country": "XX", "weight_g": "500"})

    assert response.context["diagnosis"] is None
    assert response.context["parcel_form"].errors
    assert DiagnosticRun.objects.count() == 0


def test_a_seller_cannot_diagnose_another_sellers_order(client):
    mine = store_ready(bound=False)
    theirs = store_ready()
    refuse_then_diagnose(mine, order_number="SAME-1")
    refuse_then_diagnose(theirs, order_number="SAME-1", country="RU", postcode="101000")
    refuse_then_diagnose(theirs, order_number="THEIRS-ONLY", country="RU", postcode="101000")
    DiagnosticRun.objects.all().delete()

    _seller_client(client, mine)
    own = client.post(URL, {"order": "SAME-1"}).context["diagnosis"]
    assert own.refusal.seller == mine.seller
    assert own.root_cause.code == "store_not_bound"

    response = client.post(URL, {"order": "THEIRS-ONLY"})
    html = response.content.decode()
    assert response.context["diagnosis"] is None
    assert 'id="not-found"' in html
    assert "lane_not_served" not in html and "RU" not in html

    _seller_client(client, theirs)
    other = client.post(URL, {"order": "SAME-1"}).context["diagnosis"]
    assert other.refusal.seller == theirs.seller
    assert other.root_cause.code == "lane_not_served"
    assert DiagnosticRun.objects.filter(found="").count() == 1  # the miss is recorded


def test_binding_the_store_in_the_next_metrics_import_makes_the_same_order_pass():
    store = store_ready(bound=False)
    code, before = refuse_then_diagnose(store, order_number="AE-BIND")
    assert code == before.root_cause.code == "store_not_bound"

    import_csv(
        metrics_csv(
            [metrics_row(store_id=store.platform_store_id, as_of="2026-08-16", store_bound="true")]
        )
    )
    at = AT + datetime.timedelta(days=1)
    after = order_diagnose(seller=store.seller, order_number="AE-BIND", at=at)

    assert after.refusal.check_code == "store_not_bound"  # what happened then
    assert after.passes is True  # what would happen now
    shipment = create_shipment(store, order_number="AE-BIND", at=at)
    assert shipment.order_number == "AE-BIND"
    assert order_diagnose(seller=store.seller, order_number="AE-BIND", at=at).shipment == shipment


def _trace_queries(django_assert_max_num_queries, seller, order_number):
    with django_assert_max_num_queries(20):
        return order_diagnose(seller=seller, order_number=order_number, at=AT)


def test_a_trace_makes_at_most_20_queries_whatever_the_data(django_assert_max_num_queries):
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="AE-Q")
    order_diagnose(seller=store.seller, order_number="AE-Q", at=AT)  # warm the pricing cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _trace_queries(django_assert_max_num_queries, store.seller, "AE-Q")
    other = store_ready()
    for n in range(30):
        create_shipment(other, order_number=f"OTHER-{n}")
        refuse_then_diagnose(store, order_number=f"AE-Q{n}")
    with CaptureQueriesContext(connection) as many:
        _trace_queries(django_assert_max_num_queries, store.seller, "AE-Q")
    assert len(many) == len(few)
    with django_assert_max_num_queries(20):
        account_diagnose(seller=store.seller, parcel=parcel(), at=AT)


def test_the_page_itself_stays_within_budget(client, django_assert_max_num_queries):
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="AE-PAGE")
    _seller_client(client, store)
    client.post(URL, {"order": "AE-PAGE"})
    with django_assert_max_num_queries(25):  # the trace's 20 + session, user, seller
        client.post(URL, {"order": "AE-PAGE"})


def test_a_get_answers_without_writing_and_only_a_post_records(client):
    """A link on another site (``<img src=/diagnostics/?order=…>``) opened by a signed-in
    seller must not write to the seller's history: GET answers, POST records."""
    store = store_ready(bound=False)
    refuse_then_diagnose(store, order_number="AE-LINK")
    _seller_client(client, store)
    DiagnosticRun.objects.all().delete()

    for query in ({"order": "AE-LINK"}, {"order": "NOT-MINE"}, {"account": "1"}):
        response = client.get(URL, query)
        assert response.status_code == 200
    assert response.context["diagnosis"].kind == "account"
    assert DiagnosticRun.objects.count() == 0

    client.post(URL, {"order": "AE-LINK"})
    assert DiagnosticRun.objects.get().order_number == "AE-LINK"


def test_the_page_forms_post_with_a_csrf_token(client):
    _seller_client(client, store_ready())
    html = client.get(URL).content.decode()
    for form_id in ("order-form", "parcel-form", "account-form"):
        form = (
            html.split(f'id="{form_id}"')[0].rsplit("<form", 1)[1]
            + html.split(f'id="{form_id}"')[1].split("</form>")[0]
        )
        assert 'method="post"' in form
        assert "csrfmiddlewaretoken" in form
