"""A worker killed with SIGKILL in the middle of its task: the work is done exactly once when
a worker returns.

The tasks are acknowledged late (``acks_late``), so the killed worker's message stays with
the broker, unacknowledged; Redis hands it out again once its visibility timeout has
passed (``redeliver_unacked`` does now what an hour would do). Each test gives the task
to a "doomed" worker on a queue of its own, kills its whole process group mid-task, then
starts a "returning" worker on that queue.

The OCR case where the sweeper re-sends the document is
tests/onboarding/test_pipeline.py::test_a_worker_killed_mid_reading_is_swept_and_the_
document_read_once_more; here, the dead worker's own message coming back as well (after
the sweeper, or instead of it) reads nothing more.
"""

import datetime
import io
import time

import pytest
from celery.result import AsyncResult
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from billing import tasks as billing_tasks
from billing.models import LedgerEntry, Statement, StatementCounter, StatementLine
from conftest import kill_celery_worker, start_celery_worker, stop_celery_worker, wait_for
from core.timezones import SHANGHAI
from notifications.models import EmailState, Notification
from onboarding import tasks as onboarding_tasks
from onboarding.models import Document
from onboarding.services import document_ocr_requeue_stuck, document_upload
from onboarding.services import documents as document_services
from tests.onboarding.factories import ApplicationFactory
from tests.onboarding.synthetic import licence_image

from .helpers import other_backends, redeliver_unacked

pytestmark = [
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def workers():
    """Start workers on a queue of the test's own; every one is stopped at the end."""
    started = []

    def start(name: str, queue: str):
        process = start_celery_worker(name=name, queues=[queue], concurrency=1)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            stop_celery_worker(process)


def _ocr(document_id: int) -> tuple[str, int]:
    return Document.objects.values_list("ocr_status", "ocr_attempts").get(pk=document_id)


def test_ocr_the_dead_workers_own_message_coming_back_reads_nothing_more(
    seller_user, celery_worker, workers, monkeypatch
):
    data, truth = licence_image(12, fmt="jpeg")
    application = ApplicationFactory(seller=seller_user.seller)
    with monkeypatch.context() as patch:
        # The upload's own message would go to the session worker: the doomed one takes it.
        patch.setattr(document_services, "enqueue_on_commit", lambda task, pk: None)
        document = document_upload(
            application=application, user=seller_user, kind="licence", name="执照.jpg", data=data
        )
    doomed = workers("doomed-ocr", "kill-ocr")
    sent = onboarding_tasks.document_ocr.apply_async(args=[document.pk], queue="kill-ocr")
    wait_for(lambda: _ocr(document.pk) == ("reading", 1), timeout=30)
    kill_celery_worker(doomed)
    time.sleep(0.5)
    assert _ocr(document.pk) == ("reading", 1)

    # The sweeper's next run, once the reading is older than any task could take: the
    # session worker (queue ocr) reads it once more.
    assert document_ocr_requeue_stuck(now=timezone.now() + datetime.timedelta(minutes=16)) == [
        document.pk
    ]
    wait_for(lambda: _ocr(document.pk)[0] in ("done", "failed"), timeout=120, every=0.2)
    assert _ocr(document.pk) == ("done", 2)

    # An hour later Redis hands the dead worker's message out again; a worker returns.
    workers("returning-ocr", "kill-ocr")
    redeliver_unacked(sent.id)
    assert AsyncResult(sent.id).get(timeout=60) == "skipped"
    document.refresh_from_db()
    assert (document.ocr_status, document.ocr_attempts) == ("done", 2)
    assert document.ocr_fields["uscc"] == truth["uscc"]


# ---------------------------------------------------------------------------------------
# Closing a month
# ---------------------------------------------------------------------------------------
OCTOBER = datetime.date(2026, 10, 1)
SELLERS = 2_000
CHARGES = 300_000  # enough for the close's one SQL statement to run for a few seconds
# The close's one statement, named at its start (pg_stat_activity keeps 1 kB of a query).
CLOSE_SQL = "%%billing close_month%%"


def _october_charges(*, sellers: int, charges: int) -> None:
    """``sellers`` monthly sellers with ``charges`` charges in October 2026, loaded with
    one INSERT … SELECT generate_series each (as bench/bench_billing.py does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_seller (company_name, created_at) "
            "SELECT '故障测试卖家' || n, now() FROM generate_series(1, %s) n",
            [sellers],
        )
        cursor.execute(
            """
            INSERT INTO billing_ledgerentry
                (seller_id, kind, mode, amount, period, key, reference, note, at)
            SELECT s.ids[1 + (n %% array_length(s.ids, 1))], 'charge', 'monthly',
                   -(20 + (n %% 997) / 100.0)::numeric(14, 2), %(period)s,
                   'charge:fault:' || n, '', 'AE-' || n,
                   %(start)s::timestamptz + (n %% 2678400) * interval '1 second'
            FROM generate_series(1, %(charges)s) n,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_seller) s
            """,
            {
                "period": OCTOBER,
                "start": datetime.datetime(2026, 10, 1, tzinfo=SHANGHAI),
                "charges": charges,
            },
        )
        cursor.execute("ANALYZE billing_ledgerentry")


def _closing() -> list[tuple]:
    return other_backends(where="state = 'active' AND query LIKE %s", params=[CLOSE_SQL])


def test_close_month_killed_mid_statement_issues_every_statement_exactly_once(
    workers, celery_worker
):
    _october_charges(sellers=SELLERS, charges=CHARGES)
    doomed = workers("doomed-close", "kill-close")
    sent = billing_tasks.close_month.apply_async(args=["2026-10"], queue="kill-close")
    # Mid-way: the one statement that issues the statements and their lines is running.
    wait_for(_closing, timeout=60, every=0.02)
    kill_celery_worker(doomed)

    # The dead worker's transaction never commits: its backend finishes the statement,
    # cannot answer the dead client and rolls back.
    wait_for(lambda: not _closing(), timeout=120, every=0.2)
    assert not Statement.objects.exists()
    assert not StatementLine.objects.exists()
    assert not StatementCounter.objects.filter(last_number__gt=0).exists()

    workers("returning-close", "kill-close")
    redeliver_unacked(sent.id)
    assert AsyncResult(sent.id).get(timeout=300) == SELLERS

    statements = Statement.objects.filter(period=OCTOBER)
    assert statements.count() == SELLERS
    assert sorted(statements.values_list("number", flat=True)) == [
        f"JL202610-{n:05d}" for n in range(1, SELLERS + 1)
    ]
    assert StatementCounter.objects.get(period=OCTOBER).last_number == SELLERS
    # Every charge on exactly one line, every statement the sum of its lines.
    assert StatementLine.objects.count() == CHARGES
    assert StatementLine.objects.values("entry_id").distinct().count() == CHARGES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM billing_statement s WHERE s.total <> "
            "(SELECT sum(l.amount) FROM billing_statementline l WHERE l.statement_id = s.id)"
        )
        assert cursor.fetchone() == (0,)
    billed = LedgerEntry.objects.aggregate(total=Sum("amount"))["total"]
    assert statements.aggregate(total=Sum("total"))["total"] == -billed

    # Beat firing again, or operations closing by hand: nothing more.
    assert billing_tasks.close_month.apply(args=["2026-10"]).get() == 0
    out = io.StringIO()
    call_command("close_month", "2026-10", stdout=out)
    assert out.getvalue() == "2026-10: 0 statements issued (nothing left to bill).\n"
    assert Statement.objects.count() == SELLERS
    # Each seller is told once; the session's worker e-mails them (and is done before the
    # test's tables are emptied under it).
    assert Notification.objects.filter(kind="statement_issued").count() == SELLERS
    wait_for(
        lambda: not Notification.objects.filter(email_state=EmailState.PENDING).exists(),
        timeout=120,
    )
