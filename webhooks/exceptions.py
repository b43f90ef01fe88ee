from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class WebhookError(DomainError):
    default_message = _("The webhook operation was refused.")


class InvalidWebhookUrl(WebhookError):
    """A URL events cannot be sent to: not https, or resolving to an address inside a
    private network (SSRF)."""

    default_message = _("This URL cannot receive webhooks.")


class InvalidEventTypes(WebhookError):
    default_message = _("Unknown event type.")
