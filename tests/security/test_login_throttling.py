"""Login throttling (django-axes): 5 failures per (e-mail address, client IP) lock that pair
for 15 minutes, on the portal's login page and the admin's; the fifth failure already answers
with the lock page, and the locked-out visitor is told how long to wait."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import client_ip
from tests.accounts.factories import PASSWORD, SellerUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = f"/{settings.ADMIN_URL}login/"
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def _attempt(client, email, password, *, ip=HOME, url=LOGIN):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, email, times, *, ip=HOME, url=LOGIN):
    """``times`` wrong passwords: the form again with its error, until the fifth locks."""
    statuses = [
        _attempt(client, email, "wrong-password", ip=ip, url=url).status_code for _ in range(times)
    ]
    assert statuses == [200] * min(times, 4) + [429] * max(0, times - 4)
    assert not _logged_in(client)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, seller_user):
    _fail(client, seller_user.email, 5)

    response = _attempt(client, seller_user.email, PASSWORD)

    assert response.status_code == 429
    assert not _logged_in(client)
    html = response.content.decode()
    assert 'id="lockout-message" data-minutes="15"' in html
    assert "15" in html.split('id="lockout-message"')[1].split("</div>")[0]
    assert reverse("accounts:password_reset") in html
    assert 'type="password"' not in html  # no login form is offered while locked
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == (seller_user.email, HOME)
    assert attempt.failures_since_start == 6


def test_four_failures_then_the_right_password_logs_in_and_clears_that_count(client, seller_user):
    _fail(client, seller_user.email, 4)

    assert _attempt(client, seller_user.email, PASSWORD).status_code == 302
    assert _logged_in(client)
    assert not AccessAttempt.objects.exists()
    client.logout()
    # A fresh count: four more mistakes are still not a lock.
    _fail(client, seller_user.email, 4)
    assert _attempt(client, seller_user.email, PASSWORD).status_code == 302


def test_a_lock_holds_only_that_address_and_ip(client, seller_user):
    bystander = SellerUserFactory()
    _fail(client, seller_user.email, 5)

    # The same seller from another network still gets in: strangers cannot lock them out.
    assert _attempt(client, seller_user.email, PASSWORD, ip=ELSEWHERE).status_code == 302
    client.logout()
    # Another account from the locked network is not locked either.
    assert _attempt(client, bystander.email, PASSWORD).status_code == 302
    client.logout()
    # Neither success reset the locked pair.
    assert _attempt(client, seller_user.email, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(ip_address=HOME).failures_since_start == 6


def test_changing_the_case_of_the_address_does_not_dodge_the_count(client, seller_user):
    variants = [seller_user.email.upper(), f" {seller_user.email} ", seller_user.email.title()]
    for email in [*variants, seller_user.email, seller_user.email.upper()]:
        _attempt(client, email, "wrong-password")

    assert _attempt(client, seller_user.email, PASSWORD).status_code == 429
    assert AccessAttempt.objects.count() == 1


def test_the_lock_ends_after_15_minutes_without_attempts(client, seller_user):
    _fail(client, seller_user.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert _attempt(client, seller_user.email, PASSWORD).status_code == 429

    # That refused attempt started the 15 minutes again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert _attempt(client, seller_user.email, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_admin_login_is_throttled_too(client, ops_user):
    _fail(client, ops_user.email, 5, url=ADMIN_LOGIN)

    response = _attempt(client, ops_user.email, PASSWORD, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert not _logged_in(client)
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302  # still sent to login


def test_portal_and_admin_failures_count_together(client, ops_user):
    _fail(client, ops_user.email, 3, url=ADMIN_LOGIN)
    assert _attempt(client, ops_user.email, "wrong-password").status_code == 200
    assert _attempt(client, ops_user.email, "wrong-password").status_code == 429

    assert _attempt(client, ops_user.email, PASSWORD, url=ADMIN_LOGIN).status_code == 429


def test_the_page_is_in_chinese_first_and_english_on_request(client, seller_user):
    _fail(client, seller_user.email, 5)

    chinese = _attempt(client, seller_user.email, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _attempt(client, seller_user.email, PASSWORD)

    assert chinese.headers["Content-Language"] == "zh-hans"
    assert english.headers["Content-Language"] == "en"
    assert "Try again in 15 minutes" in english.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "192.0.2.1"),  # no proxy of ours: a client-sent header is ignored
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what our proxy saw, not the spoof
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.1"),  # fewer hops than proxies: not trusted
    ],
)
def test_the_client_ip_trusts_only_our_own_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
