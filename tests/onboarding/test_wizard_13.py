"""Issue 13, items 3 (onboarding and team side) and 4: codes typed or pasted any usual way
are accepted; nothing is cut to a length without a word; each problem says what is wrong,
as it is typed; the wizard marks what submission needs, offers no "---------" choice,
shows the chosen platform's fields only, starts from the company name given at sign-up,
and shows a submitted application read-only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Application, ApplicationStatus
from onboarding.services import application_create
from tests.accounts.factories import SellerUserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

USCC = "91440300MA5FXK3Q6D"  # valid: its check digit is D
ID_NUMBER = "440305199201010011"


def valid_id_number() -> str:
    from .factories import valid_id_number as make

    return make(7)


@pytest.fixture
def owner():
    return SellerUserFactory()


@pytest.fixture
def draft(owner):
    return ApplicationFactory(seller=owner.seller, uscc="", legal_rep_id_number="")


def step_url(application, step):
    return reverse("onboarding:step", args=[application.pk, step])


def post_step(client, owner, application, step, data):
    client.force_login(owner)
    return client.post(step_url(application, step), {"save": "1", **data})


def company(**values):
    return {
        "company_name": "深圳市经络测试贸易有限公司",
        "uscc": USCC,
        "registered_address": "深圳市南山区科技园路1号",
        "tax_address": "深圳市南山区科技园路1号",
        "business_scope": "货物进出口",
        **values,
    }


# --- item 3: codes as typed or pasted, nothing cut silently -------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "9144 0300 MA5F XK3Q 6D",  # pasted from a document, with its spaces
        "９１４４０３００ＭＡ５ＦＸＫ３Ｑ６Ｄ",  # full-width, from a Chinese input method
        " 91440300ma5fxk3q6d ",
        "9144\u30000300MA5FXK3Q6D",  # an ideographic space
    ],
)
def test_a_credit_code_typed_any_usual_way_is_kept_normalised(client, owner, draft, typed):
    response = post_step(client, owner, draft, "company", company(uscc=typed))

    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.uscc == USCC


def test_an_id_number_pasted_with_spaces_and_a_small_x_is_kept_normalised(client, owner, draft):
    number = valid_id_number()
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"

    response = post_step(
        client, owner, draft, "legal-rep", {"legal_rep_name": "张伟", "legal_rep_id_number": typed}
    )

    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.legal_rep_id_number == number


@pytest.mark.parametrize("step", ["company", "legal-rep", "store", "agency-settlement"])
def test_no_wizard_field_cuts_what_is_typed(client, owner, draft, step):
    client.force_login(owner)

    html = client.get(step_url(draft, step)).content.decode()

    assert "maxlength" not in html


def test_the_team_page_cuts_nothing_either(client, owner):
    client.force_login(owner)

    html = client.get(reverse("accounts:team")).content.decode()

    assert "maxlength" not in html


def test_too_long_is_said_and_nothing_is_saved(client, owner, draft):
    response = post_step(client, owner, draft, "company", company(company_name="公" * 230))

    assert response.status_code == 200
    (error,) = response.context["form"].errors["company_name"]
    assert "200" in error and "230" in error
    draft.refresh_from_db()
    assert draft.uscc == ""


def test_a_phone_pasted_full_width_with_spaces_is_kept_as_e164(client, owner):
    client.force_login(owner)

    client.post(reverse("accounts:team_alert_phone"), {"phone": "＋８６ １３８ ００１３ ８０００"})

    owner.seller.refresh_from_db()
    assert owner.seller.alert_phone == "+8613800138000"


# --- item 4: what is wrong, said on its field as it is typed ------------------------------


def test_a_credit_code_of_the_right_length_with_a_wrong_check_digit_says_so(client, owner, draft):
    response = post_step(client, owner, draft, "company", company(uscc=USCC[:-1] + "E"))

    (error,) = response.context["form"].errors["uscc"]
    assert "校验码" in error or "check digit" in error
    assert "18" in error  # the 18th character, not "should be 18 characters"
    assert "这个代码有" not in error and "this one has" not in error


@pytest.mark.parametrize(("typed", "length"), [("9144030", 7), (USCC + "1", 19)])
def test_a_credit_code_of_the_wrong_length_says_its_length(client, owner, draft, typed, length):
    response = post_step(client, owner, draft, "company", company(uscc=typed))

    (error,) = response.context["form"].errors["uscc"]
    assert f"{length}" in error


def test_an_id_number_with_a_wrong_check_digit_says_so(client, owner, draft):
    number = valid_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")

    response = post_step(
        client, owner, draft, "legal-rep", {"legal_rep_name": "张伟", "legal_rep_id_number": wrong}
    )

    (error,) = response.context["form"].errors["legal_rep_id_number"]
    assert "校验码" in error


def test_an_id_card_expiring_within_90_days_is_flagged_at_entry(client, owner, draft):
    soon = timezone.localdate() + datetime.timedelta(days=60)

    response = post_step(
        client, owner, draft, "legal-rep", {"legal_rep_id_expiry": soon.isoformat()}
    )

    (error,) = response.context["form"].errors["legal_rep_id_expiry"]
    assert soon.isoformat() in error and "90" in error
    draft.refresh_from_db()
    assert draft.legal_rep_id_expiry == datetime.date(2035, 6, 30)  # unchanged


def test_long_term_beside_a_date_is_a_conflict_said_not_resolved_silently(client, owner, draft):
    later = timezone.localdate() + datetime.timedelta(days=3000)

    response = post_step(
        client,
        owner,
        draft,
        "legal-rep",
        {"legal_rep_id_expiry": later.isoformat(), "legal_rep_id_long_term": "on"},
    )

    assert response.context["form"].errors["legal_rep_id_long_term"]
    draft.refresh_from_db()
    assert draft.legal_rep_id_long_term is False


def test_long_term_alone_is_fine(client, owner, draft):
    response = post_step(client, owner, draft, "legal-rep", {"legal_rep_id_long_term": "on"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.legal_rep_id_long_term, draft.legal_rep_id_expiry) == (True, None)


def test_the_fields_submission_needs_are_marked(client, owner, draft):
    client.force_login(owner)

    html = client.get(step_url(draft, "company")).content.decode()

    assert 'id="required-note"' in html
    assert re.search(r"公司名称 \*\s*</label>", html)
    labels = re.findall(r"<label[^>]*>\s*([^<]+?)\s*</label>", html)
    assert sum(label.endswith("*") for label in labels) == 5


def test_the_settlement_choice_has_no_dashes_and_none_preselected(client, owner):
    draft = ApplicationFactory(seller=owner.seller, settlement_mode="")
    client.force_login(owner)

    html = client.get(step_url(draft, "agency-settlement")).content.decode()

    radios = re.findall(r'<input type="radio"[^>]*name="settlement_mode"[^>]*>', html)
    assert len(radios) == 2
    assert not any("checked" in radio for radio in radios)
    assert "---------" not in html


def test_only_the_chosen_platforms_fields_are_kept(client, owner, draft):
    client.force_login(owner)
    html = client.get(step_url(draft, "store")).content.decode()

    response = post_step(
        client,
        owner,
        draft,
        "store",
        {
            "platform": "lazada",
            "store_id": "LZ 123",
            "aliexpress_tier": "ka",
            "aliexpress_store_level": "3",
            "lazada_official_warehouse": "true",
            "tiktok_site": "uk",
        },
    )

    assert 'data-platform="aliexpress"' in html and 'data-platform="lazada"' in html
    assert "js/application-store" in html
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.platform, draft.store_id) == ("lazada", "LZ123")
    assert draft.lazada_official_warehouse is True
    assert (draft.aliexpress_tier, draft.aliexpress_store_level, draft.tiktok_site) == (
        "",
        None,
        "",
    )


def test_a_new_application_starts_from_the_company_name_of_sign_up(owner):
    application = application_create(seller=owner.seller)

    assert application.company_name == owner.seller.company_name


def test_a_submitted_application_looks_read_only(client, owner):
    submitted = ApplicationFactory(seller=owner.seller, status=ApplicationStatus.IN_REVIEW)
    client.force_login(owner)

    html = client.get(step_url(submitted, "company")).content.decode()

    assert 'id="read-only"' in html
    assert "<fieldset disabled" in html
    inputs = re.findall(r"<input[^>]*name=\"(?:company_name|uscc)\"[^>]*>", html)
    assert inputs and all("disabled" in tag for tag in inputs)
    assert 'button type="submit" name="next"' not in html
    assert Application.objects.get(pk=submitted.pk).status == ApplicationStatus.IN_REVIEW
