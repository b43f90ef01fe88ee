"""Labels: 100 × 150 mm PDF pages read back with pypdf — the label, then its customs
declaration (CN22, or CN23 above 300 SDR) — printing marks them printed, a seller prints only
their own, and every font is embedded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shipments.exceptions import IllegalStatusChange
from shipments.models import Shipment, ShipmentEvent
from shipments.services import labels_pdf, shipment_cancel, shipment_labels_print
from tests.pdfs import fonts
from tests.shipments.factories import create_shipment, store_ready

pytestmark = pytest.mark.django_db

WIDTH_PT, HEIGHT_PT = 283.46, 425.20  # 100 × 150 mm


@pytest.fixture
def store(seller_user):
    return store_ready(seller=seller_user.seller)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def labels(reader: PdfReader) -> list:
    """The label pages: every other page (each label is followed by its CN22)."""
    return reader.pages[::2]


def test_one_label_and_one_cn22_per_shipment_at_100_by_150_mm(store):
    shipments = [create_shipment(store) for _ in range(3)]
    reader = read(labels_pdf(shipments=shipments))

    assert len(reader.pages) == 6
    for page, shipment in zip(labels(reader), shipments, strict=True):
        box = page.mediabox
        assert float(box.width) == pytest.approx(WIDTH_PT, abs=0.01)
        assert float(box.height) == pytest.approx(HEIGHT_PT, abs=0.01)
        text = page.extract_text()
        assert shipment.tracking_number in text
        assert shipment.order_number in text
        assert "Jane Doe" in text
        assert "1 Market St" in text
        assert "San Francisco CA 94105" in text  # the state, printed
        assert "east/us-west/standard" in text
        assert "500 g" in text
        assert store.company_name in text  # the sender, in the CJK font
    cn22 = reader.pages[1].extract_text()
    assert "CUSTOMS DECLARATION CN 22" in cn22
    assert "Sale of goods" in cn22
    assert "Cotton T-shirt" in cn22 and "610910" in cn22 and "12.50" in cn22


def test_the_customs_page_lists_every_item_and_is_cn23_above_300_sdr(store):
    two = create_shipment(
        store,
        weight_g=2000,
        items=[
            {"description": "Cotton T-shirt", "quantity": "2", "unit_weight_g": "200"},
            {
                "description": "USB-C charging cable",
                "unit_value": "8.00",
                "hs_code": "85444200",
                "unit_weight_g": "60",
                "sku": "CB-9",
            },
        ],
    )
    costly = create_shipment(
        store, items=[{"description": "Smart watch", "unit_value": "450.00", "hs_code": "851762"}]
    )
    reader = read(labels_pdf(shipments=[two, costly]))

    cn22 = reader.pages[1].extract_text()
    assert "CN 22" in cn22
    assert "Cotton T-shirt" in cn22 and "USB-C charging cable" in cn22
    assert "85444200" in cn22 and "33.00 USD" in cn22  # 2 × 12.50 + 8.00
    assert "0.460" in cn22  # total weight, kg
    assert "CUSTOMS DECLARATION CN 23" in reader.pages[3].extract_text()  # $450 > 300 SDR
    assert (two.customs_form, costly.customs_form) == ("CN22", "CN23")
    assert set(costly.fx_rates) == {"on", "USD", "XDR"}


def test_every_font_of_the_pdf_is_embedded(store):
    pdf = labels_pdf(shipments=[create_shipment(store)])

    assert fonts(pdf) and all(embedded for _, embedded in fonts(pdf)), fonts(pdf)


def test_characters_the_font_lacks_print_as_a_visible_mark(store):
    shipment = create_shipment(store)
    Shipment.objects.filter(pk=shipment.pk).update(recipient_name="Jane 😀 Doe")
    shipment.refresh_from_db()
    text = read(labels_pdf(shipments=[shipment])).pages[0].extract_text()
    assert "Jane ? Doe" in text


def test_printing_marks_each_printed_once(store, seller_user):
    first, second = create_shipment(store), create_shipment(store)
    pdf = shipment_labels_print(
        seller=store.seller, shipment_ids=[second.pk, first.pk], user=seller_user
    )
    reader = read(pdf)
    assert [
        second.tracking_number in reader.pages[0].extract_text(),
        first.tracking_number in reader.pages[2].extract_text(),
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
    assert len(read(again).pages) == 2
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
    assert len(read(response.content).pages) == 4
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
