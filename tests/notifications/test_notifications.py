"""Notifications (issue 13, item 7): recorded once per seller and event (a unique key),
e-mailed by a worker after commit, never twice; listed in the portal with an unread count
in the navigation, kept in the cache."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import wait_for
from notifications import services
from notifications.models import EmailState, Notification
from notifications.selectors import unread_count
from notifications.services import (
    NewNotification,
    notification_email,
    notification_send,
    notifications_mark_read,
    notifications_requeue_unsent,
    notifications_send_many,
)
from tests.accounts.factories import SellerFactory, SellerUserFactory

pytestmark = pytest.mark.django_db

KIND = "store_bound"  # registered by stores; any registered kind does
PARAMS = {"store": "AE-1", "platform": "速卖通", "reference": "JL-000001"}


@pytest.fixture
def owner():
    return SellerUserFactory(email="owner@example.cn")


def send(seller, key="store:1:bound", **kwargs):
    return notification_send(seller=seller, kind=KIND, key=key, params=PARAMS, **kwargs)


def test_an_event_is_recorded_once_and_its_email_queued_after_commit(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "notifications.tasks.notification_email.apply_async",
        lambda args, **kwargs: queued.append(args),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = send(owner.seller, url="/stores/1/")
        second = send(owner.seller, url="/stores/1/")

    assert second is None
    assert Notification.objects.count() == 1
    assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued == [[first.pk]]


def test_the_same_key_for_another_seller_is_another_notification(owner):
    send(owner.seller)
    send(SellerFactory())

    assert Notification.objects.count() == 2


def test_the_email_goes_once_in_chinese_then_english_with_the_link(owner, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    SellerUserFactory(seller=owner.seller, seller_role="member", email="member@example.cn")
    SellerUserFactory(seller=owner.seller, seller_role="member", is_active=False)
    notification = send(owner.seller, url="/stores/1/")

    assert notification_email(notification_id=notification.pk) == EmailState.SENT
    assert notification_email(notification_id=notification.pk) == EmailState.SENT

    (message,) = mail.outbox
    assert sorted(message.to) == ["member@example.cn", "owner@example.cn"]
    assert message.subject == "经络速通 Jingluo Express: 店铺 AE-1 已绑定：可以下单"
    assert "速卖通已确认店铺 AE-1（JL-000001）绑定经络速通" in message.body
    assert "Store AE-1 is bound: orders can be placed" in message.body
    assert message.body.count("https://portal.example.cn/stores/1/") == 2
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert notification.email_recipients == ["owner@example.cn", "member@example.cn"]
    assert notification.email_attempts == 1


def test_a_failed_send_is_retried_and_marked_failed_after_the_last_attempt(owner, monkeypatch):
    notification = send(owner.seller)

    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    states = [notification_email(notification_id=notification.pk) for _ in range(5)]

    assert states == [EmailState.PENDING] * 4 + [EmailState.FAILED]
    notification.refresh_from_db()
    assert notification.email_attempts == 5
    assert "mail server down" in notification.email_error
    assert mail.outbox == []


def test_a_seller_without_active_users_is_not_emailed(owner):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    notification = send(owner.seller)

    assert notification_email(notification_id=notification.pk) == EmailState.NONE
    assert mail.outbox == []


def test_many_at_once_skip_the_events_told_before_and_queue_their_emails_in_chunks(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "EMAIL_CHUNK", 2)
    queued = []
    monkeypatch.setattr(
        "notifications.tasks.notifications_email.apply_async",
        lambda args, **kwargs: queued.append(args[0]),
    )
    other = SellerFactory()
    told = send(owner.seller, key="statement:A:issued")
    items = [
        NewNotification(owner.seller.pk, KIND, "statement:A:issued", PARAMS),
        NewNotification(owner.seller.pk, KIND, "statement:B:issued", PARAMS),
        NewNotification(other.pk, KIND, "statement:A:issued", PARAMS),
        NewNotification(other.pk, KIND, "statement:C:issued", PARAMS),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        ids = notifications_send_many(notifications=items)

    assert len(ids) == 3 and told.pk not in ids
    assert Notification.objects.count() == 4
    assert sorted(pk for chunk in queued for pk in chunk) == sorted(ids)
    assert [len(chunk) for chunk in queued] == [2, 1]
    assert notifications_send_many(notifications=items) == []


def test_the_sweep_queues_again_what_was_left_pending(owner, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "notifications.tasks.notifications_email.apply_async",
        lambda args, **kwargs: queued.append(args[0]),
    )
    old = send(owner.seller, key="old")
    send(owner.seller, key="new")
    sent = send(owner.seller, key="sent")
    Notification.objects.filter(pk__in=[old.pk, sent.pk]).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    Notification.objects.filter(pk=sent.pk).update(email_state=EmailState.SENT)

    assert notifications_requeue_unsent() == [old.pk]


def test_the_navigation_shows_the_unread_count_from_the_cache(client, owner):
    client.force_login(owner)
    send(owner.seller, key="a")
    send(owner.seller, key="b")

    html = client.get(reverse("portal:dashboard")).content.decode()
    with CaptureQueriesContext(connection) as reload:
        again = client.get(reverse("portal:dashboard")).content.decode()

    assert '<span class="badge text-bg-danger" id="unread-count">2</span>' in html
    assert 'id="unread-count">2</span>' in again
    assert not [q for q in reload.captured_queries if "notifications_notification" in q["sql"]]


def test_reading_one_goes_where_it_points_and_lowers_the_count(client, owner):
    client.force_login(owner)
    first = send(owner.seller, key="a", url="/stores/7/")
    send(owner.seller, key="b")

    response = client.post(reverse("notifications:open", args=[first.pk]))

    assert response.status_code == 302 and response["Location"] == "/stores/7/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_count(seller_id=owner.seller.pk) == 1
    html = client.get(reverse("notifications:index")).content.decode()
    assert 'id="unread-count">1</span>' in html
    assert html.count('data-unread="true"') == 1


def test_mark_all_read_and_no_get_writes(client, owner):
    client.force_login(owner)
    send(owner.seller, key="a")

    assert client.get(reverse("notifications:open", args=[1])).status_code == 405
    client.post(reverse("notifications:mark_all_read"))

    assert unread_count(seller_id=owner.seller.pk) == 0
    assert 'id="unread-count"' not in client.get(reverse("notifications:index")).content.decode()


def test_another_sellers_notification_is_not_there(client, owner):
    theirs = send(SellerFactory(), key="theirs")
    client.force_login(owner)

    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert "theirs" not in client.get(reverse("notifications:index")).content.decode()
    assert notifications_mark_read(seller=owner.seller, ids=[theirs.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_shows_each_notification_in_the_readers_language(client, owner):
    send(owner.seller, key="a")
    client.force_login(owner)

    chinese = client.get(reverse("notifications:index")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:index")).content.decode()

    assert "店铺 AE-1 已绑定：可以下单" in chinese
    assert "Store AE-1 is bound: orders can be placed" in english


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_email_after_commit(celery_worker, owner):
    notification = send(owner.seller, key="worker")

    sent = wait_for(
        lambda: Notification.objects.filter(
            pk=notification.pk, email_state=EmailState.SENT
        ).first(),
        timeout=30,
    )

    assert sent.email_recipients == ["owner@example.cn"]
