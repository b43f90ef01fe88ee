"""What the portal tells a seller: one row per thing to tell, shown in the portal's
notification list (with an unread count in the navigation) and e-mailed once.

The app knows nothing of what it tells: each app that has something to say registers its
kinds (``notifications.kinds``) and calls ``notifications.services.notification_send``
with a key that names the event (``application:42:trial``, ``statement:JL202610-00001:due``).
The key is unique per seller, so an event is told once, however often its sender runs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NONE = "none", _("Not e-mailed")


# pending → sent | failed (after the last attempt) | none (no recipient, or a kind shown only
# in the portal); a failed e-mail is not retried by the sweeper.
EMAIL_TRANSITIONS: dict[str, set[str]] = {
    EmailState.PENDING: {EmailState.SENT, EmailState.FAILED, EmailState.NONE},
    EmailState.SENT: set(),
    EmailState.FAILED: set(),
    EmailState.NONE: set(),
}


class Notification(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller",
        verbose_name=_("seller"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("event"), max_length=200)
    # The values the kind's texts are filled with (strings), so that the portal shows the
    # notification in the reader's language.
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_recipients = models.JSONField(_("e-mailed to"), default=list, blank=True)
    email_error = models.TextField(_("why the e-mail failed"), blank=True)

    class Meta:
        verbose_name = _("seller notification")
        verbose_name_plural = _("seller notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "key"], name="notification_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(email_state__in=EmailState.values),
                name="notification_email_state_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["seller", "-created_at", "-id"], name="notification_seller_recent"
            ),
            models.Index(
                fields=["seller"],
                condition=models.Q(read_at__isnull=True),
                name="notification_seller_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_state="pending"),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.seller_id} ({self.key})"
