"""Login throttling: allauth's rate limits (they replaced django-axes). 5 failures per
(e-mail address, client IP) in 15 minutes refuse that pair's next attempts, even with the right
password; 10 failures a minute from one IP refuse that IP whatever the address. The admin's
login is allauth's, so the same counts hold there."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapter import AccountAdapter
from tests.accounts.factories import PASSWORD, SellerUserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
ADMIN_LOGIN = f"/{settings.ADMIN_URL}login/"
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"
TOO_MANY = "Too many failed login attempts"


def _attempt(client, email, password, *, ip=HOME, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _refused(response) -> bool:
    return response.status_code == 200 and TOO_MANY in response.content.decode()


def _fail(client, email, times, *, ip=HOME):
    for _ in range(times):
        response = _attempt(client, email, "wrong-password", ip=ip)
        assert response.status_code == 200
        assert not _refused(response)
    assert not _logged_in(client)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, seller_user):
    _fail(client, seller_user.email, 5)

    response = _attempt(client, seller_user.email, PASSWORD)

    assert _refused(response)
    assert not _logged_in(client)


def test_four_failures_then_the_right_password_logs_in(client, seller_user):
    _fail(client, seller_user.email, 4)

    assert _attempt(client, seller_user.email, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_a_lock_holds_only_that_address_and_ip(client, seller_user):
    bystander = SellerUserFactory()
    _fail(client, seller_user.email, 5)

    # The same seller from another network still gets in: strangers cannot lock them out.
    assert _attempt(client, seller_user.email, PASSWORD, ip=ELSEWHERE).status_code == 302
    client.logout()
    # Another account from the locked network is not locked either.
    assert _attempt(client, bystander.email, PASSWORD).status_code == 302
    client.logout()
    assert _refused(_attempt(client, seller_user.email, PASSWORD))


def test_changing_the_case_of_the_address_does_not_dodge_the_count(client, seller_user):
    for email in [seller_user.email.upper(), seller_user.email.title(), seller_user.email] * 2:
        _attempt(client, email, "wrong-password")

    assert _refused(_attempt(client, seller_user.email, PASSWORD))


def test_ten_failures_a_minute_from_one_ip_refuse_that_ip(client):
    for n in range(10):
        _attempt(client, f"guess{n}@example.cn", "wrong-password")
    victim = SellerUserFactory()
    assert _refused(_attempt(client, victim.email, PASSWORD))
    assert _attempt(client, victim.email, PASSWORD, ip=ELSEWHERE).status_code == 302


def test_the_admin_login_is_allauths_and_throttled_the_same(client, ops_user):
    response = client.get(f"/{settings.ADMIN_URL}")
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)
    login_page = client.get(ADMIN_LOGIN)
    assert login_page.status_code == 302 and login_page["Location"].startswith(LOGIN)

    _fail(client, ops_user.email, 5)
    assert _refused(_attempt(client, ops_user.email, PASSWORD))


def test_the_refusal_is_in_chinese_first(client, seller_user):
    _fail(client, seller_user.email, 5)
    chinese = _attempt(client, seller_user.email, PASSWORD, language="zh-hans")
    assert chinese.headers["Content-Language"] == "zh-hans"
    assert "登录失败次数过多" in chinese.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "192.0.2.1"),  # no proxy of ours: a client-sent header is ignored
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what our proxy saw, not the spoof
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.1"),  # a shorter header than our proxies: the socket's
    ],
)
def test_the_client_ip_behind_our_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert AccountAdapter().get_client_ip(request) == expected
