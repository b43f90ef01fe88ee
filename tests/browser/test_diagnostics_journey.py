"""A refused order explained, in a real browser: an active seller sends an order to Russia
through the web form, the order gate refuses it (no line serves Russia), the page links to
the diagnostics tool, which, given the order number alone, shows the recorded refusal, the
root cause and its fix; the same number typed into the tool says the same."""

import pytest

from shipments.models import RefusedOrder, Shipment
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import store_ready

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ORDER = "AE-RU-20261125"


def test_a_refused_order_is_explained_by_its_number(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@diagnostics-journey.cn")
    store_ready(seller=owner.seller)
    seller = new_page()
    steps.log_in(seller, portal, owner.email)

    russia = steps.Order(order_number=ORDER, country="RU", postcode="101000", city="Moscow")
    steps.fill_order(seller, portal, russia)
    steps.submit_order(seller)
    assert seller.url == f"{portal}/shipments/new/"  # stays on the form: nothing created
    assert steps.text_of(seller, "#refusal-code") == "lane_not_served"
    screenshot(seller, "shipment-refused")
    assert not Shipment.objects.filter(seller=owner.seller).exists()
    refused = RefusedOrder.objects.get(seller=owner.seller)
    assert (refused.order_number, refused.check_code) == (ORDER, "lane_not_served")

    # "Why?" leads to the tool with the order number.
    with seller.expect_navigation():
        seller.click("#refusal-why")
    assert seller.url.startswith(f"{portal}/diagnostics/?order=")
    diagnosis = seller.locator("#diagnosis")
    assert diagnosis.get_attribute("data-root-cause") == "lane_not_served"
    assert diagnosis.get_attribute("data-passes") == "false"
    assert seller.get_attribute("#recorded-refusal", "data-code") == "lane_not_served"
    assert ORDER in steps.text_of(seller, "#recorded-refusal")
    # The root cause says what failed; the check's code follows it (issue 13, item 6).
    assert "俄罗斯" in steps.text_of(seller, "#root-cause")
    assert "lane_not_served" in steps.text_of(seller, "#verdict")
    root = seller.locator("#checks tr.table-danger")
    assert root.count() == 1
    assert root.get_attribute("data-code") == "lane_not_served"
    # The account's checks before it all pass: the lane is the only thing wrong.
    statuses = dict(
        zip(
            seller.locator("#checks tbody tr").evaluate_all("rs => rs.map(r => r.dataset.code)"),
            seller.locator("#checks tbody tr").evaluate_all("rs => rs.map(r => r.dataset.status)"),
            strict=True,
        )
    )
    assert statuses["store_not_bound"] == "pass"
    assert statuses["lane_not_served"] == "fail"
    screenshot(seller, "diagnostics")

    # The order number typed into the tool, as a seller would after a platform's message.
    seller.goto(f"{portal}/diagnostics/")
    seller.fill("#order-form input[name=order]", ORDER)
    with seller.expect_navigation():
        seller.click("#order-form button[type=submit]")
    assert seller.locator("#diagnosis").get_attribute("data-root-cause") == "lane_not_served"
    assert seller.get_attribute("#recorded-refusal", "data-code") == "lane_not_served"
