"""Applications: drafts, submission, status transitions and the automatic checks."""

from django.db import IntegrityError, transaction
from django.db.models import Field
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from notifications.services import notification_send
from platforms.selectors import store_metrics_latest

from ..checks import CHECKS, build_context
from ..exceptions import (
    ApplicationIncomplete,
    ApplicationNotEditable,
    IllegalTransition,
    StoreAlreadyBound,
)
from ..models import (
    APPLICATION_TRANSITIONS,
    OCR_KINDS,
    REQUIRED_KINDS,
    Application,
    ApplicationCheck,
    ApplicationEvent,
    ApplicationStatus,
    Document,
    DocumentKind,
    OcrStatus,
)

S = ApplicationStatus

# What a seller may change on a draft; everything else is the system's or operations'.
SELLER_FIELDS = frozenset(
    {
        "company_name",
        "uscc",
        "registered_address",
        "tax_address",
        "business_scope",
        "legal_rep_name",
        "legal_rep_id_number",
        "legal_rep_id_expiry",
        "legal_rep_id_long_term",
        "platform",
        "store_id",
        "aliexpress_tier",
        "aliexpress_store_level",
        "lazada_official_warehouse",
        "temu_whitelisted",
        "tiktok_site",
        "tiktok_logistics_partner",
        "is_agency",
        "agency_company_name",
        "agency_uscc",
        "agency_address",
        "agency_legal_rep",
        "settlement_mode",
    }
)
REQUIRED_FIELDS = [
    "company_name",
    "uscc",
    "registered_address",
    "tax_address",
    "business_scope",
    "legal_rep_name",
    "legal_rep_id_number",
    "platform",
    "store_id",
    "settlement_mode",
]
AGENCY_FIELDS = ["agency_company_name", "agency_uscc", "agency_address", "agency_legal_rep"]


def application_transition(
    *, application: Application, to_status: str, actor=None, reason: str = "", data=None
) -> Application:
    """The one door for status changes: refuses what the table forbids, audits the rest.

    Locks the row, so two reviewers acting at once cannot both move it.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if to_status not in APPLICATION_TRANSITIONS[locked.status]:
            raise IllegalTransition(
                _("An application that is “%(from)s” cannot become “%(to)s”.")
                % {"from": S(locked.status).label, "to": S(to_status).label}
            )
        now = timezone.now()
        update_fields = ["status", "updated_at"]
        from_status, locked.status = locked.status, to_status
        stamps: dict[str, str] = {
            S.SUBMITTED: "submitted_at",
            S.TRIAL: "approved_at",
            S.ACTIVE: "activated_at",
        }
        stamp = stamps.get(to_status)
        if stamp and getattr(locked, stamp) is None:
            setattr(locked, stamp, now)
            update_fields.append(stamp)
        if to_status in (S.CLOSED, S.REJECTED) and reason:
            # why the service was closed or refused: the order gate shows it to the seller
            locked.decision_reason = reason
            update_fields.append("decision_reason")
        locked.save(update_fields=update_fields)
        event = ApplicationEvent.objects.create(
            application=locked,
            action=ApplicationEvent.Action.TRANSITION,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            data=data or {},
        )
        _notify_transition(application=locked, event=event)
    application.refresh_from_db()
    return application


# The states a seller is told about, each by its notification kind (``onboarding.notices``).
TOLD: dict[str, str] = {
    S.TRIAL: "application_trial",
    S.CHANGES_REQUESTED: "application_changes_requested",
    S.REJECTED: "application_rejected",
    S.TRIAL_REVIEW: "application_trial_review",
    S.ACTIVE: "application_active",
    S.CLOSED: "application_closed",
}


def _notify_transition(*, application: Application, event: ApplicationEvent) -> None:
    """Tell the seller of a transition in ``TOLD``, once: the audit row names the event."""
    kind = TOLD.get(event.to_status)
    if kind is None:
        return
    notification_send(
        seller=application.seller,
        kind=kind,
        key=f"application:{application.pk}:event:{event.pk}",
        params={
            "reference": application.reference,
            "store": application.store_id,
            "platform": application.get_platform_display() or "",
            "reason": event.reason,
        },
        url=reverse("onboarding:application", args=[application.pk]),
    )


def application_create(*, seller) -> Application:
    """A new draft, the company name from sign-up filled in (the seller corrects it to the
    licence's if it differs)."""
    return Application.objects.create(seller=seller, company_name=seller.company_name)


def application_update(*, application: Application, data: dict) -> Application:
    """Save part of a draft (a wizard step). Only seller fields, only while editable."""
    if not application.is_editable:
        raise ApplicationNotEditable()
    unknown = set(data) - SELLER_FIELDS
    if unknown:
        raise ValueError(f"not seller fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(application, name, value)
    try:
        with transaction.atomic():
            application.save(update_fields=[*data, "updated_at"])
    except IntegrityError as error:
        if "store_bound_once" in str(error):
            raise StoreAlreadyBound() from error
        raise
    return application


def _current_documents(application: Application) -> list[Document]:
    return list(application.documents.filter(is_current=True))


def application_check_can_submit(*, application: Application) -> list[str]:
    """Everything that stops a submission, one message each; empty when it can go."""
    problems: list[str] = []
    if not application.is_editable:
        return [_("This application can no longer be changed.")]
    for name in REQUIRED_FIELDS + (AGENCY_FIELDS if application.is_agency else []):
        if not getattr(application, name):
            field = Application._meta.get_field(name)
            label = (
                field.verbose_name if isinstance(field, Field) else name
            )  # a field, not a relation
            problems.append(_("Fill in: %(field)s.") % {"field": label})
    if application.uscc and not uscc.is_valid(application.uscc):
        problems.append(_("The unified social credit code is not valid."))
    if application.legal_rep_id_number and not ric.is_valid(application.legal_rep_id_number):
        problems.append(_("The legal representative's ID number is not valid."))
    if not application.legal_rep_id_expiry and not application.legal_rep_id_long_term:
        problems.append(_("Fill in the ID card's expiry date, or tick long-term."))
    kinds = {document.kind for document in _current_documents(application)}
    required = REQUIRED_KINDS + (
        [DocumentKind.AGENCY_AUTHORISATION] if application.is_agency else []
    )
    for kind in required:
        if kind not in kinds:
            problems.append(_("Upload: %(document)s.") % {"document": DocumentKind(kind).label})
    return problems


def application_submit(*, application: Application, actor) -> Application:
    problems = application_check_can_submit(application=application)
    if problems:
        raise ApplicationIncomplete(problems)
    application_transition(application=application, to_status=S.SUBMITTED, actor=actor)
    application_run_checks(application=application)
    return application


def application_run_checks(*, application: Application) -> list[ApplicationCheck]:
    """Run every check on what is known now and store the outcomes.

    A submitted application whose documents have all been read (or failed) moves on to
    review: operations see the outcomes and decide.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        documents = _current_documents(application)
        metrics = store_metrics_latest(platform=application.platform, store_id=application.store_id)
        context = build_context(
            application=application,
            documents=documents,
            metrics=metrics,
            today=timezone.localdate(),
        )
        now = timezone.now()
        rows = []
        for position, check in enumerate(CHECKS):
            result = check.run(context)
            rows.append(
                ApplicationCheck(
                    application=application,
                    code=check.code,
                    status=result.status,
                    evidence=result.evidence,
                    position=position,
                    checked_at=now,
                )
            )
        ApplicationCheck.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["application", "code"],
            update_fields=["status", "evidence", "position", "checked_at"],
        )
        still_reading = any(
            d.kind in OCR_KINDS and d.ocr_status in (OcrStatus.QUEUED, OcrStatus.READING)
            for d in documents
        )
        if application.status == S.SUBMITTED and not still_reading:
            application_transition(application=application, to_status=S.IN_REVIEW)
    return rows
