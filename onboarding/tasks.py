"""Celery entry points for onboarding. Each takes an id and calls one service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from core.tasks import JingluoTask

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


@shared_task(bind=True, base=JingluoTask, name="onboarding.document_ocr", max_retries=3)
def document_ocr(self: JingluoTask, document_id: int) -> str:
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
        if self.retries_exhausted():
            document_ocr_fail(document_id=document_id, reason=_timeout_reason())
            return "failed"
        logger.warning("OCR of document %s: %s; retrying", document_id, error)
        raise self.retry(exc=error, countdown=self.backoff(base=5, cap=60)) from error
    document_ocr_finish(document_id=document_id, result=result)
    return "done"


def _timeout_reason() -> str:
    from django.utils.translation import gettext

    return gettext("The document could not be read in time: upload a smaller, clearer scan.")


@shared_task(base=JingluoTask, name="onboarding.sweep_stuck_documents")
def sweep_stuck_documents() -> int:
    """Re-queue documents stuck in queued/reading (broker down at upload, worker died)."""
    return len(document_ocr_requeue_stuck())


@shared_task(base=JingluoTask, name="onboarding.health_check")
def health_check() -> int:
    """Daily: close the service of active stores below a health threshold."""
    return len(applications_health_check())
