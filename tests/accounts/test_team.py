import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User

from .factories import SellerUserFactory

pytestmark = pytest.mark.django_db


def test_the_owner_adds_a_member_who_sets_a_password_and_logs_in(
    client, seller_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(seller_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:team"), {"email": "Clerk@Example.CN"})

    assert response["Location"] == reverse("accounts:team")
    member = User.objects.get(email="clerk@example.cn")
    assert (member.seller, member.seller_role, member.has_usable_password()) == (
        seller_user.seller,
        "member",
        False,
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "经络速通：您已被添加到卖家账户"
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    client.logout()
    # Unverified until the invitation is used: no login before.
    assert EmailAddress.objects.get(user=member).verified is False
    login = {"login": "clerk@example.cn", "password": "member-secret-2026"}
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert form.status_code == 200 and not form.context.get("token_fail")
    client.post(
        form.redirect_chain[-1][0],
        {"password1": "member-secret-2026", "password2": "member-secret-2026"},
    )
    # Setting the password through the e-mailed link verified the address.
    assert EmailAddress.objects.get(user=member).verified is True
    client.post(reverse("account_login"), login)
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_a_member_cannot_add_members(client, seller_user):
    member = SellerUserFactory(seller=seller_user.seller, seller_role="member")
    client.force_login(member)

    response = client.post(reverse("accounts:team"), {"email": "x@example.cn"})

    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.cn").exists()


def test_an_address_already_registered_is_refused(client, seller_user, other_seller_user):
    client.force_login(seller_user)

    response = client.post(reverse("accounts:team"), {"email": other_seller_user.email})

    assert response.context["form"].errors["email"] == ["使用此电子邮件地址的账户已存在。"]
    assert User.objects.count() == 2


def test_the_owner_switches_a_member_off_and_on_but_never_himself(client, seller_user):
    member = SellerUserFactory(seller=seller_user.seller, seller_role="member")
    client.force_login(seller_user)
    url = reverse("accounts:team_member_active", args=[member.pk])

    client.post(url, {"active": "0"})
    member.refresh_from_db()
    assert member.is_active is False
    client.post(url, {"active": "1"})
    member.refresh_from_db()
    assert member.is_active is True

    client.post(reverse("accounts:team_member_active", args=[seller_user.pk]), {"active": "0"})
    seller_user.refresh_from_db()
    assert seller_user.is_active is True
