"""Labels: 100 × 150 mm PDF pages read back with pypdf, printing marks them printed, and a
seller prints only their own."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shipments.exceptions import IllegalStatusChange
from shipments.models import Shipment, ShipmentEvent
from shipments.services import labels_pdf, shipment_cancel, shipment_labels_print
from tests.shipments.factories import create_shipment, store_ready

pytestmark = pytest.mark.django_db

WIDTH_PT, HEIGHT_PT = 283.46, 425.20  # 100 × 150 mm


@pytest.fixture
def store(seller_user):
    return store_ready(seller=seller_user.seller)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def test_one_page_per_shipment_at_100_by_150_mm_with_the_tracking_number(store):
    shipments = [create_shipment(store) for _ in range(3)]
    reader = read(labels_pdf(shipments=shipments))

    assert len(reader.pages) == 3
    for page, shipment in zip(reader.pages, shipments, strict=True):
        box = page.mediabox
        assert float(box.width) == pytest.approx(WIDTH_PT, abs=0.01)
        assert float(box.height) == pytest.approx(HEIGHT_PT, abs=0.01)
        text = page.extract_text()
        assert shipment.tracking_number in text
        assert shipment.order_number in text
        assert "Jane Doe" in text
        assert "1 Market St" in text
        assert "94105" in text
        assert "east/us-west/standard" in text
        assert "500 g" in text
        assert store.company_name in text  # the sender, in the CJK font


def test_printing_marks_each_printed_once(store, seller_user):
    first, second = create_shipment(store), create_shipment(store)
    pdf = shipment_labels_print(
        seller=store.seller, shipment_ids=[second.pk, first.pk], user=seller_user
    )
    reader = read(pdf)
    assert [
        second.tracking_number in reader.pages[0].extract_text(),
        first.tracking_number in reader.pages[1].extract_text(),
    ] == [True, True]
    for shipment in (first, second):
        shipment.refresh_from_db()
        assert shipment.status == "label_printed"
        assert shipment.label_printed_at is not None
    events = ShipmentEvent.objects.filter(status="label_printed")
    assert events.count() == 2
    assert {(e.from_status, e.actor_id, e.source) for e in events} == {
        ("created", seller_user.pk, "portal")
    }
    printed_at = Shipment.objects.get(pk=first.pk).label_printed_at

    # A reprint: the same PDF, nothing changes.
    again = shipment_labels_print(seller=store.seller, shipment_ids=[first.pk], user=seller_user)
    assert len(read(again).pages) == 1
    assert ShipmentEvent.objects.filter(status="label_printed").count() == 2
    assert Shipment.objects.get(pk=first.pk).label_printed_at == printed_at


def test_a_cancelled_shipment_has_no_label(store, seller_user):
    kept, cancelled = create_shipment(store), create_shipment(store)
    shipment_cancel(shipment=cancelled, user=seller_user)
    with pytest.raises(IllegalStatusChange):
        shipment_labels_print(
            seller=store.seller, shipment_ids=[kept.pk, cancelled.pk], user=seller_user
        )
    kept.refresh_from_db()
    assert kept.status == "created"


def test_the_seller_downloads_the_pdf(seller_client, store):
    shipments = [create_shipment(store) for _ in range(2)]
    response = seller_client.post(reverse("shipments:labels"), {"ids": [s.pk for s in shipments]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="labels-')
    assert len(read(response.content).pages) == 2
    assert set(Shipment.objects.values_list("status", flat=True)) == {"label_printed"}


def test_another_sellers_shipment_is_a_404_and_nothing_is_printed(client, store, other_seller_user):
    mine = create_shipment(store)
    theirs = create_shipment(store_ready(seller=other_seller_user.seller))
    client.force_login(other_seller_user)

    # Among their own, one of mine: refused whole.
    response = client.post(reverse("shipments:labels"), {"ids": [theirs.pk, mine.pk]})

    assert response.status_code == 404
    assert set(Shipment.objects.values_list("status", flat=True)) == {"created"}
    assert ShipmentEvent.objects.count() == 0


@pytest.mark.parametrize("ids", [[], ["x"]])
def test_no_or_bad_ids(seller_client, store, ids):
    create_shipment(store)
    response = seller_client.post(reverse("shipments:labels"), {"ids": ids})
    assert response.status_code in (302, 404)
    assert ShipmentEvent.objects.count() == 0


def test_labels_are_post_only(seller_client):
    assert seller_client.get(reverse("shipments:labels")).status_code == 405
