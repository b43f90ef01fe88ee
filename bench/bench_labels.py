"""1,000 shipping labels in one PDF (100 × 150 mm pages, Code 128 barcodes, Chinese text).

    .venv/bin/python bench/bench_labels.py [N]

Draws N labels (default 1,000) from shipments held in memory, the way
``shipment_labels_print`` draws them once it has loaded the rows (one query), and reads the
file back with pypdf to check the page count. Each label is followed by its CN22 page (1 to
4 item lines). Reads only pricing's origins from the local database (once, then in memory).
Target: < 15 s for 1,000.
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

from shipments.s10 import format_s10  # noqa: E402
from shipments.services.labels import labels_pdf  # noqa: E402
from stores.models import Store  # noqa: E402

AT = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=datetime.UTC)


ITEMS = [
    ("Cotton T-shirt", "棉质T恤", "610910", "12.50"),
    ("Silicone phone case", "硅胶手机壳", "420232", "3.20"),
    ("Ceramic mug", "陶瓷杯", "691200", "6.80"),
    ("USB-C charging cable", "USB-C 充电线", "854442", "2.40"),
]


def shipments(n: int, seed: int = 7) -> list:
    """``n`` unsaved US shipments of 1 to 4 item lines (their items set as if prefetched,
    as ``shipment_labels_print`` loads them), each a label and a CN22 page."""
    from shipments.models import Shipment, ShipmentItem

    rng = random.Random(seed)  # noqa: S311 - benchmark inputs, not secrets
    store = Store(
        company_name="深圳市经络测试贸易有限公司",
        sender_address="深圳市南山区粤海街道科技园路1号（A栋）18楼1801室",
        sender_name_latin="Shenzhen Jingluo Test Trading Co., Ltd.",
        sender_address_latin="Room 1801, Building A, 1 Keji Yuan Road, Nanshan, Shenzhen",
    )
    batch = []
    for i in range(n):
        shipment = Shipment(
            pk=i + 1,  # never saved: the related manager only needs a key
            store=store,
            tracking_number=format_s10(10_000_000 + i),
            order_number=f"AE-{8_000_000_000 + i}",
            recipient_name=rng.choice(["Jane Doe", "Max Mustermann", "Nguyễn Văn An", "李雷"]),
            recipient_phone="+1 415 555 0100",
            address=f"{rng.randint(1, 999)} Market Street, Suite {rng.randint(1, 99)}",
            city="San Francisco",
            state="CA",
            postcode="94105",
            country="US",
            weight_g=rng.randint(800, 5000),
            lane="east/us-west/standard",
            customs_form="CN22",
            created_at=AT,
        )
        chosen = rng.sample(ITEMS, rng.randint(1, len(ITEMS)))
        items = [
            ShipmentItem(
                shipment=shipment,
                position=position,
                description=description,
                description_zh=description_zh,
                quantity=rng.randint(1, 3),
                unit_value=Decimal(value),
                currency="USD",
                unit_weight_g=150,
                hs_code=hs_code,
                sku=f"SKU-{position}",
            )
            for position, (description, description_zh, hs_code, value) in enumerate(chosen, 1)
        ]
        shipment.declared_value = sum(
            (item.unit_value * item.quantity for item in items), Decimal(0)
        )
        shipment.contents = ", ".join(item.description for item in items)[:200]
        shipment._prefetched_objects_cache = {"items": items}
        batch.append(shipment)
    return batch


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    batch = shipments(n)
    labels_pdf(shipments=batch[:1])  # fonts registered, modules warm
    started = time.perf_counter()
    pdf = labels_pdf(shipments=batch)
    elapsed = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"labels:           {n:,} in one PDF ({pages:,} pages: each label and its CN22)")
    print(f"elapsed:          {elapsed:.2f} s  (target < 15 s for 1,000)")
    print(f"labels/s:         {n / elapsed:,.0f}")
    print(f"file size:        {len(pdf) / 1024 / 1024:.1f} MB")
    print(f"peak memory:      {peak_mb:.0f} MB (whole process)")


if __name__ == "__main__":
    main()
