"""Everything that writes notifications: recording one (once per seller and event) with its
e-mail queued after commit, sending that e-mail from a worker, marking read, and the sweep
that sends again what the broker lost."""

import datetime
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from core.tasks import enqueue_on_commit

from .kinds import kind_get, render_in
from .models import EmailState, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# A pending e-mail older than this was lost with the broker (or its worker died): the
# sweep sends it again.
EMAIL_STUCK_AFTER = datetime.timedelta(minutes=10)
# E-mails of a bulk send go to the workers in tasks of this many notifications.
EMAIL_CHUNK = 200
ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class NewNotification:
    """One notification to record, for ``notifications_send_many``."""

    seller_id: int
    kind: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""


def unread_cache_key(seller_id: int) -> str:
    return f"notifications:unread:{seller_id}"


def _forget_unread(seller_ids: Iterable[int]) -> None:
    keys = [unread_cache_key(pk) for pk in set(seller_ids)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def notification_send(
    *, seller: Any, kind: str, key: str, params: Mapping[str, Any] | None = None, url: str = ""
) -> Notification | None:
    """Record the notification of event ``key`` for ``seller`` and e-mail it once the
    transaction commits. Returns None when this event was told before (the unique key
    decides, never a check-then-create): nothing is written, nothing is sent."""
    registered = kind_get(kind)  # an unknown kind is a programming error: KeyError
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                seller_id=seller.pk,
                kind=kind,
                key=key[:200],
                params={name: str(value) for name, value in (params or {}).items()},
                url=url[:300],
                email_state=EmailState.PENDING if registered.email else EmailState.NONE,
            )
    except IntegrityError:
        return None
    _forget_unread([seller.pk])
    if registered.email:
        from .tasks import notification_email

        enqueue_on_commit(notification_email, notification.pk)
    return notification


_INSERT_MANY = """
/* notifications: record many, each event once */
INSERT INTO notifications_notification
    (seller_id, kind, key, params, url, created_at, email_state, email_attempts,
     email_recipients, email_error)
SELECT seller_id, kind, key, params::jsonb, url, %(now)s, email_state, 0, '[]'::jsonb, ''
FROM unnest(%(sellers)s::bigint[], %(kinds)s::text[], %(keys)s::text[], %(params)s::text[],
            %(urls)s::text[], %(states)s::text[])
     AS t(seller_id, kind, key, params, url, email_state)
ON CONFLICT (seller_id, key) DO NOTHING
RETURNING id, email_state
"""


def notifications_send_many(*, notifications: list[NewNotification]) -> list[int]:
    """Record many at once (a month's statements) in one statement: events told before
    are skipped (``ON CONFLICT DO NOTHING`` on the unique key), the e-mails of the new ones
    go to the workers in chunks after commit. Returns the new notifications' ids."""
    if not notifications:
        return []
    columns: dict[str, list[Any]] = {
        "sellers": [],
        "kinds": [],
        "keys": [],
        "params": [],
        "urls": [],
        "states": [],
    }
    for item in notifications:
        columns["sellers"].append(item.seller_id)
        columns["kinds"].append(item.kind)
        columns["keys"].append(item.key[:200])
        columns["params"].append(
            json.dumps({name: str(value) for name, value in item.params.items()})
        )
        columns["urls"].append(item.url[:300])
        email = kind_get(item.kind).email
        columns["states"].append(EmailState.PENDING.value if email else EmailState.NONE.value)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_MANY, {**columns, "now": timezone.now()})
            created = cursor.fetchall()
        _forget_unread(columns["sellers"])
        pending = [pk for pk, state in created if state == EmailState.PENDING]
        from .tasks import notifications_email

        for start in range(0, len(pending), EMAIL_CHUNK):
            enqueue_on_commit(notifications_email, pending[start : start + EMAIL_CHUNK])
    return [pk for pk, _state in created]


def _recipients(notification: Notification) -> list[str]:
    return list(
        notification.seller.users.filter(is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def notification_message(notification: Notification) -> tuple[str, str]:
    """The e-mail: Chinese first (the portal's language), then English."""
    link = ""
    if notification.url:
        base = settings.PORTAL_BASE_URL.rstrip("/")
        link = f"{base}{notification.url}" if base else notification.url
    subject_zh, body_zh = render_in(notification.kind, notification.params, settings.LANGUAGE_CODE)
    subject_en, body_en = render_in(notification.kind, notification.params, ENGLISH)
    parts = [body_zh, *([link] if link else []), "", "—", subject_en, body_en]
    parts += [link] if link else []
    return f"经络速通 Jingluo Express: {subject_zh}", "\n".join(parts)


def notification_email(*, notification_id: int) -> str:
    """Send one notification's e-mail, once: the row is locked and moved out of
    ``pending`` in the transaction that sends, so a task delivered twice, or run by two
    workers at once, sends it once. A failed send is counted and left pending for the next
    try, until the last attempt marks it failed. Returns the state it ended in."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("seller")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_state != EmailState.PENDING:
            return notification.email_state if notification else "missing"
        recipients = _recipients(notification)
        if not recipients:
            notification.email_state = EmailState.NONE
            notification.save(update_fields=["email_state"])
            return EmailState.NONE
        subject, body = notification_message(notification)
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
        except Exception as error:  # noqa: BLE001 - any mail failure is counted, then retried
            logger.warning("notification %s not e-mailed: %s", notification_id, error)
            attempts = notification.email_attempts + 1
            notification.email_attempts = attempts
            notification.email_error = str(error)[:500]
            if attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email_state = EmailState.FAILED
            notification.save(update_fields=["email_attempts", "email_error", "email_state"])
            return notification.email_state
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
        notification.email_recipients = recipients
        notification.email_attempts = F("email_attempts") + 1
        notification.save(
            update_fields=["email_state", "emailed_at", "email_recipients", "email_attempts"]
        )
    return EmailState.SENT


def notifications_requeue_unsent(*, now: datetime.datetime | None = None) -> list[int]:
    """The sweep: e-mails still pending after ``EMAIL_STUCK_AFTER`` (the broker was down
    when they were queued, or a send failed) are queued again."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email_state=EmailState.PENDING, created_at__lt=now - EMAIL_STUCK_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    from .tasks import notifications_email

    for start in range(0, len(ids), EMAIL_CHUNK):
        enqueue_on_commit(notifications_email, ids[start : start + EMAIL_CHUNK])
    return ids


def notifications_mark_read(
    *, seller: Any, ids: Iterable[int] | None = None, at: datetime.datetime | None = None
) -> int:
    """Mark the seller's notifications ``ids`` (all of them when None) read. Another
    seller's ids are not touched. Returns how many were unread."""
    unread = Notification.objects.filter(seller=seller, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    with transaction.atomic():
        count = unread.update(read_at=at or timezone.now())
        if count:
            _forget_unread([seller.pk])
    return count
