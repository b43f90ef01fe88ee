"""Renewing the legal representative's ID card after approval, the fix of the order gate's
``legal_rep_id_expiring`` check (DOMAIN.md §4).

A store in trial or active cannot edit its application, so ``document_upload`` refuses it;
the renewed card goes in here instead, through the same storage (encrypted, one current
document per kind, the earlier one kept) and the same OCR queue. When the worker has read
the card (``document_ocr_finish``), ``id_renewal_apply`` takes the new validity into the
application if the card runs at least 90 more days and its number is the representative's;
otherwise operations type the fields by hand (``document_fields_enter``) and it is applied
then, in the same transaction.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..checks import ID_MIN_DAYS_VALID
from ..exceptions import RenewalRefused
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Document,
    DocumentKind,
    OcrStatus,
)
from .documents import (
    CheckedFile,
    document_check,
    document_ocr_enqueue,
    document_store,
    documents_discard,
)

S = ApplicationStatus
logger = logging.getLogger(__name__)
# Stores past approval: their application is frozen, their orders pass the gate.
RENEWABLE_STATUSES = frozenset({S.TRIAL, S.TRIAL_REVIEW, S.ACTIVE, S.CLOSED})
RENEWAL = "id_renewal"  # ``ApplicationEvent.data["kind"]`` of an applied renewal


@dataclass(frozen=True, slots=True)
class Scan:
    name: str
    data: bytes


class RenewalState:
    NOTHING = "nothing"  # no renewed card uploaded
    READING = "reading"  # the worker is still reading it
    APPLIED = "applied"  # the application now carries the new validity
    TOO_SHORT = "too_short"  # the card read runs less than 90 more days
    NEEDS_REVIEW = "needs_review"  # not read, or the number differs: operations confirm


@dataclass(frozen=True, slots=True)
class RenewalOutcome:
    state: str
    message: str = ""


def id_renewal_can_upload(*, application: Application) -> bool:
    return application.status in RENEWABLE_STATUSES


def id_renewal_upload(
    *, application: Application, user, back: Scan, front: Scan | None = None
) -> list[Document]:
    """Store the renewed card (back, and front when given) as the current ID documents and
    queue them for reading; the renewal is applied once they are read. A refused file
    raises ``DocumentRejected`` and changes nothing."""
    if not id_renewal_can_upload(application=application):
        raise RenewalRefused(
            _("Only a store in trial or active renews its ID card here; edit the application.")
        )
    scans = [(DocumentKind.ID_BACK, back)] + ([(DocumentKind.ID_FRONT, front)] if front else [])
    checked: list[tuple[str, CheckedFile]] = []
    for kind, scan in scans:
        seen = frozenset(file.sha256 for _, file in checked)
        file = document_check(application=application, name=scan.name, data=scan.data, also=seen)
        checked.append((kind, file))
    written: list[str] = []
    try:
        with transaction.atomic():
            documents = [
                document_store(
                    application=application, user=user, kind=kind, file=file, written=written
                )
                for kind, file in checked
            ]
            for document in documents:
                _send(document.pk, application.pk)
            return documents
    except BaseException:
        documents_discard(written)
        raise


def _send(document_id: int, application_id: int) -> None:
    """Queue the card's reading; once read (``document_ocr_finish``) or typed by operations
    (``document_fields_enter``), the renewal is applied in the same transaction."""
    document_ocr_enqueue(document_id)


def _current(application: Application, kind: str) -> Document | None:
    return (
        Document.objects.filter(application=application, kind=kind, is_current=True)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def id_renewal_pending(*, application: Application) -> bool:
    """Is the current ID back a card uploaded after approval that is not applied yet?"""
    back = _current(application, DocumentKind.ID_BACK)
    approved = application.approved_at or application.created_at
    if back is None or back.uploaded_at < approved:
        return False
    return not _applied(application, back)


def _applied(application: Application, back: Document) -> bool:
    return ApplicationEvent.objects.filter(
        application=application, data__kind=RENEWAL, data__back=back.pk
    ).exists()


def id_renewal_apply(
    *, application: Application, actor=None, today: datetime.date | None = None
) -> RenewalOutcome:
    """Take the renewed card's validity into the application, if it holds. Safe to run
    any number of times: a card applied once is not applied again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not id_renewal_pending(application=application):
            back = _current(application, DocumentKind.ID_BACK)
            applied = back is not None and _applied(application, back)
            return RenewalOutcome(RenewalState.APPLIED if applied else RenewalState.NOTHING)
        back = _current(application, DocumentKind.ID_BACK)
        if back is None:  # never while a renewal is pending: it is the renewed back
            return RenewalOutcome(RenewalState.NOTHING)
        front = _current(application, DocumentKind.ID_FRONT)
        reading = (OcrStatus.QUEUED, OcrStatus.READING)
        if back.ocr_status in reading or (front is not None and front.ocr_status in reading):
            return RenewalOutcome(RenewalState.READING)
        valid_from = back.ocr_fields.get("valid_from")
        valid_until = back.ocr_fields.get("valid_until")
        if back.ocr_status != OcrStatus.DONE or not valid_from:
            return RenewalOutcome(
                RenewalState.NEEDS_REVIEW,
                _("The validity period could not be read: our operations team will check it."),
            )
        until = datetime.date.fromisoformat(valid_until) if valid_until else None
        limit = today + datetime.timedelta(days=ID_MIN_DAYS_VALID)
        if until is not None and until < limit:
            return RenewalOutcome(
                RenewalState.TOO_SHORT,
                _("The card read is valid until %(until)s, less than 90 days from now.")
                % {"until": until.isoformat()},
            )
        number = (front.ocr_fields.get("id_number") if front else None) or ""
        if number != application.legal_rep_id_number:
            return RenewalOutcome(
                RenewalState.NEEDS_REVIEW,
                _(
                    "The ID number read from the card is not the legal representative's: "
                    "our operations team will check it."
                ),
            )
        before = {
            "legal_rep_id_expiry": _iso(application.legal_rep_id_expiry),
            "legal_rep_id_long_term": application.legal_rep_id_long_term,
        }
        application.legal_rep_id_expiry = until
        application.legal_rep_id_long_term = until is None
        application.save(
            update_fields=["legal_rep_id_expiry", "legal_rep_id_long_term", "updated_at"]
        )
        ApplicationEvent.objects.create(
            application=application,
            action=ApplicationEvent.Action.FIELDS_ENTERED,
            actor=actor,
            reason=_("ID card renewed"),
            data={
                "kind": RENEWAL,
                "back": back.pk,
                "front": front.pk if front else None,
                "before": before,
                "after": {
                    "legal_rep_id_expiry": _iso(until),
                    "legal_rep_id_long_term": until is None,
                },
            },
        )
    return RenewalOutcome(RenewalState.APPLIED)


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None
