"""The kinds of notification, registered by the apps that send them (as the order gate's
checks are): a code, a subject and a body, lazy translations with ``%(name)s`` placeholders
filled from the notification's ``params``. The texts are rendered when read, in the
reader's language; e-mails go in Chinese first, English second."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise

Text = str | Promise


@dataclass(frozen=True, slots=True)
class NotificationKind:
    code: str
    subject: Text
    body: Text
    email: bool = True  # False: shown in the portal only


_kinds: dict[str, NotificationKind] = {}


def notification_kind(code: str, *, subject: Text, body: Text, email: bool = True) -> None:
    """Register the kind ``code``; registering the same code twice is an error."""
    if code in _kinds:
        raise ValueError(f"notification kind {code!r} is registered twice")
    _kinds[code] = NotificationKind(code=code, subject=subject, body=body, email=email)


def kind_get(code: str) -> NotificationKind:
    return _kinds[code]


def kind_codes() -> list[str]:
    return sorted(_kinds)


def _fill(text: Text, params: Mapping[str, object]) -> str:
    try:
        return str(text) % dict(params)
    except (KeyError, TypeError, ValueError):
        # A notification written before its kind's text changed: the text as it is.
        return str(text)


def render(code: str, params: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) of a notification in the active language."""
    kind = _kinds.get(code)
    if kind is None:
        return code, ""
    return _fill(kind.subject, params), _fill(kind.body, params)


def render_in(code: str, params: Mapping[str, object], language: str) -> tuple[str, str]:
    with translation.override(language):
        return render(code, params)
