"""The seller API's own rows: keys, and the responses kept for idempotent retries.

A key is shown once, when it is made; only its SHA-256 is stored (the secret has 190 bits
of entropy, so a fast hash is enough: there is nothing to brute-force), with a prefix to
recognise it by (``jl_live_ab12cd…``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyScope(models.TextChoices):
    WRITE = "write", _("Read and write")
    READ = "read", _("Read only")


class ApiKey(models.Model):
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    livemode = models.BooleanField(_("live"), default=True)
    scope = models.CharField(_("scope"), max_length=5, choices=KeyScope.choices)
    prefix = models.CharField(_("key begins with"), max_length=20)
    hashed = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Written at most once a minute per key (``LAST_USED_EVERY``), not on every request.
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def mode(self) -> str:
        return "live" if self.livemode else "test"


class IdempotencyRecord(models.Model):
    """A write sent with an ``Idempotency-Key``: the first request inserts the row (the
    unique constraint decides a race), then stores its response; a retry with the same key
    and body within ``api.idempotency.TTL`` gets that response again, byte for byte."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    livemode = models.BooleanField(_("live"))
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, related_name="+")
    completed = models.BooleanField(_("completed"), default=False)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=60, blank=True)
    response_headers = models.JSONField(_("response headers"), default=dict, blank=True)
    response_body = models.BinaryField(_("response body"), default=b"")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "livemode", "key"], name="api_idempotency_key_once"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created")]

    def __str__(self) -> str:
        return self.key
