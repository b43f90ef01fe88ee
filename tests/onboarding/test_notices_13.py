"""Issue 13, item 7 (onboarding): the seller is told when the application changes state —
approved into the trial, changes requested (with the reason), rejected, trial under
review, active, closed by the health check — once per change, with a link to it."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from onboarding.models import ApplicationStatus
from onboarding.services import (
    application_approve,
    application_reject,
    application_request_changes,
    application_transition,
)
from tests.accounts.factories import StaffUserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def reviewer():
    return StaffUserFactory(groups=["Operations"])


def told(application) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(seller=application.seller)
        .order_by("id")
        .values_list("kind", "params__reason")
    )


def test_approval_tells_the_trial_has_started_and_how_to_get_bound(reviewer):
    application = ApplicationFactory(status=S.IN_REVIEW)

    application_approve(application=application, actor=reviewer)

    (notice,) = Notification.objects.filter(seller=application.seller)
    assert notice.kind == "application_trial"
    assert notice.params["reference"] == application.reference
    assert notice.params["store"] == application.store_id
    assert notice.url == reverse("onboarding:application", args=[application.pk])


def test_changes_requested_carry_the_reason_and_each_request_is_told(reviewer):
    application = ApplicationFactory(status=S.IN_REVIEW)

    application_request_changes(application=application, actor=reviewer, reason="执照模糊")
    application_transition(application=application, to_status=S.SUBMITTED)
    application_transition(application=application, to_status=S.IN_REVIEW)
    application_request_changes(application=application, actor=reviewer, reason="地址不符")

    assert told(application) == [
        ("application_changes_requested", "执照模糊"),
        ("application_changes_requested", "地址不符"),
    ]


def test_a_rejection_is_told_with_its_reason_and_drafts_are_not(reviewer):
    application = ApplicationFactory(status=S.DRAFT)
    application_transition(application=application, to_status=S.SUBMITTED)
    application_transition(application=application, to_status=S.IN_REVIEW)

    application_reject(application=application, actor=reviewer, reason="个体工商户")

    assert told(application) == [("application_rejected", "个体工商户")]
