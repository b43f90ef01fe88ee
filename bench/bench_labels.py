"""1,000 shipping labels in one PDF (100 × 150 mm pages, Code 128 barcodes, Chinese text).

    .venv/bin/python bench/bench_labels.py [N]

Draws N labels (default 1,000) from shipments held in memory, the way
``shipment_labels_print`` draws them once it has loaded the rows (one query), and reads the
file back with pypdf to check the page count. Needs no database. Target: < 15 s for 1,000.
Prints figures; asserts nothing.
"""

import datetime
import io
import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from pypdf import PdfReader  # noqa: E402

from onboarding.models import Application  # noqa: E402
from shipments.s10 import format_s10  # noqa: E402
from shipments.services.labels import labels_pdf  # noqa: E402

AT = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=datetime.UTC)


def shipments(n: int, seed: int = 7) -> list:
    from shipments.models import Shipment

    rng = random.Random(seed)  # noqa: S311 - benchmark inputs, not secrets
    store = Application(
        company_name="深圳市经络测试贸易有限公司",
        registered_address="深圳市南山区粤海街道科技园路1号（A栋）18楼1801室",
    )
    return [
        Shipment(
            store=store,
            tracking_number=format_s10(10_000_000 + i),
            order_number=f"AE-{8_000_000_000 + i}",
            recipient_name=rng.choice(["Jane Doe", "Max Mustermann", "Nguyễn Văn An", "李雷"]),
            recipient_phone="+1 415 555 0100",
            address=f"{rng.randint(1, 999)} Market Street, Suite {rng.randint(1, 99)}",
            city="San Francisco",
            postcode="94105",
            country="US",
            weight_g=rng.randint(50, 5000),
            lane="east/us-west/standard",
            contents=rng.choice(["T-shirts", "手机壳", "Ceramic mugs"]),
            declared_value=Decimal("12.50"),
            created_at=AT,
        )
        for i in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    batch = shipments(n)
    labels_pdf(shipments=batch[:1])  # fonts registered, modules warm
    started = time.perf_counter()
    pdf = labels_pdf(shipments=batch)
    elapsed = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"labels:           {n:,} in one PDF ({pages:,} pages)")
    print(f"elapsed:          {elapsed:.2f} s  (target < 15 s for 1,000)")
    print(f"labels/s:         {n / elapsed:,.0f}")
    print(f"file size:        {len(pdf) / 1024 / 1024:.1f} MB")
    print(f"peak memory:      {peak_mb:.0f} MB (whole process)")


if __name__ == "__main__":
    main()
