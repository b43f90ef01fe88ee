"""Signing webhooks out as Standard Webhooks specifies (https://www.standardwebhooks.com/):
``webhook-id`` (the event's stable id), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature`` (``v1,`` + base64 of HMAC-SHA256 over ``{id}.{timestamp}.{body}``
under the secret's decoded bytes), with the reference implementation (``standardwebhooks``);
a receiver verifies with any Standard Webhooks library and its ``whsec_`` secret."""

import base64
import datetime
import secrets

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32


def secret_new() -> str:
    """A fresh signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(
    *,
    secret: str,
    msg_id: str,
    at: datetime.datetime,
    body: str,
    previous: str | None = None,
) -> dict[str, str]:
    """The three headers of one attempt. ``Webhook.sign`` reads the timestamp's fields as UTC
    (it replaces the zone rather than converting), so it is handed the instant in UTC. With
    ``previous`` (a rotation's old secret, still in its overlap) the header carries both
    signatures, space-separated as the specification allows: a receiver holding either
    secret verifies."""
    utc = at.astimezone(datetime.UTC)
    signatures = [Webhook(s).sign(msg_id, utc, body) for s in (secret, previous) if s]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(utc.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
