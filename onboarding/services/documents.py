"""Documents: encrypted storage, and the state of their automatic reading (OCR)."""

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import crypto
from core.tasks import enqueue_on_commit
from ocr import OcrError, OcrResult

from ..exceptions import ApplicationNotEditable, DocumentRejected, IllegalTransition
from ..files import sniff_document
from ..models import (
    OCR_KINDS,
    OCR_TRANSITIONS,
    Application,
    ApplicationEvent,
    Document,
    DocumentAccess,
    DocumentKind,
    OcrStatus,
)

OCR = OcrStatus
logger = logging.getLogger(__name__)
MAX_OCR_ATTEMPTS = 5
# The legal representative's ID card: renewed after approval through ``renewal``.
RENEWAL_KINDS = frozenset({DocumentKind.ID_FRONT, DocumentKind.ID_BACK})
# A document queued this long was never picked up (the broker was down at upload).
STUCK_QUEUED_AFTER = datetime.timedelta(minutes=10)
# Reading this long means its worker died; longer than the task's hard time limit.
STUCK_READING_AFTER = datetime.timedelta(minutes=15)

# The OCR package names its failures by code (ocr.errors.MESSAGES); people read them here.
OCR_ERROR_MESSAGES = {
    "unsupported_type": gettext_lazy("Only JPEG, PNG and PDF files can be read."),
    "image_unopenable": gettext_lazy("The image could not be opened; upload it again."),
    "image_too_large": gettext_lazy("The image is too large; upload a smaller scan."),
    "image_too_small": gettext_lazy(
        "The image is too small to read; upload a scan at least 1000 pixels wide."
    ),
    "pdf_unopenable": gettext_lazy("The PDF could not be opened; export it again."),
    "pdf_encrypted": gettext_lazy("The PDF is password-protected; upload it without a password."),
    "pdf_no_pages": gettext_lazy("The PDF has no pages."),
    "pdf_unrenderable": gettext_lazy("The PDF could not be rendered; export it again."),
    "pdf_timeout": gettext_lazy("Reading the PDF took too long."),
    "unreadable": gettext_lazy("The document could not be read; upload a clearer scan."),
    "no_text": gettext_lazy(
        "No text could be read from the document; upload a sharper, well-lit scan."
    ),
    "timeout": gettext_lazy("Reading the document took too long."),
}


def ocr_error_message(error: OcrError) -> str:
    """What the seller and operations read for a reading error, in the active language."""
    return str(OCR_ERROR_MESSAGES.get(error.code, OCR_ERROR_MESSAGES["unreadable"]))


# A field the OCR was not sure of comes back empty with a reason (ocr.REASONS); the document
# is read, and operations check those fields by hand (the checks that use them need review).
OCR_FIELD_NAMES = {
    "uscc": gettext_lazy("credit code"),
    "name": gettext_lazy("company name"),
    "entity_type": gettext_lazy("entity type"),
    "legal_representative": gettext_lazy("legal representative"),
    "business_scope": gettext_lazy("business scope"),
    "address": gettext_lazy("address"),
    "established": gettext_lazy("founding date"),
    "id_number": gettext_lazy("ID number"),
    "valid_from": gettext_lazy("validity start"),
    "valid_until": gettext_lazy("validity end"),
}
OCR_UNSURE_REASONS = {
    "label_not_found": gettext_lazy("its label was not found"),
    "not_read": gettext_lazy("nothing legible beside its label"),
    "readings_disagree": gettext_lazy("the readings disagree"),
    "not_a_name": gettext_lazy("it does not read as a company name"),
    "no_region": gettext_lazy("it does not begin with a region's name"),
    "uscc_readings_disagree": gettext_lazy("two readings give different valid codes"),
    "uscc_unconfirmed": gettext_lazy("no second reading confirms the code"),
    "uscc_check_fails": gettext_lazy("no reading passes the check character"),
    "uscc_not_read": gettext_lazy("no code was read"),
}


def ocr_unsure_message(unsure: dict[str, str]) -> str:
    """One sentence naming the fields the reading left for a person to check, and why."""
    if not unsure:
        return ""
    parts = [
        _("%(field)s (%(reason)s)")
        % {
            "field": OCR_FIELD_NAMES.get(field, field),
            "reason": OCR_UNSURE_REASONS.get(reason, reason),
        }
        for field, reason in unsure.items()
    ]
    return _("Not read with certainty, to be checked by hand: %(fields)s.") % {
        "fields": _("; ").join(parts)
    }


def document_ocr_enqueue(document_id: int) -> None:
    from ..tasks import document_ocr

    # The row says "queued" already: if the broker is down now, the sweeper sends it later.
    enqueue_on_commit(document_ocr, document_id)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An uploaded file that passed the checks, not stored yet."""

    name: str
    data: bytes
    content_type: str
    size: int
    sha256: str


def document_check(
    *, application: Application, name: str, data: bytes, also: frozenset[str] = frozenset()
) -> CheckedFile:
    """Refuse (``DocumentRejected``) a file of the wrong type, corrupt or too big, or one
    already uploaded to the application or among ``also`` (the digests of the same
    upload's other files)."""
    sniffed = sniff_document(name=name, data=data)
    digest = hashlib.sha256(data).hexdigest()
    if digest in also or application.documents.filter(sha256=digest).exists():
        raise DocumentRejected(_("This file has already been uploaded to this application."))
    return CheckedFile(name[-255:], data, sniffed.content_type, sniffed.size, digest)


def document_store(
    *, application: Application, user, kind: str, file: CheckedFile, written: list[str]
) -> Document:
    """Inside the caller's transaction: write the file encrypted and make it the current
    document of its kind (the previous one is kept, marked replaced); readable kinds are
    marked queued for OCR. The stored name is appended to ``written``: if the transaction
    fails, the caller deletes what it names (``documents_discard``)."""
    storage_name = default_storage.save(
        f"documents/{application.seller_id}/{uuid.uuid4().hex}.bin",
        ContentFile(crypto.encrypt(file.data)),
    )
    written.append(storage_name)
    Document.objects.select_for_update().filter(
        application=application, kind=kind, is_current=True
    ).update(is_current=False, replaced_at=timezone.now())
    readable = kind in OCR_KINDS
    return Document.objects.create(
        seller_id=application.seller_id,
        application=application,
        kind=kind,
        original_name=file.name,
        content_type=file.content_type,
        size=file.size,
        sha256=file.sha256,
        storage_name=storage_name,
        uploaded_by=user,
        ocr_status=OCR.QUEUED if readable else OCR.NOT_NEEDED,
        ocr_queued_at=timezone.now() if readable else None,
    )


def documents_discard(written: list[str]) -> None:
    """Delete the files of a transaction that failed: no row refers to them."""
    for storage_name in written:
        default_storage.delete(storage_name)


def document_upload(
    *, application: Application, user, kind: str, name: str, data: bytes
) -> Document:
    """Store a new document of ``kind`` for the application, encrypted.

    It becomes the current document of its kind; the previous one is kept, marked
    replaced. Documents that can be read are queued for OCR. A refused file raises
    ``DocumentRejected`` and changes nothing.
    """
    if not application.is_editable:
        raise ApplicationNotEditable()
    file = document_check(application=application, name=name, data=data)
    written: list[str] = []
    try:
        with transaction.atomic():
            document = document_store(
                application=application, user=user, kind=kind, file=file, written=written
            )
            if document.ocr_status == OCR.QUEUED:
                document_ocr_enqueue(document.pk)
            return document
    except BaseException:
        documents_discard(written)
        raise


def document_read(*, document: Document, user, ip_address: str | None = None) -> bytes:
    """The document's plaintext. A staff reader's view is logged first."""
    if user is not None and not user.is_seller_user:
        DocumentAccess.objects.create(document=document, user=user, ip_address=ip_address)
    with default_storage.open(document.storage_name, "rb") as stored:
        return crypto.decrypt(stored.read())


def _move(document: Document, to_status: str) -> None:
    if to_status not in OCR_TRANSITIONS[document.ocr_status]:
        raise IllegalTransition()
    document.ocr_status = to_status


def document_ocr_start(*, document_id: int) -> Document | None:
    """Mark a document as being read. ``None`` when there is nothing to do: it is done,
    failed, replaced meanwhile, or gone — so a task delivered twice does no harm."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.ocr_status not in (OCR.QUEUED, OCR.READING):
            return None
        _move(document, OCR.READING)
        document.ocr_started_at = timezone.now()
        document.ocr_attempts += 1
        document.save(update_fields=["ocr_status", "ocr_started_at", "ocr_attempts"])
        return document


def document_ocr_finish(*, document_id: int, result: OcrResult) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.ocr_status != OCR.READING:
            return None
        _move(document, OCR.DONE)
        # the fields it was not sure of are empty; why, in ``unsure`` and in words
        document.ocr_error = ocr_unsure_message(result.unsure)
        document.ocr_finished_at = timezone.now()
        document.ocr_raw_text = result.raw_text
        document.ocr_fields = {**result.fields, "unsure": dict(result.unsure)}
        document.ocr_confidences = result.confidences
        document.ocr_engine = result.tesseract_version[:60]
        document.ocr_languages = result.languages[:30]
        document.ocr_seconds = Decimal(str(round(result.seconds, 2)))
        document.save(
            update_fields=[
                "ocr_status",
                "ocr_error",
                "ocr_finished_at",
                "ocr_raw_text",
                "ocr_fields",
                "ocr_confidences",
                "ocr_engine",
                "ocr_languages",
                "ocr_seconds",
            ]
        )
        # In the same transaction: the reading and the checks it changes appear together.
        _after_reading(document)
    return document


def document_ocr_fail(*, document_id: int, reason: str) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.ocr_status not in (OCR.QUEUED, OCR.READING):
            return None
        _move(document, OCR.FAILED)
        document.ocr_error = str(reason)[:2000]
        document.ocr_finished_at = timezone.now()
        document.save(update_fields=["ocr_status", "ocr_error", "ocr_finished_at"])
        # In the same transaction: the reading and the checks it changes appear together.
        _after_reading(document)
    return document


def _after_reading(document: Document) -> None:
    """What a reading changes: the application's checks, and for a store's renewed ID card
    (read, or typed by operations) the validity the order gate reads."""
    from .applications import application_run_checks
    from .renewal import id_renewal_apply, id_renewal_can_upload, id_renewal_pending

    if not document.is_current:
        return
    application = document.application
    application_run_checks(application=application)
    renewing = document.kind in RENEWAL_KINDS and id_renewal_can_upload(application=application)
    if renewing and id_renewal_pending(application=application):
        id_renewal_apply(application=application)


def document_ocr_requeue_stuck(*, now: datetime.datetime | None = None) -> list[int]:
    """Send again the documents whose reading never started or whose worker died.

    After ``MAX_OCR_ATTEMPTS`` a document fails instead of looping for ever.
    """
    now = now or timezone.now()
    requeued, failed = [], []
    with transaction.atomic():
        stuck = (
            Document.objects.select_for_update(skip_locked=True)
            .filter(is_current=True)
            .filter(_stuck(now))
        )
        for document in stuck:
            if document.ocr_attempts >= MAX_OCR_ATTEMPTS:
                failed.append(document.pk)
                continue
            document.ocr_status = OCR.QUEUED
            document.ocr_queued_at = now
            document.save(update_fields=["ocr_status", "ocr_queued_at"])
            requeued.append(document.pk)
            document_ocr_enqueue(document.pk)
    for document_id in failed:
        document_ocr_fail(
            document_id=document_id,
            reason=_("The document could not be read after several attempts."),
        )
    return requeued


def _stuck(now: datetime.datetime) -> Q:
    return Q(ocr_status=OCR.QUEUED, ocr_queued_at__lt=now - STUCK_QUEUED_AFTER) | Q(
        ocr_status=OCR.READING, ocr_started_at__lt=now - STUCK_READING_AFTER
    )


def document_fields_enter(*, document: Document, user, fields: dict) -> Document:
    """Operations type a document's fields by hand (the scan could not be read). Audited."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.kind not in OCR_KINDS:
            raise IllegalTransition()
        before = document.ocr_fields
        if document.ocr_status == OCR.DONE:
            # a field typed by hand is no longer one the reading was unsure of
            unsure = {k: v for k, v in before.get("unsure", {}).items() if not fields.get(k)}
            fields = {**fields, "unsure": unsure}
            document.ocr_error = ocr_unsure_message(unsure)
        else:
            _move(document, OCR.DONE)
        document.ocr_fields = {**before, **fields}
        document.fields_entered_by = user
        document.ocr_finished_at = timezone.now()
        document.save(
            update_fields=[
                "ocr_status",
                "ocr_error",
                "ocr_fields",
                "fields_entered_by",
                "ocr_finished_at",
            ]
        )
        ApplicationEvent.objects.create(
            application_id=document.application_id,
            action=ApplicationEvent.Action.FIELDS_ENTERED,
            actor=user,
            data={
                "document": document.pk,
                "kind": document.kind,
                "before": before,
                "after": fields,
            },
        )
        # In the same transaction: the reading and the checks it changes appear together.
        _after_reading(document)
    return document
