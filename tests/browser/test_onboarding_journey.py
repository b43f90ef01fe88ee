"""The onboarding journey in a real browser: a seller signs up, fills the application, uploads
a generated licence and ID card, watches the OCR finish live on the page, submits; operations
approve in the admin; the application is in trial. A screenshot of each main page lands in
var/screenshots/."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from onboarding.models import Application, Document
from tests.accounts.factories import StaffUserFactory
from tests.platforms.factories import StoreMetricsSnapshotFactory

from . import steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_seller_applies_and_operations_approve_into_the_trial(portal, new_page, screenshot):
    case = steps.seller_case(email="owner@jinli-journey.cn", store_id="AE8807001")
    # The platform's metrics feed knows the store (it lives outside this machine).
    StoreMetricsSnapshotFactory(
        store_id=case.store_id,
        as_of=timezone.localdate() - datetime.timedelta(days=1),
        dsr_logistics=Decimal("4.90"),
    )
    ops = StaffUserFactory(groups=["Operations"], email="ops@jingluo-journey.cn")
    seller = new_page()

    seller.goto(f"{portal}/accounts/signup/")
    screenshot(seller, "signup")
    steps.sign_up(seller, portal, case)
    screenshot(seller, "dashboard")

    steps.start_application(seller, portal, case)
    screenshot(seller, "application-company")
    steps.fill_company(seller, case)
    steps.fill_legal_rep(seller, case)
    screenshot(seller, "application-store")
    steps.fill_store(seller, case)
    steps.fill_settlement(seller, case)
    for item in case.uploads:
        steps.upload(seller, item)
    steps.upload_signed_authorisation(seller, portal, case)
    steps.mark_page(seller)
    screenshot(seller, "documents-reading")

    steps.wait_for_ocr(seller)

    screenshot(seller, "documents-read")
    documents = {d.kind: d for d in Document.objects.filter(application_id=case.application_pk)}
    assert len(documents) == 6
    badges = steps.ocr_badges(seller)
    for kind in ("licence", "id_front", "id_back"):
        assert documents[kind].ocr_status == "done", documents[kind].ocr_error
        assert badges[str(documents[kind].pk)] == "text-bg-success"
    assert documents["licence"].ocr_fields["uscc"] == case.uscc

    steps.submit_application(seller, portal, case)
    screenshot(seller, "application-submitted")
    application = Application.objects.get(pk=case.application_pk)
    assert application.status == "in_review"  # every document was read: straight to review
    assert not application.checks.filter(status="fail").exists()

    admin = new_page()
    steps.admin_log_in(admin, portal, ops.email)
    steps.admin_open_application(admin, portal, case.application_pk)
    screenshot(admin, "admin-review")
    steps.admin_approve(admin, case.application_pk)

    application.refresh_from_db()
    assert application.status == "trial"
    assert application.events.filter(to_status="trial", actor=ops).count() == 1
    seller.goto(f"{portal}/onboarding/applications/{case.application_pk}/")
    assert seller.locator(".alert-success").count() == 1
    screenshot(seller, "application-trial")
