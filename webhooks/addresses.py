"""Where a webhook may go: an ``https://`` URL whose host resolves only to public addresses.

Checked when the endpoint is created and again before every attempt (a name that resolved
to a public address yesterday may resolve to 169.254.169.254 today: DNS rebinding), and the
request then connects to the very address that was checked (``Target``), never resolving
the name a second time. Plain ``http://`` to a loopback host is allowed only when
``WEBHOOKS_ALLOW_LOCALHOST`` is on (``DEBUG``, or a test that runs its own receiver).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import InvalidWebhookUrl

MAX_URL = 500
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: connect to ``address``, say ``host`` (TLS name and Host header)."""

    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a seam the tests replace: no DNS here)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def webhook_url_check(url: str) -> Target:
    """The target of ``url``, or ``InvalidWebhookUrl`` saying why events cannot go there."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise InvalidWebhookUrl(
            _("Give an https:// URL of at most %(max)s characters.") % {"max": MAX_URL}
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidWebhookUrl(_("This is not a valid URL.")) from None
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidWebhookUrl(_("This is not a valid URL."))
    if parts.username or parts.password:
        raise InvalidWebhookUrl(_("A webhook URL carries no user name or password."))
    local_allowed = settings.WEBHOOKS_ALLOW_LOCALHOST and host in LOCAL_NAMES
    if parts.scheme != "https" and not (parts.scheme == "http" and local_allowed):
        raise InvalidWebhookUrl(_("Webhook URLs must start with https://."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    try:
        addresses = [str(literal)] if literal is not None else resolve(host, port)
    except (OSError, UnicodeError):
        raise InvalidWebhookUrl(
            _("The host %(host)s cannot be resolved.") % {"host": host[:100]}
        ) from None
    if not addresses:
        raise InvalidWebhookUrl(_("The host %(host)s cannot be resolved.") % {"host": host[:100]})
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if local_allowed and address.is_loopback:
            continue
        if not _public(address):
            raise InvalidWebhookUrl(
                _(
                    "%(host)s resolves to %(address)s, an address inside a private network: "
                    "webhooks go to public addresses only."
                )
                % {"host": host[:100], "address": text}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=addresses[0])
