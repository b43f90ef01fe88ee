"""Issue 13's journeys in a real browser, without dead ends (a screenshot of each step in
var/screenshots/; every page watched for Content-Security-Policy violations):

1. binding: a Lazada store approved into its trial waits for its platform; the seller sees
   Lazada's own steps and says "I have bound it"; operations see the queue on the admin's
   index, import the platform's metrics, and the seller is told (a notification) and ships;
2. the navigation leads to the bulk import and to the refused orders, and a refused order
   to its diagnosis;
7. notifications: the unread count in the navigation, the list, read one by one;
8. the review at 1366 px: documents beside what was read, checks in words, approval over
   checks that need review confirmed;
12. finance closes a month from the admin after a confirmation; the seller is told and the
   statement's PDF says what is paid and outstanding.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from billing.models import Statement
from billing.services import payment_record
from core.timezones import SHANGHAI
from notifications.models import Notification
from onboarding.models import Application, ApplicationStatus, Document
from onboarding.services import application_approve, application_run_checks
from shipments.models import RefusedOrder, Shipment
from stores.models import Store
from tests.accounts.factories import SellerUserFactory, StaffUserFactory
from tests.onboarding.factories import ApplicationFactory, upload_all_required
from tests.platforms.factories import metrics_csv, metrics_row
from tests.shipments.factories import create_shipment, store_ready

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _lazada_store_in_trial(owner) -> Store:
    application = ApplicationFactory(
        seller=owner.seller,
        status=ApplicationStatus.IN_REVIEW,
        platform="lazada",
        store_id="LZ-2026-0001",
        aliexpress_tier="",
        aliexpress_store_level=None,
        lazada_official_warehouse=True,
    )
    application_approve(application=application, actor=StaffUserFactory())
    store = Application.objects.get(pk=application.pk).opened_store
    assert store is not None and store.bound_at is None
    return store


def test_the_binding_loop_from_approval_to_the_first_shipment(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@binding-journey.cn")
    store = _lazada_store_in_trial(owner)
    ops = StaffUserFactory(groups=["Operations"], email="ops@binding-journey.cn")

    # The seller: the dashboard says the store waits, the store's page says how to bind it.
    seller = new_page()
    steps.log_in(seller, portal, owner.email)
    assert seller.locator("#binding-nudge").count() == 1
    screenshot(seller, "binding-dashboard")
    with seller.expect_navigation():
        seller.click("#binding-nudge a")
    assert seller.locator("#binding[data-state=waiting][data-platform=lazada]").count() == 1
    steps_text = steps.text_of(seller, "#binding-steps")
    assert "物流服务商" in steps_text and "物流方案" not in steps_text
    assert "Lazada" in steps.text_of(seller, "#binding")
    screenshot(seller, "binding-store")
    with seller.expect_navigation():
        seller.click("#binding-claim button")
    assert seller.locator("#binding[data-state=claimed]").count() == 1
    store.refresh_from_db()
    assert store.binding_claimed_by == owner

    # An order now is refused for the binding, with Lazada's own fix.
    steps.fill_order(seller, portal, steps.Order(order_number="LZ-ORDER-1"))
    steps.submit_order(seller)
    assert steps.text_of(seller, "#refusal-code") == "store_not_bound"
    refusal = steps.text_of(seller, "#shipment-refusal")
    assert "Lazada" in refusal and "物流方案" not in refusal
    screenshot(seller, "binding-refused")

    # Operations: the queue on the admin's index, oldest first, the seller's word shown.
    admin = new_page()
    steps.admin_log_in(admin, portal, ops.email)
    queue = admin.locator("#operations-queues tr[data-queue=stores_awaiting_binding]")
    assert queue.get_attribute("data-count") == "1"
    screenshot(admin, "admin-index-queues")
    with admin.expect_navigation():
        queue.locator("a").click()
    assert admin.locator("#result_list tbody tr").count() == 1
    assert "LZ-2026-0001" in steps.text_of(admin, "#result_list")
    screenshot(admin, "admin-binding-queue")

    # The platform's feed says the store is bound: imported by operations.
    today = timezone.localdate().isoformat()
    feed = metrics_csv(
        [
            metrics_row(
                platform="lazada",
                store_id="LZ-2026-0001",
                as_of=today,
                aliexpress_tier="",
                lazada_official_warehouse="yes",
            )
        ]
    )
    admin.goto(f"{portal}/admin/platforms/storemetricssnapshot/import/")
    admin.set_input_files(
        "#id_file", files=[{"name": "lazada.csv", "mimeType": "text/csv", "buffer": feed}]
    )
    with admin.expect_navigation():
        admin.click("#import-form input[type=submit]")
    assert admin.locator("#import-result").count() == 1
    store.refresh_from_db()
    assert store.bound_at is not None
    admin.goto(f"{portal}/admin/")
    queue = admin.locator("#operations-queues tr[data-queue=stores_awaiting_binding]")
    assert queue.get_attribute("data-count") == "0"

    # The seller is told; the store page says it is bound; a trial shipment goes through.
    seller.goto(f"{portal}/dashboard/")
    assert seller.locator("#binding-nudge").count() == 0
    assert steps.text_of(seller, "#unread-count") == "2"  # approved, bound
    with seller.expect_navigation():
        seller.click("#nav-notifications")
    kinds = seller.eval_on_selector_all(
        "#notifications [data-kind]", "(items) => items.map((i) => i.dataset.kind)"
    )
    assert kinds == ["store_bound", "application_trial"]
    screenshot(seller, "notifications")
    with seller.expect_navigation():
        seller.click("#notifications [data-kind=store_bound]")
    assert seller.locator("#binding[data-state=bound]").count() == 1
    assert steps.text_of(seller, "#unread-count") == "1"
    shipment_id = steps.create_shipment(seller, portal, steps.Order(order_number="LZ-ORDER-2"))
    shipment = Shipment.objects.get(pk=shipment_id)
    assert shipment.is_trial and shipment.charge == Decimal("0.00")
    assert steps.text_of(seller, "#shipment-charge") == "¥0.00"
    assert "免费试用，标价" in steps.text_of(seller, "#shipment-price")
    screenshot(seller, "binding-first-shipment")
    assert Notification.objects.filter(seller=owner.seller, kind="store_bound").count() == 1


def test_imports_and_refused_orders_are_in_the_navigation(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@refused-journey.cn")
    store_ready(seller=owner.seller)
    seller = new_page()
    steps.log_in(seller, portal, owner.email)

    with seller.expect_navigation():
        seller.click("#nav-imports")
    assert seller.url == f"{portal}/shipments/imports/"
    assert seller.locator("#nav-imports.active").count() == 1
    screenshot(seller, "nav-imports")

    steps.fill_order(
        seller, portal, steps.Order(order_number="RU-0001", country="RU", postcode="101000")
    )
    steps.submit_order(seller)
    assert steps.text_of(seller, "#refusal-code") == "lane_not_served"

    with seller.expect_navigation():
        seller.click("#nav-refused")
    row = seller.locator("#refused-orders tr[data-order='RU-0001']")
    assert row.get_attribute("data-code") == "lane_not_served"
    screenshot(seller, "refused-orders")
    with seller.expect_navigation():
        row.locator("a").click()
    assert seller.locator("#diagnosis").get_attribute("data-root-cause") == "lane_not_served"
    assert seller.locator("#recorded-refusal").count() == 1
    screenshot(seller, "refused-diagnosis")
    assert RefusedOrder.objects.filter(order_number="RU-0001").count() == 1


def _application_in_review(owner) -> Application:
    """An application whose documents were read, in review: every check that can decide
    passes and, with no platform metrics yet, two need the reviewer's judgement."""
    application = ApplicationFactory(seller=owner.seller, status=ApplicationStatus.DRAFT)
    documents = upload_all_required(user=owner, application=application)
    read = {
        "licence": {
            "uscc": application.uscc,
            "uscc_valid": True,
            "name": application.company_name,
            "entity_type": "有限责任公司",
            "legal_representative": application.legal_rep_name,
            "business_scope": application.business_scope,
            "address": application.registered_address,
        },
        "id_front": {
            "name": application.legal_rep_name,
            "id_number": application.legal_rep_id_number,
        },
        "id_back": {"valid_from": "2015-06-30", "valid_until": "2035-06-30"},
    }
    for kind, fields in read.items():
        Document.objects.filter(pk=documents[kind].pk).update(ocr_status="done", ocr_fields=fields)
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.IN_REVIEW, submitted_at=timezone.now()
    )
    application_run_checks(application=application)
    assert not application.checks.filter(status="fail").exists()
    assert application.checks.filter(status="needs_review").count() == 2
    return application


def test_the_review_at_1366_pixels(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@review-journey.cn")
    application = _application_in_review(owner)
    ApplicationFactory(uscc=application.uscc)  # the same company in another account
    ops = StaffUserFactory(groups=["Operations"], email="ops@review-journey.cn")

    admin = new_page(width=1366, height=768)
    steps.admin_log_in(admin, portal, ops.email)
    queue = admin.locator("#operations-queues tr[data-queue=applications_in_review]")
    assert queue.get_attribute("data-count") == "1"
    with admin.expect_navigation():
        queue.locator("a").click()
    assert "status__exact=in_review" in admin.url
    screenshot(admin, "admin-review-queue")

    steps.admin_open_application(admin, portal, application.pk)
    screenshot(admin, "admin-review-1366")
    assert admin.locator("#same-uscc").count() == 1
    assert admin.locator("#metrics-state[data-state=none]").count() == 1
    # Each document beside the fields read from it, inside the window's width.
    licence = admin.locator(".review-document", has=admin.locator("table")).first
    scan = licence.locator(".review-document-scan").bounding_box()
    fields = licence.locator(".review-document-fields").bounding_box()
    assert scan["x"] + scan["width"] <= fields["x"]
    assert fields["y"] < scan["y"] + scan["height"]
    assert fields["x"] + fields["width"] <= 1366
    # The checks in words, never their codes or JSON.
    checks = steps.text_of(admin, "#checks-group")
    assert "uscc_matches" not in checks and "{" not in checks
    # The decision box: three columns side by side, each readable.
    columns = admin.locator("#decision .decision-form")
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    assert all(box["width"] >= 250 for box in boxes)

    steps.admin_approve(admin, application.pk, screenshot=screenshot)
    application.refresh_from_db()
    assert application.status == "trial"
    event = application.events.get(to_status="trial")
    assert event.data["overridden_checks"] == ["platform_requirement", "store_fulfilment_level"]
    screenshot(admin, "admin-review-approved")

    # The console in English, for staff who read it better.
    with admin.expect_navigation():
        admin.click("#admin-language button[value=en]")
    assert admin.locator("html").get_attribute("lang") == "en"
    screenshot(admin, "admin-english")


def test_finance_closes_a_month_from_the_admin(portal, new_page, screenshot):
    owner = SellerUserFactory(email="owner@close-journey.cn")
    store = store_ready(seller=owner.seller, settlement_mode="monthly")
    october = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)
    for n in range(2):
        create_shipment(store, order_number=f"OCT-{n}", at=october, user=owner)
    finance = StaffUserFactory(groups=["Finance"], email="finance@close-journey.cn")

    admin = new_page()
    steps.admin_log_in(admin, portal, finance.email)
    admin.goto(f"{portal}/admin/billing/statement/")
    with admin.expect_navigation():
        admin.click("#close-month-link")
    # A month not over yet is refused with a message.
    this_month = timezone.localdate()
    admin.fill("#id_period", f"{this_month:%Y-%m}")
    with admin.expect_navigation():
        admin.click("#close-month-start input[type=submit]")
    assert admin.locator(".errorlist").count() == 1
    screenshot(admin, "admin-close-month-refused")
    admin.fill("#id_period", "2026-10")
    with admin.expect_navigation():
        admin.click("#close-month-start input[type=submit]")
    assert admin.locator(".close-month-preview").get_attribute("data-count") == "1"
    screenshot(admin, "admin-close-month-confirm")
    with admin.expect_navigation():
        admin.click("#close-month-confirm input[type=submit]")
    statement = Statement.objects.get(seller=owner.seller)
    assert statement.number in steps.text_of(admin, ".messagelist")
    screenshot(admin, "admin-close-month-done")

    payment_record(
        statement=statement,
        amount=Decimal("20.00"),
        reference="JOURNEY-PART-1",
        received_on=datetime.date(2026, 11, 3),
    )
    with admin.expect_navigation():
        admin.click(f"#result_list a:text-is('{statement.number}')")
    _name, pdf = steps.admin_download(admin, "a[href$='/export/pdf/']")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "已付Paid" in flat and "20.00" in flat
    assert "未付Outstanding" in flat and "37.00" in flat  # 2 × 28.50 − 20.00

    # The seller is told of the statement, and opens it from the notification.
    seller = new_page()
    steps.log_in(seller, portal, owner.email)
    assert int(steps.text_of(seller, "#unread-count")) >= 1
    with seller.expect_navigation():
        seller.click("#nav-notifications")
    screenshot(seller, "notifications-statement")
    with seller.expect_navigation():
        seller.click("#notifications [data-kind=statement_issued]")
    assert seller.url == f"{portal}/billing/statements/{statement.pk}/"
    screenshot(seller, "billing-statement-from-notification")
