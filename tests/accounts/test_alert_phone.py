"""The mobile number customs alerts go to by SMS: typed by the owner on the team page in
any usual way, kept as E.164, refused with a clear message when it is not a mainland
mobile number, and changed by nobody else."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.exceptions import InvalidMobileNumber, NotSellerOwner
from accounts.models import Seller
from accounts.phones import mobile_display, mobile_normalize
from accounts.services import seller_alert_phone_set

from .factories import SellerUserFactory

TEAM = reverse("accounts:team")
ALERT_PHONE = reverse("accounts:team_alert_phone")


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        " (138) 0013.8000 ",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086 13800138000",
        "8613800138000",
        "１３８００１３８０００",  # full-width digits, as a Chinese input method types them
        "＋８６ １３８ ００１３ ８０００",
    ],
)
def test_the_usual_ways_of_typing_a_number_are_kept_as_e164(typed):
    assert mobile_normalize(typed) == "+8613800138000"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_a_blank_entry_means_no_number(typed):
    assert mobile_normalize(typed) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "12800138000",  # no mainland mobile number starts 12
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "+1 415 555 0100",  # not a mainland number
        "+85 13800138000",
        "010 6552 9988",  # a Beijing landline
        "phone 13800138000",
        "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits: not what the database accepts
    ],
)
def test_anything_else_is_refused_with_the_reason(typed):
    with pytest.raises(InvalidMobileNumber) as refused:
        mobile_normalize(typed)
    with translation.override("en"):
        assert "11 digits starting with 1" in str(refused.value.message)


def test_the_number_is_shown_as_people_read_it():
    assert mobile_display("+8613800138000") == "+86 138 0013 8000"
    assert mobile_display("") == ""


@pytest.mark.django_db
def test_the_owner_sets_the_number_and_the_team_page_shows_it(client):
    owner = SellerUserFactory()
    client.force_login(owner)

    response = client.post(ALERT_PHONE, {"phone": "138 0013 8000"}, follow=True)

    assert response.redirect_chain == [(TEAM, 302)]
    owner.seller.refresh_from_db()
    assert owner.seller.alert_phone == "+8613800138000"
    html = response.content.decode()
    with translation.override("zh-hans"):  # the portal's language unless a seller switches
        saved = _("Customs alerts now also go by SMS to %(phone)s.")
    assert saved % {"phone": "+86 138 0013 8000"} in html
    assert 'id="alert-phone-current">' in html
    assert 'value="+86 138 0013 8000"' in html  # the form starts from the number kept


@pytest.mark.django_db
def test_a_wrong_number_is_refused_on_the_page_and_the_old_one_is_kept(client):
    owner = SellerUserFactory(seller__alert_phone="+8613800138000")
    client.force_login(owner)

    response = client.post(ALERT_PHONE, {"phone": "1380013800"})

    assert response.status_code == 200
    assert response.context["phone_form"].errors["phone"] == [str(InvalidMobileNumber().message)]
    owner.seller.refresh_from_db()
    assert owner.seller.alert_phone == "+8613800138000"


@pytest.mark.django_db
def test_an_empty_number_switches_sms_off(client):
    owner = SellerUserFactory(seller__alert_phone="+8613800138000")
    client.force_login(owner)

    client.post(ALERT_PHONE, {"phone": ""})

    owner.seller.refresh_from_db()
    assert owner.seller.alert_phone == ""


@pytest.mark.django_db
def test_a_staff_member_sees_the_number_but_cannot_change_it(client):
    owner = SellerUserFactory(seller__alert_phone="+8613800138000")
    member = SellerUserFactory(seller=owner.seller, seller_role="member")
    client.force_login(member)

    page = client.get(TEAM).content.decode()
    assert "+86 138 0013 8000" in page
    assert ALERT_PHONE not in page  # no form

    assert client.post(ALERT_PHONE, {"phone": "139 0000 0000"}).status_code == 403
    owner.seller.refresh_from_db()
    assert owner.seller.alert_phone == "+8613800138000"
    with pytest.raises(NotSellerOwner):
        seller_alert_phone_set(seller=owner.seller, actor=member, phone="13900000000")


@pytest.mark.django_db
def test_an_owner_changes_only_their_own_sellers_number(client):
    owner = SellerUserFactory()
    other = SellerUserFactory(seller__alert_phone="+8613800138000")
    client.force_login(owner)

    client.post(ALERT_PHONE, {"phone": "139 0000 0000", "seller": other.seller.pk})

    other.seller.refresh_from_db()
    owner.seller.refresh_from_db()
    assert other.seller.alert_phone == "+8613800138000"
    assert owner.seller.alert_phone == "+8613900000000"
    with pytest.raises(NotSellerOwner):
        seller_alert_phone_set(seller=other.seller, actor=owner, phone="13900000000")


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_and_get_is_not_allowed(client):
    response = client.post(ALERT_PHONE, {"phone": "13800138000"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(SellerUserFactory())
    assert client.get(ALERT_PHONE).status_code == 405


@pytest.mark.django_db
def test_the_database_keeps_only_e164_mainland_numbers():
    seller = SellerUserFactory().seller
    for bad in ["13800138000", "+86138-0013800", "+8612800138000", "+14155550100", "+86138001380"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Seller.objects.filter(pk=seller.pk).update(alert_phone=bad)
