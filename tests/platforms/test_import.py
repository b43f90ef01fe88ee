import datetime
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from platforms import services
from platforms.adapters import MAX_FILE_BYTES, StoreMetricsSource
from platforms.models import ImportStatus, StoreMetricsImport, StoreMetricsSnapshot
from platforms.parsing import COLUMNS, REQUIRED_COLUMNS, MetricsRow, RowError
from platforms.services import store_metrics_import

from .factories import import_csv, metrics_csv, metrics_row

pytestmark = pytest.mark.django_db


def _values(snapshot: StoreMetricsSnapshot) -> dict:
    return {field: getattr(snapshot, field) for field in COLUMNS}


def _assert_rejected(batch: StoreMetricsImport, errors: list[tuple]) -> None:
    assert batch.status == ImportStatus.REJECTED
    assert batch.rows_imported == 0
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == errors
    assert StoreMetricsSnapshot.objects.count() == 0


# ---------------------------------------------------------------------------
# Valid files
# ---------------------------------------------------------------------------
def test_a_valid_file_imports_every_row_with_its_exact_values(ops_user):
    data = metrics_csv(
        [
            metrics_row(),
            metrics_row(
                platform="lazada",
                store_id="LZ-CN-0042",
                as_of="2024-08-04",
                positive_rating_pct="99.99%",
                dsr_logistics="5",
                fulfilment_score="100",
                return_rate_pct="0",
                label_print_success_pct="98.05%",
                serious_complaints_30d="2",
                store_bound="false",
                store_level="",
                aliexpress_tier="",
                lazada_official_warehouse="yes",
            ),
            metrics_row(
                platform="temu",
                store_id="634418",
                positive_rating_pct="0",
                store_bound="1",
                store_level="",
                aliexpress_tier="",
                temu_full_custody_whitelisted="0",
            ),
            metrics_row(
                platform="tiktok",
                store_id="GBLC7Y2K",
                store_level="",
                aliexpress_tier="",
                tiktok_site="uk",
                tiktok_logistics_partner="TRUE",
            ),
        ]
    )

    batch = import_csv(data, file_name="2024-08-05 指标.csv", user=ops_user)

    assert batch.status == ImportStatus.SUCCEEDED
    assert (batch.rows_total, batch.rows_imported, batch.errors) == (4, 4, [])
    assert batch.file_name == "2024-08-05 指标.csv"
    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    assert batch.uploaded_by == ops_user
    snapshots = {s.store_id: s for s in StoreMetricsSnapshot.objects.all()}
    assert set(snapshots) == {"912345678", "LZ-CN-0042", "634418", "GBLC7Y2K"}
    assert all(s.batch_id == batch.pk for s in snapshots.values())
    assert _values(snapshots["912345678"]) == {
        "platform": "aliexpress",
        "store_id": "912345678",
        "as_of": datetime.date(2024, 8, 5),
        "positive_rating_pct": Decimal("96.50"),
        "dsr_logistics": Decimal("4.80"),
        "fulfilment_score": Decimal("98.25"),
        "return_rate_pct": Decimal("2.10"),
        "label_print_success_pct": Decimal("99.30"),
        "serious_complaints_30d": 0,
        "store_bound": True,
        "store_level": "L3",
        "aliexpress_tier": "ka",
        "lazada_official_warehouse": None,
        "temu_full_custody_whitelisted": None,
        "tiktok_site": "",
        "tiktok_logistics_partner": None,
    }
    lazada = snapshots["LZ-CN-0042"]
    assert (lazada.as_of, lazada.positive_rating_pct, lazada.dsr_logistics) == (
        datetime.date(2024, 8, 4),
        Decimal("99.99"),
        Decimal("5.00"),
    )
    assert (lazada.fulfilment_score, lazada.return_rate_pct) == (Decimal("100.00"), Decimal(0))
    assert lazada.label_print_success_pct == Decimal("98.05")
    assert (lazada.serious_complaints_30d, lazada.store_bound) == (2, False)
    assert (lazada.store_level, lazada.aliexpress_tier) == ("", "")
    assert lazada.lazada_official_warehouse is True
    temu = snapshots["634418"]
    assert (temu.positive_rating_pct, temu.store_bound) == (Decimal("0.00"), True)
    assert temu.temu_full_custody_whitelisted is False
    tiktok = snapshots["GBLC7Y2K"]
    assert (tiktok.tiktok_site, tiktok.tiktok_logistics_partner) == ("uk", True)


def test_utf8_with_bom_and_chinese_yes_no():
    data = "\ufeff".encode() + metrics_csv(
        [
            metrics_row(store_bound="是", aliexpress_tier="优选"),
            metrics_row(
                platform="lazada",
                store_id="LZ1",
                store_bound="否",
                aliexpress_tier="",
                lazada_official_warehouse="否",
            ),
        ]
    )

    batch = import_csv(data)

    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    aliexpress = StoreMetricsSnapshot.objects.get(platform="aliexpress")
    assert (aliexpress.store_bound, aliexpress.aliexpress_tier) == (True, "preferred")
    lazada = StoreMetricsSnapshot.objects.get(platform="lazada")
    assert (lazada.store_bound, lazada.lazada_official_warehouse) == (False, False)


def test_gbk_from_chinese_excel():
    data = metrics_csv(
        [
            metrics_row(store_id="速卖通旗舰店01", store_bound="是", aliexpress_tier="优选"),
            metrics_row(
                platform="temu",
                store_id="全托管店",
                store_bound="否",
                aliexpress_tier="",
                temu_full_custody_whitelisted="是",
            ),
        ],
        encoding="gbk",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    batch = import_csv(data)

    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    aliexpress = StoreMetricsSnapshot.objects.get(store_id="速卖通旗舰店01")
    assert (aliexpress.store_bound, aliexpress.aliexpress_tier) == (True, "preferred")
    temu = StoreMetricsSnapshot.objects.get(store_id="全托管店")
    assert (temu.store_bound, temu.temu_full_custody_whitelisted) == (False, True)


def test_header_in_any_order_and_case_optional_columns_absent_blank_rows_skipped():
    columns = ["Store_ID", " AS_OF ", *reversed(REQUIRED_COLUMNS[3:]), "PLATFORM"]
    values = metrics_row(as_of="2024/8/5")
    row = {column: values[column.strip().lower()] for column in columns}
    data = metrics_csv([row], columns=columns, line_end="\n") + b",,,,,,,,,,\n\n"

    batch = import_csv(data)

    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_total == 1
    snapshot = StoreMetricsSnapshot.objects.get()
    assert (snapshot.platform, snapshot.as_of) == ("aliexpress", datetime.date(2024, 8, 5))
    assert (snapshot.store_level, snapshot.aliexpress_tier) == ("", "")


def test_quoted_values_keep_their_commas():
    data = metrics_csv([metrics_row(store_id='"SHOP,1"')])

    assert import_csv(data).status == ImportStatus.SUCCEEDED
    assert StoreMetricsSnapshot.objects.get().store_id == "SHOP,1"


def test_writes_in_bulk_not_a_query_per_row(django_assert_max_num_queries):
    rows = [metrics_row(store_id=f"S{n}") for n in range(5000)]
    data = metrics_csv(rows)

    # savepoint, batch insert, 3 × INSERT … ON CONFLICT (2,000 rows each), batch update, release
    with django_assert_max_num_queries(8):
        batch = import_csv(data)

    assert (batch.status, batch.rows_imported) == (ImportStatus.SUCCEEDED, 5000)
    assert StoreMetricsSnapshot.objects.count() == 5000


# ---------------------------------------------------------------------------
# Re-import: the same store and date is an upsert
# ---------------------------------------------------------------------------
def test_the_same_store_and_date_again_replaces_the_figures():
    first = import_csv(
        metrics_csv([metrics_row(), metrics_row(store_id="OTHER", dsr_logistics="4.90")])
    )
    second = import_csv(
        metrics_csv(
            [
                metrics_row(dsr_logistics="4.20", store_bound="false", aliexpress_tier=""),
                metrics_row(as_of="2024-08-06", dsr_logistics="4.95"),
            ]
        )
    )

    assert second.status == ImportStatus.SUCCEEDED
    assert (second.rows_total, second.rows_imported) == (2, 2)
    assert StoreMetricsSnapshot.objects.count() == 3
    replaced = StoreMetricsSnapshot.objects.get(store_id="912345678", as_of="2024-08-05")
    assert (replaced.dsr_logistics, replaced.store_bound) == (Decimal("4.20"), False)
    assert replaced.aliexpress_tier == ""
    assert replaced.batch == second
    untouched = StoreMetricsSnapshot.objects.get(store_id="OTHER")
    assert (untouched.dsr_logistics, untouched.batch) == (Decimal("4.90"), first)


def test_a_refused_reimport_leaves_the_stored_figures_alone():
    import_csv(metrics_csv([metrics_row()]))
    before = _values(StoreMetricsSnapshot.objects.get())

    batch = import_csv(
        metrics_csv([metrics_row(dsr_logistics="4.10"), metrics_row(store_id="X", as_of="x")])
    )

    assert batch.status == ImportStatus.REJECTED
    assert _values(StoreMetricsSnapshot.objects.get()) == before


# ---------------------------------------------------------------------------
# Bad input: a clear report, and nothing imported
# ---------------------------------------------------------------------------
HEADER = ",".join(COLUMNS).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (HEADER + b"\r\n,,,\r\n", "The file has a header but no data rows."),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "This is an Excel workbook, not a CSV file: in Excel use 另存为 (Save As) → CSV.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "This is an Excel workbook, not a CSV file: in Excel use 另存为 (Save As) → CSV.",
        ),
        (
            "platform,store_id".encode("utf-16"),
            "The file is in UTF-16 (Excel's “Unicode text”): save it as CSV in UTF-8 or GBK.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This is not a CSV file: it contains binary data.",
        ),
        (
            HEADER + b"\r\n\x80\x80\x80",
            "The file's encoding is neither UTF-8 nor GBK: save it as CSV UTF-8.",
        ),
        (
            "店铺,日期,好评率\r\n1,2,3\r\n".encode(),
            "The first row is not the header of a store metrics file: it must name the columns, "
            "starting with platform, store_id, as_of.",
        ),
    ],
    ids=[
        "empty",
        "bom-only",
        "header-only",
        "xlsx",
        "xls",
        "utf-16",
        "png",
        "undecodable",
        "not-our-header",
    ],
)
def test_an_unreadable_file_is_refused_whole(data, message):
    batch = import_csv(data)

    _assert_rejected(batch, [(None, "", message)])
    assert batch.rows_total == 0


def test_a_file_over_20_mb_is_refused():
    data = HEADER + b"\r\n" + b"x" * MAX_FILE_BYTES

    batch = import_csv(data)

    _assert_rejected(
        batch, [(None, "", "The file is larger than 20 MB: split it into smaller files.")]
    )


def test_header_problems_are_each_reported_on_row_1():
    columns = [c for c in COLUMNS if c not in ("as_of", "store_bound")]
    columns += ["platform", "store_levle", ""]

    batch = import_csv(metrics_csv([metrics_row()], columns=columns))

    _assert_rejected(
        batch,
        [
            (1, "platform", "This column appears twice in the header."),
            (1, "store_levle", "Unknown column: check its spelling."),
            (1, "", "Column 17 has no name."),
            (1, "as_of, store_bound", "Required columns are missing: as_of, store_bound."),
        ],
    )


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"platform": "shopee"},
            "platform",
            "Unknown platform “shopee”: use one of aliexpress, lazada, temu, tiktok.",
        ),
        ({"platform": ""}, "platform", "A value is required."),
        ({"store_id": ""}, "store_id", "A value is required."),
        ({"store_id": "S" * 65}, "store_id", "A store ID has at most 64 characters."),
        (
            {"store_id": "9.12346E+11"},
            "store_id",
            "“9.12346E+11” looks like a number Excel shortened: format the column as text and "
            "export again.",
        ),
        ({"as_of": "05/08/2024"}, "as_of", "“05/08/2024” is not a date: write YYYY-MM-DD."),
        ({"as_of": "2024-02-30"}, "as_of", "“2024-02-30” is not a date: write YYYY-MM-DD."),
        ({"as_of": TOMORROW}, "as_of", f"The date {TOMORROW} is in the future."),
        ({"positive_rating_pct": "-1"}, "positive_rating_pct", "-1 is negative."),
        (
            {"positive_rating_pct": "100.5%"},
            "positive_rating_pct",
            "100.5% is out of range: it must be between 0 and 100.",
        ),
        ({"positive_rating_pct": "九十六"}, "positive_rating_pct", "“九十六” is not a number."),
        ({"positive_rating_pct": "NaN"}, "positive_rating_pct", "“NaN” is not a number."),
        (
            {"dsr_logistics": "5.1"},
            "dsr_logistics",
            "5.1 is out of range: it must be between 0 and 5.",
        ),
        ({"dsr_logistics": "4.8%"}, "dsr_logistics", "“4.8%” is not a number."),
        (
            {"dsr_logistics": "4.825"},
            "dsr_logistics",
            "“4.825” has more than 2 decimal places.",
        ),
        (
            {"fulfilment_score": "1e3"},
            "fulfilment_score",
            "1e3 is out of range: it must be between 0 and 100.",
        ),
        ({"return_rate_pct": "-0.5%"}, "return_rate_pct", "-0.5% is negative."),
        ({"label_print_success_pct": ""}, "label_print_success_pct", "A value is required."),
        ({"serious_complaints_30d": "-2"}, "serious_complaints_30d", "-2 is negative."),
        (
            {"serious_complaints_30d": "1.5"},
            "serious_complaints_30d",
            "“1.5” is not a whole number.",
        ),
        (
            {"serious_complaints_30d": "3000000000"},
            "serious_complaints_30d",
            "3000000000 is too large.",
        ),
        ({"store_bound": ""}, "store_bound", "A value is required."),
        (
            {"store_bound": "maybe"},
            "store_bound",
            "“maybe” is not yes or no: write true/false, 1/0, yes/no or 是/否.",
        ),
        ({"store_level": "LEVEL-THREE"}, "store_level", "A store level has at most 10 characters."),
        (
            {"aliexpress_tier": "gold"},
            "aliexpress_tier",
            "Unknown value “gold”: use one of ka, preferred, other, or leave it empty.",
        ),
        (
            {"lazada_official_warehouse": "yes"},
            "lazada_official_warehouse",
            "Only Lazada rows have this value; leave it empty.",
        ),
        (
            {"tiktok_site": "us"},
            "tiktok_site",
            "Only TikTok Shop rows have this value; leave it empty.",
        ),
    ],
)
def test_a_bad_value_refuses_the_whole_file(values, column, message):
    data = metrics_csv([metrics_row(store_id="GOOD"), metrics_row(**values)])

    batch = import_csv(data)

    _assert_rejected(batch, [(3, column, message)])
    assert batch.rows_total == 2


def test_every_problem_of_every_row_is_reported_with_its_row_number():
    data = metrics_csv(
        [
            metrics_row(store_id="A"),
            metrics_row(store_id="B", as_of="yesterday", dsr_logistics="-4.8"),
            metrics_row(store_id="C"),
            metrics_row(
                platform="temu",
                store_id="D",
                aliexpress_tier="ka",
                temu_full_custody_whitelisted="是",
            ),
        ]
    )

    batch = import_csv(data)

    _assert_rejected(
        batch,
        [
            (3, "as_of", "“yesterday” is not a date: write YYYY-MM-DD."),
            (3, "dsr_logistics", "-4.8 is negative."),
            (
                5,
                "aliexpress_tier",
                "Only AliExpress (速卖通) rows have this value; leave it empty.",
            ),
        ],
    )
    assert batch.rows_total == 4


def test_the_same_store_and_date_twice_in_one_file_is_refused():
    data = metrics_csv(
        [
            metrics_row(),
            metrics_row(platform="lazada", aliexpress_tier=""),
            metrics_row(as_of="2024-08-06"),
            metrics_row(dsr_logistics="4.99"),
        ]
    )

    batch = import_csv(data)

    _assert_rejected(
        batch,
        [(5, "platform, store_id, as_of", "Row 2 already has this platform, store ID and date.")],
    )


def test_a_row_with_more_values_than_the_header_is_refused():
    extra = ",".join(metrics_row(store_id="EXTRA").values()) + ",surplus,,\r\n"
    data = metrics_csv([metrics_row()]) + extra.encode()

    batch = import_csv(data)

    _assert_rejected(batch, [(3, "", "This row has 17 values but the header has 16.")])


def test_rows_written_before_a_late_bad_row_are_rolled_back(monkeypatch):
    monkeypatch.setattr(services, "WRITE_BATCH_SIZE", 2)
    rows = [metrics_row(store_id=f"S{n}") for n in range(7)]
    rows.append(metrics_row(store_id="LAST", platform="amazon"))

    batch = import_csv(metrics_csv(rows))

    _assert_rejected(
        batch,
        [
            (
                9,
                "platform",
                "Unknown platform “amazon”: use one of aliexpress, lazada, temu, tiktok.",
            )
        ],
    )
    assert StoreMetricsImport.objects.get() == batch


def test_the_report_keeps_the_first_problems_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(services, "MAX_REPORTED_ERRORS", 3)
    rows = [metrics_row(store_id=f"S{n}", as_of="bad") for n in range(5)]

    batch = import_csv(metrics_csv(rows))

    assert [e["row"] for e in batch.errors] == [2, 3, 4, None]
    assert batch.errors[-1]["message"] == (
        "… and 2 more problems, not listed: fix these and import again."
    )
    assert batch.rows_total == 5
    assert StoreMetricsSnapshot.objects.count() == 0


# ---------------------------------------------------------------------------
# Another source (a platform API later) goes through the same import
# ---------------------------------------------------------------------------
class ListSource(StoreMetricsSource):
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        yield from self.items


def _row(**values) -> MetricsRow:
    defaults = {
        "row": 1,
        "platform": "temu",
        "store_id": "API-1",
        "as_of": datetime.date(2024, 8, 1),
        "positive_rating_pct": Decimal("97.00"),
        "dsr_logistics": Decimal("4.90"),
        "fulfilment_score": Decimal("99.00"),
        "return_rate_pct": Decimal("1.00"),
        "label_print_success_pct": Decimal("99.90"),
        "serious_complaints_30d": 0,
        "store_bound": True,
        "store_level": "",
        "aliexpress_tier": "",
        "lazada_official_warehouse": None,
        "temu_full_custody_whitelisted": True,
        "tiktok_site": "",
        "tiktok_logistics_partner": None,
    }
    return MetricsRow(**{**defaults, **values})


def test_any_source_can_feed_the_import():
    batch = store_metrics_import(
        source=ListSource([_row(), _row(row=2, store_id="API-2")]),
        file_name="temu-api",
        sha256="0" * 64,
    )

    assert (batch.status, batch.rows_imported, batch.uploaded_by) == ("succeeded", 2, None)
    assert StoreMetricsSnapshot.objects.count() == 2


def test_a_source_that_skips_validation_still_cannot_write_bad_figures():
    source = ListSource([_row(), _row(row=2, store_id="API-2", dsr_logistics=Decimal("7.00"))])

    batch = store_metrics_import(source=source, file_name="temu-api", sha256="0" * 64)

    _assert_rejected(
        batch,
        [(None, "", "The data breaks a rule of the database: nothing was imported.")],
    )


def test_a_source_reporting_row_errors_is_refused():
    source = ListSource([_row(), RowError(2, "dsr_logistics", "bad")])

    batch = store_metrics_import(source=source, file_name="temu-api", sha256="0" * 64)

    _assert_rejected(batch, [(2, "dsr_logistics", "bad")])
    assert batch.rows_total == 2


def test_a_file_the_csv_reader_cannot_parse_is_refused():
    data = metrics_csv([metrics_row(store_level="L" * 200_000)])

    batch = import_csv(data)

    _assert_rejected(
        batch,
        [
            (
                None,
                "",
                "The file is not valid CSV near line 2: field larger than field limit (131072)",
            )
        ],
    )
