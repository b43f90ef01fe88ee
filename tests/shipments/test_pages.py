"""The seller's shipment pages: the creation form, the list with its filters and search,
the CSV export and the detail page."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.models import ApplicationStatus
from shipments.models import RefusedOrder, Shipment, ShipmentStatus
from tests.shipments.factories import AUGUST, create_shipment, order_form, store_ready

pytestmark = pytest.mark.django_db

CREATE = reverse("shipments:create")
INDEX = reverse("shipments:index")
EXPORT = reverse("shipments:export")


@pytest.fixture
def in_august(monkeypatch):
    """The portal's clock on 15 August 2026: outside the peak season, the demo card's
    plain price."""
    monkeypatch.setattr(timezone, "now", lambda: AUGUST)
    return AUGUST


@pytest.fixture
def store(seller_user):
    return store_ready(seller=seller_user.seller)


def html_of(response) -> str:
    return response.content.decode()


# --- creating one shipment ------------------------------------------------------------


def test_the_form_offers_the_sellers_stores_with_the_ordering_store_chosen(seller_client, store):
    other_store = store_ready()  # another seller's

    response = seller_client.get(CREATE)

    assert response.status_code == 200
    assert response.context["form"]["store"].value() == store.pk
    store_ids = [choice.pk for choice in response.context["form"].fields["store"].queryset]
    assert store_ids == [store.pk]
    assert other_store.platform_store_id not in html_of(response)


def test_an_order_becomes_a_shipment_at_the_demo_price(
    seller_client, seller_user, store, in_august
):
    response = seller_client.post(CREATE, order_form(store))

    shipment = Shipment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("shipments:detail", args=[shipment.pk])
    assert shipment.seller == seller_user.seller
    assert shipment.created_by == seller_user
    assert shipment.created_at == AUGUST
    assert shipment.quoted_total == Decimal("28.50")
    assert shipment.charge == Decimal("28.50")
    assert shipment.recipient_phone == "+1 415 555 0100"
    assert shipment.declared_value == Decimal("12.50")

    html = html_of(seller_client.get(response["Location"]))
    assert '<td class="text-end" id="shipment-total">¥28.50</td>' in html
    assert "¥0.00" in html  # no score, peak or green part at score 100 in August
    assert shipment.tracking_number in html
    assert 'id="shipment-charge"' not in html  # not a trial


def test_dimensions_price_by_volume_and_are_kept(seller_client, store, in_august):
    # 40 × 30 × 20 / 8000 = 3 kg chargeable
    seller_client.post(CREATE, order_form(store, length_cm="40", width_cm="30", height_cm="20"))

    shipment = Shipment.objects.get()
    assert shipment.dims_cm == (Decimal("40.0"), Decimal("30.0"), Decimal("20.0"))
    assert shipment.chargeable_weight_g == 3000


def test_a_trial_shipment_says_it_is_free(seller_client, seller_user, in_august):
    store = store_ready(seller=seller_user.seller, status=ApplicationStatus.TRIAL)

    response = seller_client.post(CREATE, order_form(store), follow=True)

    shipment = Shipment.objects.get()
    assert shipment.is_trial and shipment.charge == Decimal("0.00")
    html = html_of(response)
    assert 'id="shipment-total">¥28.50<' in html
    assert 'id="shipment-charge">¥0.00<' in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weight_g": "0"}, "weight_g"),
        ({"weight_g": "-5"}, "weight_g"),
        ({"weight_g": "abc"}, "weight_g"),
        ({"length_cm": "20", "width_cm": "15", "height_cm": "900"}, "length_cm"),
        ({"length_cm": "20", "width_cm": "0", "height_cm": "10"}, "length_cm"),
        ({"length_cm": "20"}, "length_cm"),
        ({"country": "XX"}, "country"),
        ({"postcode": ""}, "postcode"),
        ({"postcode": "9410"}, "postcode"),
        ({"items-0-unit_value": "-1"}, "items-0-unit_value"),
        ({"items-0-hs_code": "61091A"}, "items-0-hs_code"),
        ({"items-0-quantity": "1.5"}, "items-0-quantity"),
        ({"items-0-currency": "ZZZ"}, "items-0-currency"),
        ({"items-0-unit_weight_g": "900"}, "items-0-unit_weight_g"),
        ({"ioss_number": "IM9990000001"}, "ioss_number"),
        ({"uk_vat_number": "GB12345"}, "uk_vat_number"),
        ({"order_number": ""}, "order_number"),
        ({"order_number": "A" * 65}, "order_number"),
        ({"recipient_name": ""}, "recipient_name"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_created(
    seller_client, store, in_august, overrides, field
):
    response = seller_client.post(CREATE, order_form(store, **overrides))

    assert response.status_code == 200
    if field.startswith("items-"):
        index, name = field.split("-")[1:]
        assert name in response.context["items"].forms[int(index)].errors
    else:
        assert field in response.context["form"].errors
    assert Shipment.objects.count() == 0
    assert RefusedOrder.objects.count() == 0


def test_the_form_cuts_nothing_silently_and_says_what_is_too_long(seller_client, store, in_august):
    page = seller_client.get(CREATE).content.decode()
    assert "maxlength" not in page  # a browser would cut a pasted value without a word

    seller_client.cookies["django_language"] = "en"
    response = seller_client.post(CREATE, order_form(store, order_number="A" * 65))
    assert "at most 64 characters (it has 65)" in str(response.context["form"].errors)


def test_a_us_address_without_zip_says_so(seller_client, store, in_august):
    seller_client.cookies["django_language"] = "en"
    response = seller_client.post(CREATE, order_form(store, postcode=""))

    assert "ZIP" in response.context["form"].errors["postcode"][0]


def test_another_sellers_store_cannot_be_chosen(seller_client, store, in_august):
    foreign = store_ready()

    response = seller_client.post(CREATE, order_form(store, store=foreign.pk))

    assert "store" in response.context["form"].errors
    assert Shipment.objects.count() == 0


def test_the_same_order_posted_twice_leads_to_the_first_shipment(seller_client, store, in_august):
    first = seller_client.post(CREATE, order_form(store))
    again = seller_client.post(CREATE, order_form(store))

    shipment = Shipment.objects.get()
    assert again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("shipments:detail", args=[shipment.pk])
    assert RefusedOrder.objects.count() == 0


def test_a_duplicate_order_number_for_another_parcel_is_refused_on_its_field(
    seller_client, store, in_august
):
    seller_client.post(CREATE, order_form(store))
    before = Shipment.objects.values_list("pk", "recipient_name").get()

    response = seller_client.post(CREATE, order_form(store, recipient_name="John Roe"))

    assert response.status_code == 200
    assert "order_number" in response.context["form"].errors
    assert list(Shipment.objects.values_list("pk", "recipient_name")) == [before]
    assert RefusedOrder.objects.count() == 0


def test_a_refused_order_shows_its_check_and_links_to_why(seller_client, seller_user, in_august):
    store = store_ready(seller=seller_user.seller, bound=False)

    response = seller_client.post(CREATE, order_form(store, order_number="AE-77 /x"))

    assert response.status_code == 200
    html = html_of(response)
    assert '<code id="refusal-code">store_not_bound</code>' in html
    why = reverse("diagnostics:index") + "?order=AE-77+%2Fx"
    assert f'href="{why}"' in html
    assert Shipment.objects.count() == 0
    refusal = RefusedOrder.objects.get()
    assert (refusal.order_number, refusal.check_code) == ("AE-77 /x", "store_not_bound")
    assert response.context["refusal"]["message"] in html


def test_a_destination_without_a_line_is_refused_by_the_gate(seller_client, store, in_august):
    response = seller_client.post(CREATE, order_form(store, country="RU", postcode=""))

    assert response.context["refusal"]["code"] == "lane_not_served"
    assert Shipment.objects.count() == 0


# --- the list -----------------------------------------------------------------------


@pytest.fixture
def shipments(store):
    """Four shipments: two to the US on 15 and 20 August, one to the UK on 1 September,
    one to Germany in exception."""
    us_1 = create_shipment(store, order_number="AE-1001", at=AUGUST)
    us_2 = create_shipment(store, order_number="AE-1002", at=AUGUST + datetime.timedelta(days=5))
    uk = create_shipment(
        store,
        order_number="TT-2001",
        at=datetime.datetime(2026, 9, 1, 3, 0, tzinfo=datetime.UTC),
        country="GB",
        postcode="SW1A 1AA",
    )
    de = create_shipment(
        store,
        order_number="TT-2002",
        at=datetime.datetime(2026, 9, 2, 3, 0, tzinfo=datetime.UTC),
        country="DE",
        postcode="10115",
    )
    Shipment.objects.filter(pk=de.pk).update(status=ShipmentStatus.EXCEPTION)
    return {"us_1": us_1, "us_2": us_2, "uk": uk, "de": de}


def listed(response) -> list[str]:
    return [shipment.order_number for shipment in response.context["page"].shipments]


def test_the_list_shows_the_sellers_shipments_newest_first(seller_client, shipments):
    mine = store_ready()
    create_shipment(mine, order_number="OTHER-1")

    response = seller_client.get(INDEX)

    assert response.status_code == 200
    assert listed(response) == ["TT-2002", "TT-2001", "AE-1002", "AE-1001"]
    assert "OTHER-1" not in html_of(response)
    assert response.context["page"].count == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "exception"}, ["TT-2002"]),
        ({"status": "created"}, ["TT-2001", "AE-1002", "AE-1001"]),
        ({"country": "GB"}, ["TT-2001"]),
        ({"created_from": "2026-08-20"}, ["TT-2002", "TT-2001", "AE-1002"]),
        ({"created_to": "2026-08-15"}, ["AE-1001"]),
        ({"created_from": "2026-08-16", "created_to": "2026-09-01"}, ["TT-2001", "AE-1002"]),
        ({"q": "AE-1001"}, ["AE-1001"]),
        ({"q": "TT-"}, ["TT-2002", "TT-2001"]),
        ({"q": "AE-10", "country": "US"}, ["AE-1002", "AE-1001"]),
        ({"q": "E-1001"}, []),  # a prefix, not a substring
        ({"status": "nonsense"}, ["TT-2002", "TT-2001", "AE-1002", "AE-1001"]),
    ],
)
def test_filters_and_search(seller_client, shipments, query, expected):
    response = seller_client.get(INDEX, query)

    assert response.status_code == 200
    assert listed(response) == expected


def test_search_by_tracking_number_exact_or_prefix_in_any_case(seller_client, shipments):
    tracking = shipments["uk"].tracking_number

    exact = seller_client.get(INDEX, {"q": tracking.lower()})
    prefix = seller_client.get(INDEX, {"q": tracking[:11]})

    assert listed(exact) == ["TT-2001"]
    assert "TT-2001" in listed(prefix)


def test_dates_are_days_in_shanghai(seller_client, store):
    # 2026-08-31 17:00 UTC is 1 September 01:00 in Shanghai
    create_shipment(
        store,
        order_number="LATE",
        at=datetime.datetime(2026, 8, 31, 17, 0, tzinfo=datetime.UTC),
    )

    assert listed(seller_client.get(INDEX, {"created_from": "2026-09-01"})) == ["LATE"]
    assert listed(seller_client.get(INDEX, {"created_to": "2026-08-31"})) == []


def test_an_empty_list_says_so(seller_client, store):
    response = seller_client.get(INDEX)

    assert listed(response) == []
    assert response.context["next_url"] is None


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_has_a_query_budget_that_does_not_grow(
    seller_client, store, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        create_shipment(store)

    # session, user, seller, the capped count, the page (its stores in the same join)
    with django_assert_max_num_queries(5):
        response = seller_client.get(INDEX, {"status": "created", "q": "AE-"})

    assert len(listed(response)) == rows


# --- the export ---------------------------------------------------------------------


def exported(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_is_the_filtered_list_as_csv(seller_client, shipments):
    response = seller_client.get(EXPORT, {"q": "AE-"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="shipments-')
    rows = exported(response)
    header = rows[0]
    assert header[:3] == ["order_number", "tracking_number", "status"]
    by_order = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_order) == ["AE-1002", "AE-1001"]
    first = by_order["AE-1001"]
    assert first["tracking_number"] == shipments["us_1"].tracking_number
    assert first["created_at"] == "2026-08-15 18:00:00"  # Asia/Shanghai
    assert first["quoted_total"] == "28.50"
    assert first["charge"] == "28.50"
    assert first["country"] == "US"
    assert first["is_trial"] == "0"


def test_the_export_neutralises_formulas_but_not_numbers(seller_client, store):
    shipment = create_shipment(store, order_number="=HYPERLINK(1)", green=True)
    Shipment.objects.filter(pk=shipment.pk).update(
        recipient_name="+cmd|' /C calc'!A0", city="@SUM(1)", address="-2+3"
    )

    rows = exported(seller_client.get(EXPORT))

    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["order_number"] == "'=HYPERLINK(1)"
    assert row["recipient_name"] == "'+cmd|' /C calc'!A0"
    assert row["city"] == "'@SUM(1)"
    assert row["address"] == "'-2+3"
    # 28.50 × 0.97 = 27.645 → 27.65: the discount is -0.85, a number of ours, left as is
    assert row["green_discount"] == "-0.85"


def test_the_export_shows_only_the_sellers_own_shipments(client, shipments, other_seller_user):
    client.force_login(other_seller_user)

    rows = exported(client.get(EXPORT))

    assert rows[1:] == []


@pytest.mark.parametrize("rows", [3, 30])
def test_the_export_has_a_query_budget_that_does_not_grow(
    seller_client, store, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        create_shipment(store)

    # session, user, seller, the rows through one server-side cursor
    with django_assert_max_num_queries(4):
        lines = exported(seller_client.get(EXPORT))

    assert len(lines) == rows + 1


# --- the detail page ----------------------------------------------------------------


def test_the_detail_shows_addresses_price_timeline_and_cancel(seller_client, store, seller_user):
    shipment = create_shipment(store, user=seller_user)

    response = seller_client.get(reverse("shipments:detail", args=[shipment.pk]))

    html = html_of(response)
    assert response.status_code == 200
    assert "1 Market St" in html and "San Francisco" in html
    assert 'id="shipment-total">¥28.50<' in html
    assert f'action="{reverse("shipments:cancel", args=[shipment.pk])}"' in html


@pytest.mark.parametrize("events", [1, 12])
def test_the_detail_has_a_query_budget_that_does_not_grow(
    seller_client, store, seller_user, events, django_assert_max_num_queries
):
    from shipments.models import EventSource, ShipmentEvent

    shipment = create_shipment(store)
    for n in range(events):
        ShipmentEvent.objects.create(
            shipment=shipment,
            status=ShipmentStatus.IN_TRANSIT,
            from_status=ShipmentStatus.PICKED_UP,
            at=AUGUST + datetime.timedelta(hours=n),
            location=f"HUB {n}",
            source=EventSource.WEBHOOK,
            actor=seller_user,
        )

    # session, user, seller, the shipment with its store, its events with their actors
    with django_assert_max_num_queries(5):
        response = seller_client.get(reverse("shipments:detail", args=[shipment.pk]))

    assert response.status_code == 200
    assert f"HUB {events - 1}" in html_of(response)


def test_the_detail_has_no_cancel_button_after_pickup(seller_client, store):
    shipment = create_shipment(store)
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.PICKED_UP)

    html = html_of(seller_client.get(reverse("shipments:detail", args=[shipment.pk])))

    assert 'id="shipment-cancel"' not in html


def test_another_sellers_shipment_is_not_found(client, store, other_seller_user):
    shipment = create_shipment(store)
    client.force_login(other_seller_user)

    assert client.get(reverse("shipments:detail", args=[shipment.pk])).status_code == 404
    assert client.post(reverse("shipments:cancel", args=[shipment.pk])).status_code == 404
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CREATED


@pytest.mark.parametrize("name", ["shipments:index", "shipments:create", "shipments:export"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_detail_and_the_list_print_labels_through_the_labels_page(seller_client, store):
    shipment = create_shipment(store)
    labels = reverse("shipments:labels")

    detail = html_of(seller_client.get(reverse("shipments:detail", args=[shipment.pk])))
    listing = html_of(seller_client.get(INDEX))

    assert f'action="{labels}" id="shipment-label"' in detail
    assert f'name="ids" value="{shipment.pk}"' in detail
    assert f'action="{labels}" id="shipments-labels"' in listing
    assert f'name="ids" value="{shipment.pk}"' in listing
