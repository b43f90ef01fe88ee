"""Issue 13, items 2 and 6: the bulk import and the refused orders are in the navigation;
the seller's refused orders, each with its cause and a link to its diagnosis; a trial
shipment charges ¥0.00 and says its list price; lanes and codes never reach a seller raw."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.models import ApplicationStatus
from shipments.exceptions import OrderRefused
from shipments.models import RefusedOrder
from shipments.selectors import refused_orders_page
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

REFUSED = reverse("shipments:refused")


def refuse(store, order_number: str, **parcel):
    with pytest.raises(OrderRefused):
        create_shipment(store, order_number=order_number, **parcel)


@pytest.mark.parametrize("page", ["portal:dashboard", "shipments:index", "billing:index"])
def test_every_seller_page_links_to_imports_refused_orders_and_notifications(seller_client, page):
    html = seller_client.get(reverse(page)).content.decode()

    assert f'href="{reverse("shipments:imports")}" id="nav-imports"' in html
    assert f'href="{REFUSED}" id="nav-refused"' in html
    assert f'href="{reverse("notifications:index")}" id="nav-notifications"' in html


def test_the_refused_orders_list_shows_each_cause_and_links_to_its_diagnosis(
    seller_client, seller_user
):
    store = store_ready(seller=seller_user.seller, bound=False)
    refuse(store, "R-1")
    refuse(store, "R-2 /x")
    store_ready(seller=SellerUserFactory().seller)  # another seller's refusals stay theirs
    other = store_ready(bound=False)
    refuse(other, "THEIRS-1")

    html = seller_client.get(REFUSED).content.decode()

    assert html.index('data-order="R-2 /x"') < html.index('data-order="R-1"')  # newest first
    assert 'data-order="R-1" data-code="store_not_bound"' in html
    assert "THEIRS-1" not in html
    why = reverse("diagnostics:index") + "?" + urlencode({"order": "R-2 /x"})
    assert f'href="{why}"' in html
    assert "平台店铺已绑定经络速通" in html  # the check, by its title, not its code


def test_an_order_placed_again_once_fixed_is_marked_created(seller_client, seller_user):
    store = store_ready(seller=seller_user.seller)
    refuse(store, "R-RU", country="RU", postcode="101000")
    create_shipment(store, order_number="R-RU")

    html = seller_client.get(REFUSED).content.decode()

    row = html.split('data-order="R-RU"')[1].split("</tr>")[0]
    assert '<span class="badge text-bg-success">' in row


def test_the_list_pages_by_keyset_with_a_constant_number_of_queries(
    seller_client, seller_user, monkeypatch
):
    import shipments.selectors as selectors

    monkeypatch.setattr(selectors, "REFUSED_PAGE_SIZE", 3)
    store = store_ready(seller=seller_user.seller, bound=False)
    for n in range(7):
        refuse(store, f"P-{n}")

    first = refused_orders_page(seller=seller_user.seller, size=3)
    second = refused_orders_page(seller=seller_user.seller, before=first.next_before, size=3)
    last = refused_orders_page(seller=seller_user.seller, before=second.next_before, size=3)

    assert [r.order_number for r in first.refusals] == ["P-6", "P-5", "P-4"]
    assert [r.order_number for r in second.refusals] == ["P-3", "P-2", "P-1"]
    assert [r.order_number for r in last.refusals] == ["P-0"] and last.next_before is None
    seller_client.get(REFUSED)  # warm the session
    with CaptureQueriesContext(connection) as few:
        seller_client.get(REFUSED)
    for n in range(7, 20):
        refuse(store, f"P-{n}")
    with CaptureQueriesContext(connection) as many:
        seller_client.get(REFUSED)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("before", ["abc", "-1", "9" * 40, ""])
def test_a_malformed_page_is_the_first_page(seller_client, seller_user, before):
    store = store_ready(seller=seller_user.seller, bound=False)
    refuse(store, "R-1")

    response = seller_client.get(REFUSED, {"before": before})

    assert response.status_code == 200
    assert 'data-order="R-1"' in response.content.decode()
    assert RefusedOrder.objects.count() == 1


def test_a_trial_shipment_charges_nothing_and_says_its_list_price(seller_client, seller_user):
    store = store_ready(seller=seller_user.seller, status=ApplicationStatus.TRIAL)
    shipment = create_shipment(store, at=AUGUST)
    assert (shipment.charge, shipment.quoted_total) == (Decimal("0.00"), Decimal("28.50"))

    detail = seller_client.get(reverse("shipments:detail", args=[shipment.pk])).content.decode()
    listing = seller_client.get(reverse("shipments:index")).content.decode()

    assert 'id="shipment-charge">¥0.00<' in detail
    assert "免费试用，标价 ¥28.50" in detail
    assert "¥0.00" in listing and "免费试用，标价 ¥28.50" in listing


def test_the_lane_is_shown_by_its_names_never_its_code(seller_client, seller_user):
    shipment = create_shipment(store_ready(seller=seller_user.seller), at=AUGUST)
    assert shipment.lane == "east/us-west/standard"

    html = seller_client.get(reverse("shipments:detail", args=[shipment.pk])).content.decode()

    assert "east/us-west/standard" not in html
    assert "华东" in html and "标准小包" in html


def test_evidence_names_the_platform_and_the_status_never_their_codes(seller_client, seller_user):
    # An application in review: no store yet, the gate says why.
    store_ready(
        seller=seller_user.seller,
        status=ApplicationStatus.IN_REVIEW,
        platform="lazada",
        aliexpress_tier="",
    )

    html = seller_client.post(reverse("diagnostics:index"), {"account": "1"}).content.decode()

    checks = html.split('id="checks"')[1]
    assert "in_review" not in checks and ": lazada" not in checks
    assert "待审核" in checks


def test_a_refusal_in_the_past_is_listed_at_its_time(seller_client, seller_user):
    store = store_ready(seller=seller_user.seller, bound=False)
    refuse(store, "R-OLD")
    RefusedOrder.objects.update(at=datetime.datetime(2026, 8, 15, 2, 0, tzinfo=datetime.UTC))

    html = seller_client.get(REFUSED).content.decode()

    assert "2026-08-15 10:00" in html  # Asia/Shanghai


def test_check_titles_read_as_the_check_beside_pass(seller_client, seller_user):
    store_ready(seller=seller_user.seller)

    html = seller_client.post(reverse("diagnostics:index"), {"account": "1"}).content.decode()

    pattern = r'<tr data-code="([a-z_]+)" data-status="pass"[^>]*>(.*?)</tr>'
    rows = dict(re.findall(pattern, html, re.S))
    assert "平台店铺已绑定经络速通" in rows["store_not_bound"]
    assert "该店铺的物流服务已开通" in rows["service_not_active"]
    assert "没有逾期的月结对账单" in rows["statement_overdue"]
    for row in rows.values():
        assert "通过" in row
        # The titles of old read as failures ("not bound", "overdue", "too low") beside "pass".
        for failure in ("未绑定", "已逾期", "不足", "已用完", "不服务"):
            assert failure not in row
