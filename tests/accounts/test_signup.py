import pytest
from django.urls import reverse

from accounts.models import Seller, User

from .factories import PASSWORD, SellerUserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "company_name": "  深圳市前海经络贸易有限公司 ",
    "email": "Owner@Example.CN",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def test_signup_creates_seller_and_owner_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    user = User.objects.get()
    assert user.email == "owner@example.cn"
    assert user.seller.company_name == "深圳市前海经络贸易有限公司"
    assert user.seller_role == User.SellerRole.OWNER
    assert not user.is_staff
    assert user.check_password(PASSWORD)
    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert "深圳市前海经络贸易有限公司" in dashboard.content.decode()


def test_signup_refuses_an_email_already_registered_in_any_case(client):
    SellerUserFactory(email="owner@example.cn")

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["使用此电子邮件地址的账户已存在。"]
    assert Seller.objects.count() == 1
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password2": "another-password-77"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"company_name": "   "}, "company_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_signup_with_bad_input_changes_nothing(client, change, field):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **change})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Seller.objects.exists()
    assert not User.objects.exists()


def test_login_is_by_email_case_insensitive_and_logout_needs_post(client):
    user = SellerUserFactory(email="boss@example.cn")

    response = client.post(
        reverse("accounts:login"), {"username": "BOSS@example.cn", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_with_a_wrong_password_is_refused(client):
    SellerUserFactory(email="boss@example.cn")

    response = client.post(
        reverse("accounts:login"), {"username": "boss@example.cn", "password": "wrong-one-123"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_change(client):
    user = SellerUserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-longer-secret-42",
            "new_password2": "a-new-longer-secret-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-new-longer-secret-42")


def test_password_reset_by_email_link(client, mailoutbox):
    user = SellerUserFactory(email="boss@example.cn")

    response = client.post(reverse("accounts:password_reset"), {"email": "boss@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["boss@example.cn"]
    assert message.subject == "经络速通：重置您的密码"
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "reset-secret-2026x", "new_password2": "reset-secret-2026x"}
    )

    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("reset-secret-2026x")
    assert client.get(path, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []
