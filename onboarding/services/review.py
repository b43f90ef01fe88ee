"""Decisions by operations: approve into trial, request changes, reject, reinstate."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from stores.models import Closure, StoreStatus
from stores.services import store_open, store_transition

from ..exceptions import ApprovalNeedsConfirmation, CannotApprove, OnboardingError
from ..models import Application, ApplicationEvent, ApplicationStatus, CheckStatus
from .applications import application_transition

S = ApplicationStatus


def application_check_can_approve(*, application: Application) -> list[str]:
    """The checks that fail, by code: approval waits until none does. Checks that need
    review are for the reviewer to judge against the documents."""
    if application.status != S.IN_REVIEW:
        return [_("Only an application waiting for review can be approved.")]
    return list(
        application.checks.filter(status=CheckStatus.FAIL)
        .order_by("position")
        .values_list("code", flat=True)
    )


def application_checks_to_override(*, application: Application) -> list[str]:
    """The checks that still need review (their codes, in order): approving overrides them."""
    return list(
        application.checks.filter(status=CheckStatus.NEEDS_REVIEW)
        .order_by("position")
        .values_list("code", flat=True)
    )


def application_approve(
    *,
    application: Application,
    actor,
    reason: str = "",
    overriding: Sequence[str] = (),
) -> Application:
    """Approve into the trial: three free shipments of at most 5 kg. A failing check stops
    it (``CannotApprove``); checks that still need review are overridden only when the
    reviewer names each of them in ``overriding`` (else ``ApprovalNeedsConfirmation`` says
    which), and the audit row records them: who overrode what."""
    failing = application_check_can_approve(application=application)
    if failing:
        raise CannotApprove(
            _("Cannot approve while these checks fail: %(codes)s.") % {"codes": ", ".join(failing)}
        )
    unreviewed = application_checks_to_override(application=application)
    if set(unreviewed) - set(overriding):
        raise ApprovalNeedsConfirmation(unreviewed)
    with transaction.atomic():
        application_transition(
            application=application,
            to_status=S.TRIAL,
            actor=actor,
            reason=reason,
            data={"overridden_checks": unreviewed} if unreviewed else None,
        )
        application.opened_store = store_open(
            seller=application.seller,
            reference=application.reference,
            platform=application.platform,
            platform_store_id=application.store_id,
            company_name=application.company_name,
            sender_address=application.registered_address,
            settlement_mode=application.settlement_mode,
            actor=actor,
            reason=reason,
        )
        application.save(update_fields=["opened_store", "updated_at"])
    return application


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OnboardingError(_("Say why: the seller sees this reason."))
    return reason


def _decide_with_reason(
    *, application: Application, actor, reason: str, to_status: str, reason_field: str
) -> Application:
    reason = _required_reason(reason)
    with transaction.atomic():
        application_transition(
            application=application, to_status=to_status, actor=actor, reason=reason
        )
        setattr(application, reason_field, reason)
        application.save(update_fields=[reason_field, "updated_at"])
    return application


def application_request_changes(*, application: Application, actor, reason: str) -> Application:
    """Send the application back to the seller, who sees the reason, fixes and resubmits."""
    return _decide_with_reason(
        application=application,
        actor=actor,
        reason=reason,
        to_status=S.CHANGES_REQUESTED,
        reason_field="changes_requested_reason",
    )


def application_reject(*, application: Application, actor, reason: str) -> Application:
    """Reject an application in review, or a store whose trial is under manual review
    (its service closes: the application follows the store)."""
    if application.opened_store is not None:
        store_transition(
            store=application.opened_store,
            to_status=StoreStatus.CLOSED,
            closure=Closure.REJECTED,
            actor=actor,
            reason=_required_reason(reason),
        )
        application.refresh_from_db()
        return application
    return _decide_with_reason(
        application=application,
        actor=actor,
        reason=reason,
        to_status=S.REJECTED,
        reason_field="decision_reason",
    )


def application_reinstate(*, application: Application, actor, reason: str) -> Application:
    """Reopen a service the health check closed."""
    application.refresh_from_db(fields=["status", "opened_store"])
    if application.status != S.CLOSED or application.opened_store is None:
        raise OnboardingError(_("Only a closed service can be reinstated."))
    store_transition(
        store=application.opened_store,
        to_status=StoreStatus.ACTIVE,
        actor=actor,
        reason=_required_reason(reason),
    )
    application.refresh_from_db()
    return application


def application_reveal_id_number(*, application: Application, actor) -> str:
    """The full ID number, for staff allowed to see it. Each look is logged."""
    if not actor.has_perm("onboarding.view_full_id_number"):
        raise OnboardingError(_("You may not see full ID numbers."))
    ApplicationEvent.objects.create(
        application=application, action=ApplicationEvent.Action.ID_NUMBER_VIEWED, actor=actor
    )
    return application.legal_rep_id_number
