"""Celery entry points for onboarding. Each takes an id and calls one service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from .services import (
    applications_health_check,
    document_ocr_fail,
    document_ocr_finish,
    document_ocr_requeue_stuck,
    document_ocr_start,
    document_read,
)
from .services.documents import ocr_error_message

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="onboarding.document_ocr",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=150,
    max_retries=3,
)
def document_ocr(self, document_id: int) -> str:
    """Read one document. Safe to run twice: the state guard skips finished work."""
    from ocr import OcrTimeout, UnreadableDocument, read_document

    document = document_ocr_start(document_id=document_id)
    if document is None:
        return "skipped"
    try:
        data = document_read(document=document, user=None)
        result = read_document(kind=document.kind, data=data, content_type=document.content_type)
    except UnreadableDocument as error:
        document_ocr_fail(document_id=document_id, reason=ocr_error_message(error))
        return "failed"
    except (OcrTimeout, SoftTimeLimitExceeded, OperationalError, OSError) as error:
        # Transient: a busy machine, a database restart, a storage hiccup.
        if self.request.retries >= self.max_retries:
            document_ocr_fail(document_id=document_id, reason=_timeout_reason())
            return "failed"
        logger.warning("OCR of document %s: %s; retrying", document_id, error)
        raise self.retry(exc=error, countdown=min(60, 5 * 2**self.request.retries)) from error
    document_ocr_finish(document_id=document_id, result=result)
    return "done"


def _timeout_reason() -> str:
    from django.utils.translation import gettext

    return gettext("The document could not be read in time: upload a smaller, clearer scan.")


@shared_task(name="onboarding.sweep_stuck_documents", acks_late=True)
def sweep_stuck_documents() -> int:
    """Re-queue documents stuck in queued/reading (broker down at upload, worker died)."""
    return len(document_ocr_requeue_stuck())


@shared_task(name="onboarding.health_check", acks_late=True)
def health_check() -> int:
    """Daily: close the service of active stores below a health threshold."""
    return len(applications_health_check())
