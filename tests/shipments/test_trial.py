"""The trial's evaluation: three trial shipments delivered or overdue → on-time rate
≥ 99.2 % makes the store active, less sends it to manual review with the figures."""

import datetime
import itertools

import pytest

from onboarding.models import ApplicationEvent, ApplicationStatus
from shipments import tasks
from shipments.services import shipment_event_record, trial_evaluate, trials_evaluate_due
from shipments.services.tracking import CarrierEvent
from stores.models import StoreEvent
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
_ids = itertools.count(1)


def scan(shipment, status, at):
    shipment_event_record(
        shipment=shipment,
        event=CarrierEvent(
            event_id=f"T-{next(_ids)}",
            tracking_number=shipment.tracking_number,
            status=status,
            at=at,
        ),
    )
    shipment.refresh_from_db()


def deliver(shipment, *, late: bool = False):
    scan(shipment, "picked_up", AUGUST + H)
    scan(shipment, "delivered", shipment.promised_by + (H if late else -H))


@pytest.fixture
def store():
    return store_ready(status=ApplicationStatus.TRIAL)


@pytest.fixture
def trio(store):
    return [create_shipment(store) for _ in range(3)]


def transitions(store):
    """The store's audit trail; its application follows each step (``test_application_follows``)."""
    return list(StoreEvent.objects.filter(store=store).order_by("id"))


def test_three_on_time_deliveries_make_the_store_active(store, trio):
    for shipment in trio:
        deliver(shipment)

    verdict = trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    assert (verdict.to_status, verdict.on_time, verdict.total) == ("active", 3, 3)
    store.refresh_from_db()
    assert store.status == "active"
    assert store.activated_at is not None
    (event,) = transitions(store)
    assert (event.from_status, event.to_status) == ("trial", "active")
    assert event.data["rate_pct"] == "100.0"


def test_one_late_delivery_sends_the_trial_to_review_with_the_figures(store, trio):
    deliver(trio[0])
    deliver(trio[1], late=True)
    deliver(trio[2])

    verdict = trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    assert (verdict.to_status, verdict.on_time, verdict.total) == ("trial_review", 2, 3)
    store.refresh_from_db()
    assert store.status == "trial_review"
    (event,) = transitions(store)
    assert (event.from_status, event.to_status) == ("trial", "trial_review")
    assert event.data["on_time"] == 2
    assert event.data["total"] == 3
    assert event.data["rate_pct"] == "66.7"
    assert event.data["threshold_pct"] == "99.2"
    late = next(
        s for s in event.data["shipments"] if s["tracking_number"] == trio[1].tracking_number
    )
    assert late["on_time"] is False
    assert late["delivered_at"] == trio[1].delivered_at.isoformat()
    assert "66.7" in event.reason


def test_nothing_happens_while_a_shipment_is_still_on_its_way(store, trio):
    deliver(trio[0])
    deliver(trio[1])
    scan(trio[2], "picked_up", AUGUST + H)

    assert trial_evaluate(store=store, now=trio[2].promised_by) is None  # not yet past
    store.refresh_from_db()
    assert store.status == "trial"
    assert transitions(store) == []


def test_fewer_than_three_trial_shipments_are_not_evaluated(store):
    deliver(create_shipment(store))
    assert trial_evaluate(store=store, now=AUGUST + 30 * 24 * H) is None
    store.refresh_from_db()
    assert store.status == "trial"


def test_an_overdue_shipment_is_settled_by_the_daily_sweep(store, trio):
    deliver(trio[0])
    deliver(trio[1])
    scan(trio[2], "picked_up", AUGUST + H)
    scan(trio[2], "customs", AUGUST + 2 * H)
    overdue = trio[2].promised_by + datetime.timedelta(seconds=1)

    verdicts = trials_evaluate_due(now=overdue)

    assert [(v.store_id, v.to_status, v.on_time) for v in verdicts] == [
        (store.pk, "trial_review", 2)
    ]
    (event,) = transitions(store)
    stuck = next(
        s for s in event.data["shipments"] if s["tracking_number"] == trio[2].tracking_number
    )
    assert stuck["overdue"] is True
    assert stuck["delivered_at"] is None


def test_evaluating_again_changes_nothing(store, trio):
    for shipment in trio:
        deliver(shipment)
    now = AUGUST + 30 * 24 * H
    trial_evaluate(store=store, now=now)

    assert trial_evaluate(store=store, now=now) is None
    assert trials_evaluate_due(now=now) == []
    assert len(transitions(store)) == 1


def test_an_active_store_is_never_evaluated():
    store = store_ready()
    for shipment in [create_shipment(store) for _ in range(3)]:
        deliver(shipment, late=True)
    assert trial_evaluate(store=store, now=AUGUST + 30 * 24 * H) is None
    store.refresh_from_db()
    assert store.status == "active"


def test_the_last_delivery_evaluates_the_trial_after_commit(
    store, trio, monkeypatch, django_capture_on_commit_callbacks
):
    """The delivery event queues ``shipments.trial_evaluate`` on commit; here the task runs
    in-process (``apply``) instead of through the broker."""
    queued = []

    def run_now(store_id):
        queued.append(store_id)
        return tasks.trial_evaluate.apply(args=[store_id])

    monkeypatch.setattr(tasks.trial_evaluate, "apply_async", lambda args, **options: run_now(*args))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(trio[0])
        deliver(trio[1])
    store.refresh_from_db()
    assert store.status == "trial"  # two of three: not due

    with django_capture_on_commit_callbacks(execute=True):
        deliver(trio[2])

    assert queued == [store.pk, store.pk, store.pk]
    store.refresh_from_db()
    assert store.status == "active"


def test_the_application_follows_its_store(store, trio):
    for shipment in trio:
        deliver(shipment)

    trial_evaluate(store=store, now=AUGUST + 30 * 24 * H)

    application = store.application
    application.refresh_from_db()
    assert application.status == "active"
    (event,) = ApplicationEvent.objects.filter(application=application, action="transition")
    assert (event.from_status, event.to_status) == ("trial", "active")
    assert event.data["rate_pct"] == "100.0"


def test_the_daily_beat_entry(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["shipments-trials-evaluate"]
    assert entry["task"] == "shipments.trials_evaluate_due"
