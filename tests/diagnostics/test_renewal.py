"""Renewing the legal representative's ID card fixes ``legal_rep_id_expiring``: the same
refused order then passes. Read by the OCR worker, or typed by operations."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.services import order_diagnose
from onboarding.models import ApplicationEvent, ApplicationStatus, Document
from onboarding.services import (
    RenewalState,
    Scan,
    document_fields_enter,
    document_ocr_fail,
    id_renewal_apply,
    id_renewal_upload,
)
from onboarding.services import renewal as renewal_services
from onboarding.services.renewal import RenewalRefused
from tests.onboarding.factories import ApplicationFactory, unique_jpeg, uploaded
from tests.shipments.factories import create_shipment

from .scenarios import AT, EXPIRING, refuse_then_diagnose, store_ready

TODAY = AT.date()


@pytest.fixture
def sent(monkeypatch):
    """Readings the renewal would queue (after commit), instead of queuing them."""
    calls = []
    monkeypatch.setattr(renewal_services, "_send", lambda doc, app: calls.append((doc, app)))
    return calls


def _renew(application, user, *, front=True):
    return id_renewal_upload(
        application=application,
        user=user,
        back=Scan("back.jpg", unique_jpeg()),
        front=Scan("front.jpg", unique_jpeg()) if front else None,
    )


def _typed_by_operations(documents, ops_user, *, until, number):
    for document in documents:
        document_ocr_fail(document_id=document.pk, reason="unreadable")
        fields = (
            {"valid_from": "2026-08-01", "valid_until": until}
            if document.kind == "id_back"
            else {"name": "张伟", "id_number": number}
        )
        document_fields_enter(document=document, user=ops_user, fields=fields)


@pytest.mark.django_db
def test_a_renewed_id_typed_by_operations_makes_the_same_order_pass(
    seller_user, ops_user, sent, django_capture_on_commit_callbacks
):
    store = store_ready(seller=seller_user.seller, legal_rep_id_expiry=EXPIRING)
    application = store.application
    code, before = refuse_then_diagnose(store, order_number="AE-ID")
    assert code == before.root_cause.code == "legal_rep_id_expiring"

    with django_capture_on_commit_callbacks(execute=True):
        documents = _renew(application, seller_user)
    assert [d.kind for d in documents] == ["id_back", "id_front"]
    assert sent == [(documents[0].pk, application.pk), (documents[1].pk, application.pk)]
    assert id_renewal_apply(application=application, today=TODAY).state == RenewalState.READING
    # Typed by operations, the renewal is applied in the same transaction.
    _typed_by_operations(
        documents, ops_user, until="2046-08-01", number=application.legal_rep_id_number
    )

    outcome = id_renewal_apply(application=application, today=TODAY)

    assert outcome.state == RenewalState.APPLIED
    application.refresh_from_db()
    assert application.legal_rep_id_expiry == datetime.date(2046, 8, 1)
    assert application.legal_rep_id_long_term is False
    event = ApplicationEvent.objects.get(application=application, data__kind="id_renewal")
    assert event.data["before"]["legal_rep_id_expiry"] == EXPIRING.isoformat()
    assert event.data["after"]["legal_rep_id_expiry"] == "2046-08-01"
    after = order_diagnose(seller=store.seller, order_number="AE-ID", at=AT)
    assert after.passes is True
    assert create_shipment(store, order_number="AE-ID", at=AT).order_number == "AE-ID"
    # applied once, whatever runs it again
    assert id_renewal_apply(application=application, today=TODAY).state == RenewalState.APPLIED
    assert ApplicationEvent.objects.filter(data__kind="id_renewal").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("until", "number", "state"),
    [
        ("2026-09-30", None, RenewalState.TOO_SHORT),
        ("2046-08-01", "110101199003074514", RenewalState.NEEDS_REVIEW),
    ],
    ids=["still-expiring", "another-persons-number"],
)
def test_a_renewal_that_does_not_hold_changes_nothing(
    seller_user, ops_user, sent, until, number, state
):
    application = store_ready(seller=seller_user.seller, legal_rep_id_expiry=EXPIRING).application
    documents = _renew(application, seller_user)
    _typed_by_operations(
        documents, ops_user, until=until, number=number or application.legal_rep_id_number
    )

    outcome = id_renewal_apply(application=application, today=TODAY)

    assert outcome.state == state
    assert outcome.message
    application.refresh_from_db()
    assert application.legal_rep_id_expiry == EXPIRING
    assert not ApplicationEvent.objects.filter(data__kind="id_renewal").exists()


@pytest.mark.django_db
def test_a_store_not_yet_approved_renews_in_its_application(seller_user, sent):
    draft = ApplicationFactory(seller=seller_user.seller)
    with pytest.raises(RenewalRefused):
        _renew(draft, seller_user)
    assert Document.objects.count() == 0
    assert sent == []


@pytest.mark.django_db
def test_the_renewal_page_uploads_both_sides(client, seller_user, sent):
    application = store_ready(
        seller=seller_user.seller, status=ApplicationStatus.ACTIVE, legal_rep_id_expiry=EXPIRING
    ).application
    client.force_login(seller_user)
    url = reverse("onboarding:id_renewal", args=[application.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "back": uploaded("back.jpg", unique_jpeg()),
            "front": uploaded("front.jpg", unique_jpeg()),
        },
    )

    assert response.status_code == 302
    assert set(
        Document.objects.filter(application=application, is_current=True).values_list(
            "kind", flat=True
        )
    ) == {"id_back", "id_front"}
    page = client.get(url).content.decode()
    assert "back.jpg" in page


def _wait_for(predicate, *, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached within {timeout} s")


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_renewed_card_read_by_the_worker_makes_the_same_order_pass(seller_user, celery_worker):
    from tests.onboarding.synthetic import id_back_image, id_front_image

    back, back_truth = id_back_image(1, hard=False)
    front, front_truth = id_front_image(1, hard=False)
    now = timezone.now()
    store = store_ready(
        seller=seller_user.seller,
        legal_rep_id_number=front_truth["id_number"],
        legal_rep_id_expiry=timezone.localdate() + datetime.timedelta(days=30),
        approved_at=now - datetime.timedelta(days=200),
    )
    code, _ = refuse_then_diagnose(store, order_number="AE-REAL", at=now)
    assert code == "legal_rep_id_expiring"
    application = store.application

    id_renewal_upload(
        application=application,
        user=seller_user,
        back=Scan("身份证反面.jpg", back),
        front=Scan("身份证正面.jpg", front),
    )

    _wait_for(
        lambda: ApplicationEvent.objects.filter(
            application=application, data__kind="id_renewal"
        ).exists(),
        timeout=120,
    )
    application.refresh_from_db()
    assert application.legal_rep_id_expiry.isoformat() == back_truth["valid_until"]
    later = timezone.now()
    assert order_diagnose(seller=store.seller, order_number="AE-REAL", at=later).passes
    assert create_shipment(store, order_number="AE-REAL", at=later).order_number == "AE-REAL"
