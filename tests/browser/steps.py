"""Steps of the browser journeys, as a user takes them: each drives one page through its
stable hooks (URLs, form field ids, button names, data attributes), never through the
translated labels, so the journeys read the same in Chinese and English.

The journeys: test_onboarding_journey.py (sign up → trial), test_shipping_journey.py (trial
shipments → labels → carrier webhook → active → a priced parcel and its charge),
test_billing_journey.py (a month closed → finance's exports → the seller's statement) and
test_diagnostics_journey.py (a refused order explained by its number).
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field

from allauth.mfa import app_settings
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from tests.accounts.factories import PASSWORD, totp_code
from tests.onboarding.synthetic import (
    FONT_DIR,
    id_back_image,
    id_back_truth,
    id_front_image,
    licence_image,
    licence_truth,
)

# Seeds of the synthetic scans whose facts agree: licence 7's legal representative is the
# holder of ID card 1977 (林敏); ID card 1's back runs to 2035. Their clean (hard=False)
# scans are read exactly by the OCR, so every automatic check can pass.
LICENCE_SEED, ID_FRONT_SEED, ID_BACK_SEED = 7, 1977, 1
OCR_TIMEOUT_MS = 240_000  # three scans through a 2-process worker on a busy 2-core machine


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    data: bytes
    mime: str = "image/jpeg"


@dataclass
class SellerCase:
    """Everything a seller types and uploads, consistent with the scans."""

    email: str
    company_name: str
    uscc: str
    address: str
    business_scope: str
    legal_rep_name: str
    legal_rep_id_number: str
    legal_rep_id_expiry: str
    store_id: str
    uploads: list[Upload] = field(default_factory=list)
    application_pk: int | None = None


def seller_case(*, email: str, store_id: str) -> SellerCase:
    licence, _read = licence_image(LICENCE_SEED, hard=False)
    front, front_read = id_front_image(ID_FRONT_SEED, hard=False)
    back, back_read = id_back_image(ID_BACK_SEED, hard=False)
    truth = licence_truth(LICENCE_SEED)
    assert front_read["name"] == truth["legal_representative"]
    assert id_back_truth(ID_BACK_SEED)["valid_until"] == back_read["valid_until"]
    return SellerCase(
        email=email,
        company_name=truth["name"],
        uscc=truth["uscc"],
        address=truth["address"],
        business_scope=truth["business_scope"],
        legal_rep_name=front_read["name"],
        legal_rep_id_number=front_read["id_number"],
        legal_rep_id_expiry=back_read["valid_until"],
        store_id=store_id,
        uploads=[
            Upload("licence", "营业执照.jpg", licence),
            Upload("id_front", "身份证人像面.jpg", front),
            Upload("id_back", "身份证国徽面.jpg", back),
            Upload("store_info", "店铺信息.png", store_page_png(store_id), "image/png"),
            Upload("import_export", "进出口权备案表.jpg", paper_jpeg("对外贸易经营者备案登记表")),
        ],
    )


def store_page_png(store_id: str) -> bytes:
    """A stand-in screenshot of the platform's store-information page."""
    image = Image.new("RGB", (900, 520), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 900, 60), fill=(255, 106, 0))
    draw.text((30, 100), f"Store ID: {store_id}", fill=(20, 20, 20))
    draw.text((30, 140), "Certification: verified", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def paper_jpeg(title: str) -> bytes:
    """A stand-in scan of a one-page paper form with its title."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 80, 1160, 1674), outline=(40, 40, 40), width=4)
    font = ImageFont.truetype(str(FONT_DIR / "NotoSansCJK-Regular.ttc"), 48, index=2)
    draw.text((120, 140), title, font=font, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# ------------------------------------------------------------------ seller


def sign_up(page, portal: str, case: SellerCase) -> None:
    """Sign up, then verify the address with the link e-mailed to it (the locmem outbox of
    the live server, which runs in this process), which signs the seller in."""
    from django.core import mail

    page.goto(f"{portal}/accounts/signup/")
    page.fill("#id_company_name", case.company_name)
    page.fill("#id_email", case.email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(#id_password2) button[type=submit]")
    assert page.url == f"{portal}/accounts/confirm-email/", page.url
    (message,) = [m for m in mail.outbox if m.to == [case.email]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{portal}/dashboard/", page.url


def log_in(page, portal: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{portal}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")


def start_application(page, portal: str, case: SellerCase) -> int:
    page.goto(f"{portal}/onboarding/")
    with page.expect_navigation():
        page.click("form[action='/onboarding/applications/new/'] button[type=submit]")
    match = re.search(r"/onboarding/applications/(\d+)/step/company/$", page.url)
    assert match, page.url
    case.application_pk = int(match.group(1))
    return case.application_pk


def _save_and_continue(page) -> None:
    with page.expect_navigation():
        page.click("button[name=next]")
    assert page.locator(".invalid-feedback, .alert-danger").count() == 0, page.content()


def fill_company(page, case: SellerCase) -> None:
    page.fill("#id_company_name", case.company_name)
    page.fill("#id_uscc", case.uscc)
    page.fill("#id_registered_address", case.address)
    page.fill("#id_tax_address", case.address)
    page.fill("#id_business_scope", case.business_scope)
    _save_and_continue(page)


def fill_legal_rep(page, case: SellerCase) -> None:
    page.fill("#id_legal_rep_name", case.legal_rep_name)
    page.fill("#id_legal_rep_id_number", case.legal_rep_id_number)
    page.fill("#id_legal_rep_id_expiry", case.legal_rep_id_expiry)
    _save_and_continue(page)


def fill_store(page, case: SellerCase) -> None:
    page.select_option("#id_platform", "aliexpress")
    page.fill("#id_store_id", case.store_id)
    page.select_option("#id_aliexpress_tier", "ka")
    page.fill("#id_aliexpress_store_level", "3")
    _save_and_continue(page)


def fill_settlement(page, case: SellerCase, *, mode: str = "monthly") -> None:
    page.check(f"input[name=settlement_mode][value={mode}]")
    _save_and_continue(page)
    assert page.url.endswith(f"/onboarding/applications/{case.application_pk}/documents/")


def upload(page, item: Upload) -> None:
    page.select_option("#id_kind", item.kind)
    page.set_input_files(
        "#id_file", files=[{"name": item.name, "mimeType": item.mime, "buffer": item.data}]
    )
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
    assert page.locator(".invalid-feedback").count() == 0, page.content()


def upload_signed_authorisation(page, portal: str, case: SellerCase) -> None:
    """Download the pre-filled authorisation letter, "stamp" it, upload it back."""
    url = f"{portal}/onboarding/applications/{case.application_pk}/letter/authorisation/"
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    upload(
        page, Upload("authorisation", "物流服务授权书-盖章.pdf", response.body(), "application/pdf")
    )


def mark_page(page) -> None:
    """Set a marker that a reload would wipe: proves later updates came without one."""
    page.evaluate("window.__journeyMarker = 'no-reload'")


def wait_for_ocr(page) -> None:
    """Wait, without reloading, until the page's live progress shows no document still
    queued or being read."""
    page.wait_for_function(
        """() => {
            const badges = [...document.querySelectorAll('#progress-documents .ocr-status')];
            return badges.length > 0 && badges.every((b) => !b.classList.contains('text-bg-info'));
        }""",
        timeout=OCR_TIMEOUT_MS,
        polling=500,
    )
    assert page.evaluate("window.__journeyMarker") == "no-reload"


def ocr_badges(page) -> dict[int, str]:
    """Document id → the badge class of its reading (text-bg-success = read)."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#progress-documents tr')]
            .map((row) => [row.dataset.document,
                           [...row.querySelector('.ocr-status').classList]
                             .find((c) => c.startsWith('text-bg-'))]))"""
    )


def submit_application(page, portal: str, case: SellerCase) -> None:
    page.goto(f"{portal}/onboarding/applications/{case.application_pk}/")
    assert page.locator("#submit-problems").count() == 0, page.inner_text("#submit-problems")
    with page.expect_navigation():
        page.click(f"form[action='/onboarding/applications/{case.application_pk}/submit/'] button")


# ------------------------------------------------------------------ operations (admin)


def admin_log_in(page, portal: str, email: str, password: str = PASSWORD) -> None:
    """Staff log in through allauth (the admin's login sends them there): password, then the
    code of their authenticator app, computed here from the staff's TOTP secret."""
    page.goto(f"{portal}/{settings.ADMIN_URL}")
    assert "/accounts/login/" in page.url, page.url
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")
    assert page.url.startswith(f"{portal}/accounts/2fa/authenticate/"), page.url
    page.fill("#id_code", fresh_totp_code(email))
    with page.expect_navigation():
        page.click("form:has(#id_code) button[type=submit]")
    assert page.url == f"{portal}/{settings.ADMIN_URL}", page.url


_CODES_USED: dict[str, str] = {}


def fresh_totp_code(email: str) -> str:
    """A code the server will take: allauth refuses a code already used by that user (a
    journey may log the same staff in twice within one 30 s period), and a code typed in the
    last seconds of its period may expire on the way: wait for the next period then."""
    while True:
        period = app_settings.TOTP_PERIOD
        left = period - time.time() % period
        code = totp_code()
        if left > 3 and _CODES_USED.get(email) != code:
            _CODES_USED[email] = code
            return code
        time.sleep(min(left, period) + 0.05)


def admin_open_application(page, portal: str, pk: int) -> None:
    page.goto(f"{portal}/{settings.ADMIN_URL}onboarding/application/{pk}/change/")
    page.wait_for_selector("#decision", state="attached")


def admin_approve(page, pk: int, *, screenshot=None) -> None:
    """Approve; when checks still need review, the reviewer confirms them on the next page
    (issue 13, item 8)."""
    with page.expect_navigation():
        page.click(f"form[action$='/{pk}/decide/approve/'] input[type=submit]")
    if page.locator("#approve-confirm").count():
        if screenshot is not None:
            screenshot(page, "admin-approve-confirm")
        with page.expect_navigation():
            page.click("#approve-confirm input[type=submit]")
    assert page.locator(".messagelist .success").count() == 1, page.content()


# ------------------------------------------------------------------ shipping (seller)


@dataclass(frozen=True)
class Item:
    """One item line of the form, for customs."""

    description: str = "Cotton T-shirt"
    quantity: str = "1"
    unit_value: str = "12.50"
    unit_weight_g: str = "200"
    hs_code: str = "610910"
    sku: str = "TS-001"


@dataclass(frozen=True)
class Order:
    """What a seller types into the shipment form (华东 → San Francisco, CA, 500 g, one
    T-shirt by default)."""

    order_number: str
    country: str = "US"
    postcode: str = "94105"
    city: str = "San Francisco"
    state: str = "CA"
    weight_g: int = 500
    origin: str = "east"
    recipient_name: str = "Jane Doe"
    address: str = "1 Market St"
    items: tuple[Item, ...] = (Item(),)


def fill_order(page, portal: str, order: Order) -> None:
    """Open the shipment form and type one order (the store is preselected), adding item
    rows with the form's own button."""
    page.goto(f"{portal}/shipments/new/")
    page.select_option("#id_origin", order.origin)
    page.fill("#id_order_number", order.order_number)
    page.fill("#id_recipient_name", order.recipient_name)
    page.fill("#id_address", order.address)
    page.fill("#id_city", order.city)
    page.fill("#id_state", order.state)
    page.fill("#id_postcode", order.postcode)
    page.select_option("#id_country", order.country)
    page.fill("#id_weight_g", str(order.weight_g))
    for n, item in enumerate(order.items):
        if n:
            page.click("#item-add")
        for name in ("description", "quantity", "unit_value", "unit_weight_g", "hs_code", "sku"):
            page.fill(f"#id_items-{n}-{name}", getattr(item, name))


def submit_order(page) -> None:
    with page.expect_navigation():
        page.click("#shipment-create button[type=submit]")


def create_shipment(page, portal: str, order: Order) -> int:
    """Create one shipment through the web form; returns its id (from the detail page)."""
    fill_order(page, portal, order)
    submit_order(page)
    match = re.search(r"/shipments/(\d+)/$", page.url)
    assert match, (page.url, page.locator("#shipment-refusal, .invalid-feedback").all_inner_texts())
    assert page.inner_text("#shipment-status")
    return int(match.group(1))


def print_labels(page, portal: str, shipment_ids: list[int]) -> bytes:
    """Tick the shipments in the list and print their labels: the PDF download's bytes."""
    page.goto(f"{portal}/shipments/")
    for pk in shipment_ids:
        page.check(f"#shipments-labels input[name=ids][value='{pk}']")
    with page.expect_download() as download:
        page.click("#shipments-labels button[type=submit]")
    return download_bytes(download.value)


def download_bytes(download) -> bytes:
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as saved:
        return saved.read()


def text_of(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


# ------------------------------------------------------------------ the carrier


def carrier_webhook(portal: str, events: list[dict]) -> dict:
    """POST events to the carrier webhook as the carrier does: signed JSON, no session."""
    import json
    import urllib.request
    import uuid

    from shipments.services.tracking import carrier_webhook_headers

    body = json.dumps({"events": events}).encode()
    request = urllib.request.Request(  # noqa: S310 - the live server on the loopback
        f"{portal}/shipments/webhooks/carrier/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            **carrier_webhook_headers(
                body=body, secret=settings.CARRIER_WEBHOOK_SECRET, msg_id=f"msg_{uuid.uuid4().hex}"
            ),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.status == 200
        return json.loads(response.read())


# ------------------------------------------------------------------ finance (admin)


def admin_download(page, selector: str) -> tuple[str, bytes]:
    """Click an admin link that downloads a file: (suggested file name, bytes)."""
    with page.expect_download() as download:
        page.click(selector)
    return download.value.suggested_filename, download_bytes(download.value)
