"""`close_month` by hand, by Celery beat's schedule and through a real worker."""

import datetime
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from billing.models import Statement
from billing.tasks import close_month
from tests.billing.factories import monthly_store
from tests.shipments.factories import AUGUST, create_shipment

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("close_month", *args, stdout=out)
    return out.getvalue()


def test_the_command_issues_the_months_statements_once():
    for _ in range(2):
        create_shipment(monthly_store(), at=AUGUST)
    assert run("2026-08", "--dry-run") == "2026-08: 2 statement(s) would be issued.\n"
    assert not Statement.objects.exists()
    assert run("2026-08") == (
        "2026-08: 2 statement(s) issued (JL202608-00001 … JL202608-00002), 2 line(s).\n"
    )
    assert run("2026-08") == "2026-08: 0 statements issued (nothing left to bill).\n"
    assert run("2026-08", "--dry-run") == "2026-08: 0 statement(s) would be issued.\n"
    assert Statement.objects.count() == 2
    assert set(Statement.objects.values_list("due_date", flat=True)) == {datetime.date(2026, 9, 15)}


@pytest.mark.parametrize("period", ["2026-13", "october", "2026"])
def test_a_bad_period_is_refused(period):
    with pytest.raises(CommandError):
        run(period)


def test_a_month_not_over_is_refused():
    with pytest.raises(CommandError):
        run("2999-01")


def test_beat_closes_the_previous_month_after_midnight_on_the_first_in_shanghai():
    entry = settings.CELERY_BEAT_SCHEDULE["billing-close-month"]
    assert entry["task"] == "billing.close_month"
    assert entry["schedule"] == crontab(hour=0, minute=15, day_of_month=1)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_the_task_closes_the_given_month_and_is_safe_twice():
    create_shipment(monthly_store(), at=AUGUST)
    assert close_month.apply(args=["2026-08"]).get() == 1
    assert close_month.apply(args=["2026-08"]).get() == 0


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_closes_the_month(celery_worker):
    create_shipment(monthly_store(), at=AUGUST)
    assert close_month.delay("2026-08").get(timeout=60) == 1
    assert close_month.delay("2026-08").get(timeout=60) == 0
    assert Statement.objects.get().number == "JL202608-00001"
