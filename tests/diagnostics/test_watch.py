"""The daily watch: stores the gate would refuse are warned before an order fails, once per
cause per week."""

import datetime

import pytest
from django.core import mail

from diagnostics import tasks
from diagnostics.models import WatchWarning
from diagnostics.services import stores_watch as _stores_watch
from onboarding.models import ApplicationStatus
from tests.accounts.factories import SellerUserFactory

from .scenarios import AT, EXPIRING, store_ready, used_trial

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global stores_watch

    def stores_watch(*, at):
        with django_capture_on_commit_callbacks(execute=True):
            return _stores_watch(at=at)

    yield


def _with_user(store, email):
    SellerUserFactory(seller=store.seller, email=email)
    return store


def test_an_expiring_id_and_an_unbound_store_are_warned_by_email():
    expiring = _with_user(store_ready(legal_rep_id_expiry=EXPIRING), "a@example.cn")
    unbound = _with_user(store_ready(bound=False), "b@example.cn")
    _with_user(store_ready(), "healthy@example.cn")

    sent = stores_watch(at=AT)

    assert {(w.store_id, w.code) for w in sent} == {
        (expiring.pk, "legal_rep_id_expiring"),
        (unbound.pk, "store_not_bound"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.cn", "b@example.cn"]
    message = next(m for m in mail.outbox if m.to == ["a@example.cn"])
    assert expiring.platform_store_id in message.subject
    assert EXPIRING.isoformat() in message.body
    warning = WatchWarning.objects.get(store=expiring)
    assert warning.recipients == ["a@example.cn"]
    assert warning.sent_on == datetime.date(2026, 8, 15)
    assert warning.evidence["valid_until"] == EXPIRING.isoformat()


def test_an_id_that_fails_within_two_weeks_is_warned_before_it_does():
    # 100 days ahead: passes today, fails in 11 days.
    store = _with_user(store_ready(legal_rep_id_expiry=(AT + 100 * DAY).date()), "soon@example.cn")

    [warning] = stores_watch(at=AT)

    assert warning.store == store and warning.code == "legal_rep_id_expiring"
    assert warning.evidence["fails_from"] == "2026-08-26"
    assert "2026-08-26" in mail.outbox[0].body


def test_a_cause_is_repeated_at_most_weekly():
    _with_user(store_ready(bound=False), "c@example.cn")

    assert len(stores_watch(at=AT)) == 1
    assert stores_watch(at=AT) == []  # twice the same day
    assert stores_watch(at=AT + DAY) == []
    assert stores_watch(at=AT + 6 * DAY) == []
    assert len(stores_watch(at=AT + 7 * DAY)) == 1
    assert len(mail.outbox) == 2
    assert WatchWarning.objects.count() == 2


def test_only_trial_and_active_stores_are_watched_and_a_used_trial_is_not_a_problem():
    store_ready(status=ApplicationStatus.IN_REVIEW, bound=False)
    store_ready(status=ApplicationStatus.CLOSED, bound=False, decision_reason="DSR")
    used_trial()
    assert stores_watch(at=AT) == []
    assert mail.outbox == []


def test_the_beat_task_runs_the_watch():
    _with_user(store_ready(bound=False), "d@example.cn")
    assert tasks.watch.apply().get() == 1
    assert tasks.watch.apply().get() == 0  # safe to run twice


def test_the_watch_is_scheduled_daily():
    from celery.schedules import crontab
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["diagnostics-watch"]
    assert entry["task"] == "diagnostics.watch"
    assert entry["schedule"] == crontab(hour=7, minute=0)
