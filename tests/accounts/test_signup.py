"""Accounts through django-allauth (issue 18): sign-up that tells nobody which addresses
have accounts, an address verified before the account is used, login by e-mail, password
change and reset, and users from before allauth still logging in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import Seller, User

from .factories import PASSWORD, SellerUserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("account_signup")
LOGIN_URL = reverse("account_login")
SIGNUP = {
    "company_name": "  深圳市前海经络贸易有限公司 ",
    "email": "Owner@Example.CN",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def link_in(message, fragment: str) -> str:
    """The path of the first link in ``message`` that contains ``fragment``."""
    url = next(u for u in re.findall(r"https?://\S+", message.body) if fragment in u)
    return url.split("testserver", 1)[1]


def test_signup_creates_seller_and_owner_who_must_verify_the_address_first(client, mailoutbox):
    response = client.post(SIGNUP_URL, SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "owner@example.cn"
    assert user.seller.company_name == "深圳市前海经络贸易有限公司"
    assert user.seller_role == User.SellerRole.OWNER
    assert not user.is_staff
    assert user.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session  # not signed in before verifying
    assert EmailAddress.objects.get(user=user).verified is False
    # Logging in before verifying sends the link again and does not sign in.
    client.post(LOGIN_URL, {"login": "owner@example.cn", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:dashboard")).status_code == 302

    (message, *_again) = mailoutbox
    assert message.to == ["owner@example.cn"]
    confirm = link_in(message, "/accounts/confirm-email/")
    assert client.get(confirm).status_code == 200  # a GET (a link scanner) verifies nothing
    assert EmailAddress.objects.get(user=user).verified is False
    client.post(confirm)

    assert EmailAddress.objects.get(user=user).verified is True
    client.post(LOGIN_URL, {"login": "owner@example.cn", "password": PASSWORD})
    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert "深圳市前海经络贸易有限公司" in dashboard.content.decode()


def _same(page: str, email: str) -> str:
    """The page without what differs by nature: the address typed and the CSRF token."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", page.replace(email, "X"))


def test_signup_with_a_taken_address_looks_the_same_and_mails_the_owner(client, mailoutbox):
    """The review's finding: the sign-up page told anyone which addresses had accounts."""
    SellerUserFactory(email="owner@example.cn")
    taken = client.post(SIGNUP_URL, SIGNUP)
    taken_page = client.get(taken["Location"]).content.decode()

    fresh_client = type(client)()
    fresh = fresh_client.post(SIGNUP_URL, {**SIGNUP, "email": "new-owner@example.cn"})
    fresh_page = fresh_client.get(fresh["Location"]).content.decode()

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert _same(taken_page, "owner@example.cn") == _same(fresh_page, "new-owner@example.cn")
    assert "已存在" not in taken_page and "already exists" not in taken_page
    assert Seller.objects.count() == 2  # the factory's, and the new owner's
    assert User.objects.filter(email="owner@example.cn").count() == 1
    to_owner = [m for m in mailoutbox if m.to == ["owner@example.cn"]]
    assert len(to_owner) == 1
    assert "/accounts/password/reset/" in to_owner[0].body  # "already have an account"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password2": "another-password-77"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"company_name": "   "}, "company_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_signup_with_bad_input_changes_nothing(client, change, field, mailoutbox):
    response = client.post(SIGNUP_URL, {**SIGNUP, **change})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Seller.objects.exists()
    assert not User.objects.exists()
    assert mailoutbox == []


def test_login_is_by_email_case_insensitive_and_logout_needs_post(client):
    user = SellerUserFactory(email="boss@example.cn")

    response = client.post(LOGIN_URL, {"login": "BOSS@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)

    client.get(reverse("account_logout"))  # a GET asks, it does not log out
    assert "_auth_user_id" in client.session
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_with_a_wrong_password_is_refused(client):
    SellerUserFactory(email="boss@example.cn")

    response = client.post(LOGIN_URL, {"login": "boss@example.cn", "password": "wrong-one-123"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_user_from_before_allauth_logs_in_without_a_reset(client):
    """The data migration gave every existing user a verified address; this is a user
    written as the old sign-up wrote them (no EmailAddress row) to show why it was needed."""
    from django.db.migrations.executor import MigrationExecutor  # noqa: F401 - documents the step

    migration = __import__(
        "accounts.migrations.0004_verified_email_addresses", fromlist=["x"]
    ).addresses_for_existing_users
    from django.apps import apps

    old = User.objects.create_user(
        email="old@example.cn",
        password=PASSWORD,
        seller=Seller.objects.create(company_name="老卖家有限公司"),
        seller_role=User.SellerRole.OWNER,
    )
    migration(apps, None)

    assert EmailAddress.objects.get(user=old).verified is True
    client.post(LOGIN_URL, {"login": "old@example.cn", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(old.pk)


def test_password_change(client):
    user = SellerUserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-longer-secret-42",
            "password2": "a-new-longer-secret-42",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-longer-secret-42")


def test_password_reset_by_email_link(client, mailoutbox):
    user = SellerUserFactory(email="boss@example.cn")

    response = client.post(reverse("account_reset_password"), {"email": "boss@example.cn"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["boss@example.cn"]
    path = link_in(message, "/accounts/password/reset/key/")

    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"password1": "reset-secret-2026x", "password2": "reset-secret-2026x"}
    )

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("reset-secret-2026x")
    assert client.get(path, follow=True).context["token_fail"] is True  # used once


def test_password_reset_for_an_unknown_address_says_the_same(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.cn"})

    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/accounts/password/reset/key/" not in m.body for m in mailoutbox)
