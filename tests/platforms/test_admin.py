import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from platforms.models import ImportStatus, StoreMetricsImport, StoreMetricsSnapshot

from .factories import (
    StoreMetricsImportFactory,
    StoreMetricsSnapshotFactory,
    metrics_csv,
    metrics_row,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:platforms_storemetricssnapshot_import")
SNAPSHOTS_URL = reverse("admin:platforms_storemetricssnapshot_changelist")
IMPORTS_URL = reverse("admin:platforms_storemetricsimport_changelist")


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ops_client(client, ops_user):
    return _login(client, ops_user)


def _upload(data: bytes, name: str = "metrics.csv"):
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def _errors_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_ops_find_the_import_page_from_the_changelist(ops_client):
    html = ops_client.get(SNAPSHOTS_URL).content.decode()

    assert f'href="{IMPORT_URL}"' in html
    assert "Import CSV" in html
    assert "delete_selected" not in html
    assert "addlink" in html  # the import button only: there is no add form
    assert reverse("admin:platforms_storemetricssnapshot_add") not in html


def test_the_import_page_documents_the_format_and_has_a_csrf_token(ops_client):
    response = ops_client.get(IMPORT_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html
    assert "<code>tiktok_logistics_partner</code>" in html
    assert "true/false, 1/0, yes/no or 是/否" in html
    assert 'id="import-result"' not in html


def test_ops_import_a_valid_file_and_see_the_result(ops_client, ops_user):
    data = metrics_csv([metrics_row(), metrics_row(store_id="2", store_bound="否")])

    response = ops_client.post(IMPORT_URL, _upload(data, "指标 8月.csv"))

    batch = StoreMetricsImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORT_URL}?batch={batch.pk}"
    assert (batch.status, batch.rows_imported, batch.uploaded_by) == (
        ImportStatus.SUCCEEDED,
        2,
        ops_user,
    )
    assert batch.file_name == "指标 8月.csv"
    assert StoreMetricsSnapshot.objects.count() == 2
    html = ops_client.get(response["Location"]).content.decode()
    assert "2 rows imported." in html
    assert "Result of import #" in html
    assert 'id="import-errors"' not in html


def test_a_refused_file_shows_the_error_table_and_the_report_downloads(ops_client):
    data = metrics_csv(
        [
            metrics_row(),
            metrics_row(store_id="2", dsr_logistics="4.9.1", platform="=cmd|' /C calc'!A0"),
        ]
    )

    response = ops_client.post(IMPORT_URL, _upload(data), follow=True)

    batch = StoreMetricsImport.objects.get()
    html = response.content.decode()
    assert batch.status == ImportStatus.REJECTED
    assert StoreMetricsSnapshot.objects.count() == 0
    assert "The file was refused: nothing was imported." in html
    assert 'id="import-errors"' in html
    assert "<td>3</td><td>dsr_logistics</td><td>“4.9.1” is not a number.</td>" in html
    download_url = reverse("admin:platforms_storemetricsimport_errors", args=[batch.pk])
    assert f'href="{download_url}"' in html

    download = ops_client.get(download_url)

    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == (
        f'attachment; filename="store-metrics-import-{batch.pk}-errors.csv"'
    )
    assert _errors_csv(download) == [
        ["Row", "Column", "Problem"],
        [
            "3",
            "platform",
            "Unknown platform “=cmd|' /C calc'!A0”: use one of aliexpress, lazada, temu, tiktok.",
        ],
        ["3", "dsr_logistics", "“4.9.1” is not a number."],
    ]


def test_the_report_cannot_smuggle_a_formula_into_excel(ops_client):
    columns = [*metrics_csv([]).decode().strip().split(","), '=HYPERLINK("http://x")']
    data = metrics_csv([metrics_row()], columns=columns)
    ops_client.post(IMPORT_URL, _upload(data))
    batch = StoreMetricsImport.objects.get()

    rows = _errors_csv(
        ops_client.get(reverse("admin:platforms_storemetricsimport_errors", args=[batch.pk]))
    )

    assert rows[1] == ["1", '\'=HYPERLINK("http://x")', "Unknown column: check its spelling."]


def test_a_file_level_problem_is_reported_without_a_row(ops_client):
    response = ops_client.post(IMPORT_URL, _upload(b"PK\x03\x04xlsx", "metrics.xlsx"), follow=True)

    html = response.content.decode()
    assert "<td>—</td><td>—</td><td>This is an Excel workbook, not a CSV file" in html
    assert StoreMetricsImport.objects.get().status == ImportStatus.REJECTED


def test_posting_without_a_file_shows_the_form_error(ops_client):
    response = ops_client.post(IMPORT_URL, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert StoreMetricsImport.objects.count() == 0


def test_the_import_needs_the_csrf_token(ops_user):
    client = _login(Client(enforce_csrf_checks=True), ops_user)

    response = client.post(IMPORT_URL, _upload(metrics_csv([metrics_row()])))

    assert response.status_code == 403
    assert StoreMetricsImport.objects.count() == 0


def test_finance_cannot_import_or_see_store_metrics(client, finance_user):
    _login(client, finance_user)
    batch = StoreMetricsImportFactory(status=ImportStatus.REJECTED, errors=[])

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, _upload(metrics_csv([metrics_row()]))).status_code == 403
    assert client.get(SNAPSHOTS_URL).status_code == 403
    assert client.get(IMPORTS_URL).status_code == 403
    errors_url = reverse("admin:platforms_storemetricsimport_errors", args=[batch.pk])
    assert client.get(errors_url).status_code == 403
    assert StoreMetricsImport.objects.count() == 1
    assert StoreMetricsSnapshot.objects.count() == 0


@pytest.mark.parametrize("who", ["seller", "anonymous"])
def test_sellers_and_visitors_are_sent_to_the_admin_login(client, seller_user, who):
    if who == "seller":
        _login(client, seller_user)

    for response in (
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, _upload(metrics_csv([metrics_row()]))),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert StoreMetricsImport.objects.count() == 0


def test_snapshots_cannot_be_added_changed_or_deleted_in_the_admin(ops_client):
    snapshot = StoreMetricsSnapshotFactory()

    change = ops_client.get(
        reverse("admin:platforms_storemetricssnapshot_change", args=[snapshot.pk])
    )
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert ops_client.get(reverse("admin:platforms_storemetricssnapshot_add")).status_code == 403
    delete_url = reverse("admin:platforms_storemetricssnapshot_delete", args=[snapshot.pk])
    assert ops_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ops_client.post(
        SNAPSHOTS_URL, {"action": "delete_selected", "_selected_action": [snapshot.pk]}
    ).status_code in (200, 302)
    assert StoreMetricsSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_the_snapshot_changelist_has_a_fixed_query_budget(
    ops_client, django_assert_max_num_queries
):
    batch = StoreMetricsImportFactory()
    StoreMetricsSnapshotFactory.create_batch(3, batch=batch)
    with django_assert_max_num_queries(8):
        small = ops_client.get(SNAPSHOTS_URL, {"platform__exact": "aliexpress", "q": "9"})
    StoreMetricsSnapshotFactory.create_batch(120, batch=batch)
    StoreMetricsSnapshotFactory.create_batch(30)

    with django_assert_max_num_queries(8):
        big = ops_client.get(SNAPSHOTS_URL, {"platform__exact": "aliexpress", "q": "9"})

    assert small.status_code == big.status_code == 200
    assert f"#{batch.pk}</a>" in big.content.decode()


def test_the_import_changelist_has_a_fixed_query_budget(
    ops_client, ops_user, django_assert_max_num_queries
):
    StoreMetricsImportFactory(uploaded_by=ops_user)
    with django_assert_max_num_queries(8):
        ops_client.get(IMPORTS_URL)
    for _ in range(60):
        StoreMetricsImportFactory(
            uploaded_by=ops_user,
            status=ImportStatus.REJECTED,
            errors=[{"row": 2, "column": "as_of", "message": "x"}] * 500,
        )

    with django_assert_max_num_queries(8):
        response = ops_client.get(IMPORTS_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Download (CSV)") == 60
    assert ops_user.email in html


def test_an_import_page_shows_its_problems_read_only(ops_client):
    batch = StoreMetricsImportFactory(
        status=ImportStatus.REJECTED,
        rows_total=4,
        errors=[{"row": 3, "column": "as_of", "message": "“x” is not a date: write YYYY-MM-DD."}],
    )

    response = ops_client.get(reverse("admin:platforms_storemetricsimport_change", args=[batch.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>3</td><td>as_of</td><td>“x” is not a date: write YYYY-MM-DD.</td>" in html
    assert 'name="_save"' not in html


def test_operations_may_view_and_import_finance_gets_nothing(ops_user, finance_user):
    assert {p for p in ops_user.get_all_permissions() if p.startswith("platforms.")} == {
        "platforms.view_storemetricssnapshot",
        "platforms.add_storemetricssnapshot",
        "platforms.view_storemetricsimport",
    }
    assert not any(p.startswith("platforms.") for p in finance_user.get_all_permissions())
