import datetime
import hashlib
from decimal import Decimal

import factory

from platforms.adapters import CsvStoreMetricsSource
from platforms.models import ImportStatus, Platform, StoreMetricsImport, StoreMetricsSnapshot
from platforms.parsing import COLUMNS
from platforms.services import store_metrics_import


class StoreMetricsImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreMetricsImport

    file_name = factory.Sequence(lambda n: f"metrics-{n}.csv")
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    status = ImportStatus.SUCCEEDED


class StoreMetricsSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreMetricsSnapshot

    platform = Platform.ALIEXPRESS
    store_id = factory.Sequence(lambda n: f"{910000 + n}")
    as_of = datetime.date(2024, 8, 1)
    positive_rating_pct = Decimal("97.50")
    dsr_logistics = Decimal("4.85")
    fulfilment_score = Decimal("98.00")
    return_rate_pct = Decimal("1.20")
    label_print_success_pct = Decimal("99.40")
    serious_complaints_30d = 0
    store_bound = True
    store_level = "L3"
    batch = factory.SubFactory(StoreMetricsImportFactory)
    imported_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


def metrics_row(**values) -> dict[str, str]:
    """One CSV record as text, an AliExpress store by default; ``values`` override."""
    row = {
        "platform": "aliexpress",
        "store_id": "912345678",
        "as_of": "2024-08-05",
        "positive_rating_pct": "96.5",
        "dsr_logistics": "4.80",
        "fulfilment_score": "98.25",
        "return_rate_pct": "2.1",
        "label_print_success_pct": "99.3",
        "serious_complaints_30d": "0",
        "store_bound": "true",
        "store_level": "L3",
        "aliexpress_tier": "ka",
        "lazada_official_warehouse": "",
        "temu_full_custody_whitelisted": "",
        "tiktok_site": "",
        "tiktok_logistics_partner": "",
    }
    row.update(values)
    return row


def metrics_csv(
    rows: list[dict[str, str]],
    *,
    columns=COLUMNS,
    encoding: str = "utf-8",
    line_end: str = "\r\n",
) -> bytes:
    """A CSV file as a spreadsheet exports it. Values are written unquoted."""
    lines = [",".join(columns)]
    lines += [",".join(row.get(column, "") for column in columns) for row in rows]
    return (line_end.join(lines) + line_end).encode(encoding)


def import_csv(data: bytes, *, file_name: str = "metrics.csv", user=None) -> StoreMetricsImport:
    return store_metrics_import(
        source=CsvStoreMetricsSource(data),
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        user=user,
    )
