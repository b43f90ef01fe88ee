"""Redis, the broker, down when a seller uploads a document: the upload is kept (stored,
encrypted, marked queued), the seller is not shown an error, and the document is read
once the sweeper runs with the broker back (CELERY_BEAT_SCHEDULE, every 5 minutes, for
documents queued longer than 10 minutes)."""

import datetime
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import wait_for
from onboarding import tasks as onboarding_tasks
from onboarding.models import Document
from onboarding.services import document_read
from onboarding.services.documents import STUCK_QUEUED_AFTER
from tests.onboarding.factories import ApplicationFactory
from tests.onboarding.synthetic import licence_image

from .helpers import broker_down

pytestmark = [
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_an_upload_while_the_broker_is_down_is_kept_and_read_when_the_sweeper_runs(
    seller_client, seller_user, celery_worker, caplog
):
    data, truth = licence_image(13, fmt="jpeg")
    application = ApplicationFactory(seller=seller_user.seller)
    url = reverse("onboarding:documents", args=[application.pk])

    with broker_down(), caplog.at_level(logging.WARNING, logger="onboarding.services.documents"):
        started = time.monotonic()
        response = seller_client.post(
            url, {"kind": "licence", "file": SimpleUploadedFile("执照.jpg", data, "image/jpeg")}
        )
        elapsed = time.monotonic() - started

    # The seller's upload went through, without waiting on the broker.
    assert response.status_code == 302
    assert response["Location"] == url
    assert elapsed < 10
    document = Document.objects.get(application=application)
    assert (document.kind, document.ocr_status, document.ocr_attempts) == ("licence", "queued", 0)
    assert document_read(document=document, user=None) == data  # kept, and readable
    assert f"onboarding.document_ocr {document.pk} not queued" in caplog.text

    # The broker is back, but no message was ever sent: nothing reads it by itself.
    time.sleep(2)
    document.refresh_from_db()
    assert (document.ocr_status, document.ocr_attempts) == ("queued", 0)

    # Ten minutes on, beat's sweeper runs on the real worker and sends it again.
    Document.objects.filter(pk=document.pk).update(
        ocr_queued_at=timezone.now() - STUCK_QUEUED_AFTER - datetime.timedelta(seconds=1)
    )
    assert onboarding_tasks.sweep_stuck_documents.delay().get(timeout=30) == 1
    wait_for(
        lambda: (
            Document.objects.values_list("ocr_status", flat=True).get(pk=document.pk)
            in ("done", "failed")
        ),
        timeout=120,
        every=0.2,
    )
    document.refresh_from_db()
    assert (document.ocr_status, document.ocr_attempts) == ("done", 1), document.ocr_error
    assert document.ocr_fields["uscc"] == truth["uscc"]
