"""The fulfilment health self-check: the seller's page and the daily closing task."""

from decimal import Decimal

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_email
from onboarding.models import ApplicationEvent
from onboarding.services import application_reinstate, applications_health_check
from tests.platforms.factories import StoreMetricsSnapshotFactory
from tests.stores.factories import store_for_application

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _active(seller):
    """An application whose store is active (the application follows its store)."""
    application = ApplicationFactory(seller=seller, status="active")
    store_for_application(application)
    return application


@pytest.mark.parametrize(
    ("metrics", "failed"),
    [
        ({}, []),
        ({"dsr_logistics": Decimal("4.79")}, ["dsr"]),
        ({"return_rate_pct": Decimal("5.01")}, ["return_rate"]),
        ({"label_print_success_pct": Decimal("97.99")}, ["label_print"]),
        (
            {"dsr_logistics": Decimal("4.00"), "label_print_success_pct": Decimal("90")},
            ["dsr", "label_print"],
        ),
    ],
)
def test_the_daily_check_closes_a_store_below_any_threshold(
    seller_user, mailoutbox, django_capture_on_commit_callbacks, metrics, failed
):
    application = _active(seller_user.seller)
    StoreMetricsSnapshotFactory(
        platform=application.platform, store_id=application.store_id, **metrics
    )

    with django_capture_on_commit_callbacks(execute=True):
        closed = applications_health_check()

    application.refresh_from_db()
    if not failed:
        assert closed == []
        assert application.status == "active"
        assert mailoutbox == []
        return
    assert closed == [application.pk]
    assert application.status == "closed"
    event = ApplicationEvent.objects.latest("id")
    assert (event.from_status, event.to_status, event.data) == (
        "active",
        "closed",
        {"failed": failed},
    )
    assert application.decision_reason == event.reason != ""  # the gate shows it
    store = application.opened_store
    assert (store.status, store.closure, store.status_reason) == ("closed", "health", event.reason)
    # The seller is told by the application's notification, e-mailed by a worker.
    (notice,) = Notification.objects.filter(kind="application_closed")
    assert notice.params["reason"] == event.reason
    assert notification_email(notification_id=notice.pk) == "sent"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [seller_user.email]
    assert application.store_id in mailoutbox[0].subject
    assert applications_health_check() == []  # run twice: nothing more
    assert Notification.objects.filter(kind="application_closed").count() == 1


def test_a_store_without_metrics_is_not_closed(seller_user):
    application = _active(seller_user.seller)

    assert applications_health_check() == []
    application.refresh_from_db()
    assert application.status == "active"


def test_only_the_latest_snapshot_counts(seller_user):
    application = _active(seller_user.seller)
    key = {"platform": application.platform, "store_id": application.store_id}
    StoreMetricsSnapshotFactory(**key, as_of="2026-11-01", dsr_logistics=Decimal("3.0"))
    StoreMetricsSnapshotFactory(**key, as_of="2026-11-02")

    assert applications_health_check() == []


def test_operations_reinstate_a_closed_service(seller_user, ops_user):
    application = _active(seller_user.seller)
    StoreMetricsSnapshotFactory(
        platform=application.platform, store_id=application.store_id, dsr_logistics=Decimal("4")
    )
    applications_health_check()

    application_reinstate(application=application, actor=ops_user, reason="DSR 已恢复")

    application.refresh_from_db()
    assert application.status == "active"
    assert ApplicationEvent.objects.latest("id").actor == ops_user


def test_the_seller_sees_each_metric_against_its_threshold(seller_client, seller_user):
    application = ApplicationFactory(seller=seller_user.seller)
    StoreMetricsSnapshotFactory(
        platform=application.platform,
        store_id=application.store_id,
        return_rate_pct=Decimal("6.50"),
        fulfilment_score=Decimal("98.50"),
    )

    response = seller_client.get(reverse("onboarding:health"))

    html = response.content.decode()
    store = response.context["stores"][0]
    assert [(line.code, line.ok) for line in store["lines"]] == [
        ("dsr", True),
        ("return_rate", False),
        ("label_print", True),
    ]
    assert store["boost"] is True
    assert 'data-metric="return_rate"' in html
