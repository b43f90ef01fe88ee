import django.db
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from platforms.management.commands.import_store_metrics import Command
from platforms.models import ImportStatus, StoreMetricsImport, StoreMetricsSnapshot

from .factories import metrics_csv, metrics_row

pytestmark = pytest.mark.django_db


def test_the_command_imports_a_file_and_says_how_many_rows(tmp_path, capsys):
    path = tmp_path / "metrics.csv"
    path.write_bytes(metrics_csv([metrics_row(), metrics_row(store_id="2")]))

    call_command("import_store_metrics", str(path))

    batch = StoreMetricsImport.objects.get()
    assert capsys.readouterr().out == (f"Imported 2 rows from metrics.csv (import #{batch.pk}).\n")
    assert (batch.status, batch.uploaded_by, batch.file_name) == (
        ImportStatus.SUCCEEDED,
        None,
        "metrics.csv",
    )
    assert StoreMetricsSnapshot.objects.count() == 2


def test_a_refused_file_prints_the_report_and_fails(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        metrics_csv([metrics_row(), metrics_row(store_id="2", dsr_logistics="6", as_of="")])
    )

    with pytest.raises(CommandError) as refused:
        call_command("import_store_metrics", str(path))

    batch = StoreMetricsImport.objects.get()
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        f"bad.csv was refused (import #{batch.pk}): nothing was imported. Fix the problems "
        "above and run the command again."
    )
    assert capsys.readouterr().err.splitlines() == [
        "row 3, as_of: A value is required.",
        "row 3, dsr_logistics: 6 is out of range: it must be between 0 and 5.",
    ]
    assert batch.status == ImportStatus.REJECTED
    assert StoreMetricsSnapshot.objects.count() == 0


def test_a_problem_with_the_whole_file_names_no_row(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError):
        call_command("import_store_metrics", str(path))

    assert capsys.readouterr().err == "file: The file is empty.\n"


def test_the_exit_status_of_a_refused_file_is_1(tmp_path, capsys, monkeypatch):
    path = tmp_path / "bad.csv"
    path.write_bytes(metrics_csv([metrics_row(platform="ebay")]))
    # run_from_argv closes the connections when it ends; the test's transaction needs its own.
    monkeypatch.setattr(django.db.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_store_metrics", str(path)])

    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "row 2, platform: Unknown platform “ebay”" in err
    assert "CommandError: bad.csv was refused" in err
    assert StoreMetricsSnapshot.objects.count() == 0


def test_a_missing_file_is_an_error_and_records_nothing(tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot read .*nope\.csv: No such file or directory$"):
        call_command("import_store_metrics", str(tmp_path / "nope.csv"))

    assert StoreMetricsImport.objects.count() == 0


def test_the_help_documents_the_csv_format():
    help_text = Command().create_parser("manage.py", "import_store_metrics").format_help()

    assert "  platform *: aliexpress, lazada, temu or tiktok\n" in help_text
    assert "  store_bound *: yes/no: 菜鸟经络速通 is ticked" in help_text
    assert "  tiktok_site: TikTok Shop only: uk, us or other\n" in help_text
    assert "是/否" in help_text
    assert "GBK" in help_text
