"""Text messages to sellers, through a pluggable backend (like Django's e-mail backends).

``SMS_BACKEND`` names the class (a dotted path). ``LogBackend`` (the default) writes each
message to the log; ``LocmemBackend`` keeps them in ``LocmemBackend.outbox`` for tests. A
real gateway (Aliyun SMS, Tencent Cloud SMS…) is a class with the same ``send`` method.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        """Send one message; raise on failure."""
        raise NotImplementedError


class LogBackend(BaseSmsBackend):
    """Writes the message to the log instead of sending it: local development."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


class LocmemBackend(BaseSmsBackend):
    """Keeps the messages in memory, in ``LocmemBackend.outbox``: tests."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str) -> None:
        LocmemBackend.outbox.append({"to": to, "body": body})


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, to: str, body: str) -> None:
    sms_backend().send(to=to, body=body)
