"""The whole-month export job: started by finance in the admin, built by the real Celery
worker with progress on its row, downloadable when done; the same file as the command's."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from billing.models import ExportJob, ExportStatus
from billing.services.exports import ExportNotAllowed, export_job_request, export_job_run
from tests.billing.test_exports import INJECTION, PERIOD, monthly_statement, read_csv


def wait_for(job_id: int, *, timeout: float = 60) -> ExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ExportJob.objects.get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"export job {job_id} still {job.status} after {timeout} s")


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finance_exports_a_month_through_the_worker_and_downloads_it(
    client, finance_user, celery_worker, tmp_path
):
    monthly_statement(orders=("AE-J1", INJECTION))
    monthly_statement(orders=("AE-J3",))
    client.force_login(finance_user)

    start = client.get(reverse("admin:billing_exportjob_add"))
    response = client.post(
        reverse("admin:billing_exportjob_add"), {"period": "2026-08", "format": "csv"}
    )

    assert start.status_code == 200
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:billing_exportjob_change", args=[job.pk])
    assert job.requested_by == finance_user
    assert job.rows_total == 3
    job = wait_for(job.pk)
    assert job.status == ExportStatus.DONE, job.error
    assert (job.rows_done, job.rows_total, job.attempts) == (3, 3, 1)
    assert job.storage_name == f"exports/{job.pk}/statements-2026-08.csv"

    progress = client.get(reverse("admin:billing_exportjob_progress", args=[job.pk])).json()
    page = client.get(reverse("admin:billing_exportjob_change", args=[job.pk]))
    download = client.get(reverse("admin:billing_exportjob_download", args=[job.pk]))

    assert progress["status"] == "done"
    assert progress["percent"] == 100
    assert progress["download_url"] == reverse("admin:billing_exportjob_download", args=[job.pk])
    assert page.status_code == 200
    assert progress["download_url"] in page.content.decode()
    assert download.status_code == 200
    assert 'filename="statements-2026-08.csv"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    rows = read_csv(body)
    assert len(rows) == 4
    assert "'" + INJECTION in rows[2]

    call_command("export_statements", "2026-08", "--format", "csv", "--out", tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_bytes() == body


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_xlsx_month_export_through_the_worker(finance_user, celery_worker):
    monthly_statement(orders=("AE-X1", "AE-X2"))

    job = wait_for(export_job_request(user=finance_user, period=PERIOD, fmt="xlsx").pk)

    assert job.status == ExportStatus.DONE, job.error
    assert job.rows_done == 2
    import openpyxl

    with default_storage.open(job.storage_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read()))["2026-08"]
    assert [row[10] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["AE-X1", "AE-X2"]


@pytest.mark.django_db
def test_running_a_job_twice_builds_it_once_and_a_job_left_running_is_rebuilt(
    finance_user, django_capture_on_commit_callbacks
):
    monthly_statement(orders=("AE-R1",))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = export_job_request(user=finance_user, period=PERIOD, fmt="csv")
    assert len(queued) == 1  # the task is sent after commit

    done = export_job_run(job_id=job.pk)
    again = export_job_run(job_id=job.pk)

    assert done.status == ExportStatus.DONE
    assert again is None
    assert ExportJob.objects.get(pk=job.pk).attempts == 1
    first_file = done.storage_name

    # a worker died mid-export: the job is still "running"; the redelivered task rebuilds it
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, rows_done=0)
    rebuilt = export_job_run(job_id=job.pk)
    assert rebuilt.status == ExportStatus.DONE
    assert rebuilt.attempts == 2
    assert rebuilt.storage_name == first_file  # replaced, not a second copy
    assert default_storage.listdir(f"exports/{job.pk}")[1] == ["statements-2026-08.csv"]


@pytest.mark.django_db
def test_a_second_request_for_the_same_month_and_format_gets_the_running_job(finance_user):
    first = export_job_request(user=finance_user, period=PERIOD, fmt="csv")
    second = export_job_request(user=finance_user, period=PERIOD, fmt="csv")
    other = export_job_request(user=finance_user, period=PERIOD, fmt="xlsx")

    assert second.pk == first.pk
    assert other.pk != first.pk
    assert ExportJob.objects.count() == 2


@pytest.mark.django_db
def test_operations_cannot_start_see_or_download_exports(client, ops_user, finance_user):
    job = export_job_request(user=finance_user, period=PERIOD, fmt="csv")
    export_job_run(job_id=job.pk)
    client.force_login(ops_user)

    urls = [
        reverse("admin:billing_exportjob_changelist"),
        reverse("admin:billing_exportjob_add"),
        reverse("admin:billing_exportjob_change", args=[job.pk]),
        reverse("admin:billing_exportjob_progress", args=[job.pk]),
        reverse("admin:billing_exportjob_download", args=[job.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    post = client.post(urls[1], {"period": "2026-08", "format": "csv"})

    assert statuses == [403] * 5
    assert post.status_code == 403
    assert ExportJob.objects.count() == 1
    with pytest.raises(ExportNotAllowed):
        export_job_request(user=ops_user, period=PERIOD, fmt="csv")


@pytest.mark.django_db
def test_the_finance_changelist_has_a_query_budget(
    client, finance_user, django_assert_max_num_queries
):
    for fmt in ("csv", "xlsx"):
        export_job_request(user=finance_user, period=PERIOD, fmt=fmt)
    client.force_login(finance_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:billing_exportjob_changelist"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_bad_month_is_refused_on_the_start_page(client, finance_user):
    client.force_login(finance_user)

    response = client.post(
        reverse("admin:billing_exportjob_add"), {"period": "2026-13", "format": "csv"}
    )

    assert response.status_code == 200
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
def test_a_job_lost_for_hours_is_failed_and_a_new_one_starts(finance_user):
    import datetime

    from django.utils import timezone

    lost = export_job_request(user=finance_user, period=PERIOD, fmt="csv")
    ExportJob.objects.filter(pk=lost.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=3)
    )

    fresh = export_job_request(user=finance_user, period=PERIOD, fmt="csv")

    assert fresh.pk != lost.pk
    assert fresh.status == ExportStatus.QUEUED
    lost.refresh_from_db()
    assert lost.status == ExportStatus.FAILED
    assert lost.error
