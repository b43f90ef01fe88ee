"""Finance's exports of a month's statements: a job per request, run by a worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# running → running: a worker died mid-export and the task was delivered again (acks_late).
EXPORT_TRANSITIONS = {
    ExportStatus.QUEUED: {ExportStatus.RUNNING, ExportStatus.FAILED},
    ExportStatus.RUNNING: {ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED},
    ExportStatus.DONE: set(),
    ExportStatus.FAILED: set(),
}


class ExportJob(models.Model):
    """A whole-month export of every seller's statement lines, built by a Celery job
    (``billing.export_month``): its progress, and where the file is kept when done."""

    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    rows_total = models.PositiveIntegerField(_("lines"), default=0)
    rows_done = models.PositiveIntegerField(_("lines written"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    storage_name = models.CharField(_("stored file"), max_length=255, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement export")
        verbose_name_plural = _("statement exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="exportjob_period_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=ExportFormat.values), name="exportjob_format_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="exportjob_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportStatus.DONE) | ~models.Q(storage_name=""),
                name="exportjob_done_has_file",
            ),
            # One export of a month and format in progress at a time: a double click or a
            # second finance user gets the one already running.
            models.UniqueConstraint(
                fields=["period", "format"],
                condition=models.Q(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]),
                name="exportjob_one_active_per_period_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.format} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
