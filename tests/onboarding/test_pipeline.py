"""Documents through real Celery workers: read once, re-read after a worker dies, swept
when the broker lost them, failed with a reason when unreadable."""

import datetime
import time

import pytest
from django.utils import timezone, translation

from conftest import kill_celery_worker, start_celery_worker, wait_for
from ocr import REASONS, OcrResult, UnreadableDocument
from onboarding import tasks
from onboarding.models import Document
from onboarding.services import (
    document_fields_enter,
    document_ocr_finish,
    document_ocr_requeue_stuck,
    document_ocr_start,
    document_upload,
)
from onboarding.services import documents as document_services

from .factories import ApplicationFactory, unique_jpeg
from .synthetic import licence_image


def _status(document_id: int) -> str:
    return Document.objects.values_list("ocr_status", flat=True).get(pk=document_id)


@pytest.fixture
def sent(monkeypatch):
    """Tasks the services try to send, instead of sending them."""
    calls = []
    monkeypatch.setattr(
        document_services, "enqueue_on_commit", lambda task, pk: calls.append((task.name, pk))
    )
    return calls


@pytest.mark.django_db
def test_the_sweeper_resends_documents_never_picked_up_or_left_by_a_dead_worker(
    seller_user, sent, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(seller=seller_user.seller)
    upload = lambda kind: document_upload(  # noqa: E731
        application=application, user=seller_user, kind=kind, name="x.jpg", data=unique_jpeg()
    )
    lost, dead, fresh, exhausted = (
        upload(k) for k in ("licence", "id_front", "id_back", "licence")
    )
    now = timezone.now()
    Document.objects.filter(pk=lost.pk).update(ocr_queued_at=now - datetime.timedelta(minutes=11))
    Document.objects.filter(pk=dead.pk).update(
        ocr_status="reading", ocr_started_at=now - datetime.timedelta(minutes=16), ocr_attempts=1
    )
    Document.objects.filter(pk=exhausted.pk).update(
        ocr_status="reading", ocr_started_at=now - datetime.timedelta(hours=1), ocr_attempts=5
    )
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        requeued = document_ocr_requeue_stuck(now=now)

    # ``lost`` was replaced by ``exhausted`` (same kind): only current documents are swept.
    assert sorted(requeued) == [dead.pk]
    assert sent == [("onboarding.document_ocr", dead.pk)]
    assert _status(dead.pk) == "queued"
    assert _status(fresh.pk) == "queued"
    failed = Document.objects.get(pk=exhausted.pk)
    assert failed.ocr_status == "failed"
    assert failed.ocr_error == "多次尝试后仍无法识别该文件。"
    assert document_ocr_requeue_stuck(now=now) == []


@pytest.mark.django_db
def test_an_unreadable_scan_fails_with_its_reason(seller_user, sent, monkeypatch):
    application = ApplicationFactory(seller=seller_user.seller)
    document = document_upload(
        application=application, user=seller_user, kind="licence", name="x.jpg", data=unique_jpeg()
    )

    def unreadable(**kwargs):
        raise UnreadableDocument("image_too_small")

    monkeypatch.setattr("ocr.read_document", unreadable)
    assert tasks.document_ocr.apply(args=[document.pk]).get() == "failed"

    document.refresh_from_db()
    assert (document.ocr_status, document.ocr_error, document.ocr_attempts) == (
        "failed",
        "图片过小，无法识别，请上传宽度不少于 1000 像素的扫描件。",
        1,
    )
    # Delivered again: nothing more happens.
    assert tasks.document_ocr.apply(args=[document.pk]).get() == "skipped"


def test_every_reason_for_an_empty_field_is_translated():
    assert set(document_services.OCR_UNSURE_REASONS) == set(REASONS)
    with translation.override("zh-hans"):
        for code, reason in document_services.OCR_UNSURE_REASONS.items():
            assert str(reason) != code


@pytest.mark.django_db
def test_a_field_the_reading_is_unsure_of_is_empty_with_its_reason_until_ops_type_it(
    seller_user, ops_user, sent
):
    application = ApplicationFactory(seller=seller_user.seller)
    document = document_upload(
        application=application, user=seller_user, kind="licence", name="x.jpg", data=unique_jpeg()
    )
    fields = {
        "uscc": application.uscc,
        "uscc_valid": True,
        "name": None,
        "entity_type": "有限责任公司",
        "legal_representative": application.legal_rep_name,
        "business_scope": application.business_scope,
        "address": application.registered_address,
        "established": "2015-03-12",
    }
    reading = OcrResult(
        kind="licence",
        fields=fields,
        confidences={},
        raw_text="营业执照",
        tesseract_version="5.3.0",
        languages="chi_sim+eng",
        seconds=1.5,
        unsure={"name": "readings_disagree"},
    )
    document_ocr_start(document_id=document.pk)
    with translation.override("zh-hans"):
        document_ocr_finish(document_id=document.pk, result=reading)

    document.refresh_from_db()
    assert document.ocr_status == "done"
    assert document.ocr_fields == {**fields, "unsure": {"name": "readings_disagree"}}
    assert document.ocr_error == (
        "以下字段未能可靠识别，需人工核对：公司名称（多次识别结果不一致）。"
    )
    # the name check cannot pass or fail on a name that was not read: a person decides
    assert application.checks.get(code="licence_name_matches").status == "needs_review"

    document_fields_enter(document=document, user=ops_user, fields={"name": "深圳市海云有限公司"})

    document.refresh_from_db()
    assert document.ocr_fields["name"] == "深圳市海云有限公司"
    assert document.ocr_fields["unsure"] == {}
    assert document.ocr_error == ""


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reads_an_uploaded_licence(seller_user, celery_worker):
    data, truth = licence_image(11, fmt="jpeg")
    application = ApplicationFactory(seller=seller_user.seller, uscc=truth["uscc"])

    document = document_upload(
        application=application, user=seller_user, kind="licence", name="执照.jpg", data=data
    )

    wait_for(lambda: _status(document.pk) in ("done", "failed"), timeout=90, every=0.2)
    document.refresh_from_db()
    assert document.ocr_status == "done", document.ocr_error
    assert document.ocr_fields["uscc"] == truth["uscc"]
    assert document.ocr_fields["uscc_valid"] is True
    assert document.ocr_languages == "chi_sim+eng"
    assert document.ocr_engine.startswith("5.")
    assert document.ocr_attempts == 1
    assert document.ocr_seconds > 0


@pytest.mark.slow
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_reading_is_swept_and_the_document_read_once_more(
    seller_user, celery_worker, monkeypatch
):
    data, truth = licence_image(12, fmt="jpeg")
    application = ApplicationFactory(seller=seller_user.seller)
    with monkeypatch.context() as patch:
        # Keep the upload's own message from the session worker: the doomed one takes it.
        patch.setattr(document_services, "enqueue_on_commit", lambda task, pk: None)
        document = document_upload(
            application=application, user=seller_user, kind="licence", name="执照.jpg", data=data
        )
    doomed = start_celery_worker(name="doomed", queues=["kill-test"], concurrency=1)
    try:
        tasks.document_ocr.apply_async(args=[document.pk], queue="kill-test")
        wait_for(lambda: _status(document.pk) == "reading", timeout=30)
    finally:
        kill_celery_worker(doomed)
    time.sleep(0.5)
    assert _status(document.pk) == "reading"

    # The sweeper's next run, once the reading is older than any task could take.
    requeued = document_ocr_requeue_stuck(now=timezone.now() + datetime.timedelta(minutes=16))

    assert requeued == [document.pk]
    wait_for(lambda: _status(document.pk) in ("done", "failed"), timeout=90, every=0.2)
    document.refresh_from_db()
    assert document.ocr_status == "done", document.ocr_error
    assert document.ocr_attempts == 2
    assert document.ocr_fields["uscc"] == truth["uscc"]
