import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from platforms.selectors import metrics_age_days, metrics_are_stale, store_metrics_latest

from .checks import CHECKS_BY_CODE
from .models import Application, Document


def application_list_for_seller(*, seller) -> QuerySet[Application]:
    return Application.objects.filter(seller=seller).order_by("-created_at")


def application_get_for_seller(*, seller, pk: int) -> Application:
    """The seller's own application, or 404: another seller's id does not exist for them."""
    return get_object_or_404(
        Application.objects.filter(seller=seller).prefetch_related(
            Prefetch("documents", queryset=Document.objects.filter(is_current=True)),
            "checks",
        ),
        pk=pk,
    )


def document_list_history(*, application) -> QuerySet[Document]:
    return application.documents.select_related("uploaded_by").order_by("-uploaded_at")


def document_get_for_user(*, user, pk: int) -> Document | None:
    """The document if this user may see it: its own seller's, or any for staff with
    ``onboarding.view_document``. ``None`` otherwise, so that a foreign id is a 404."""
    documents = Document.objects.all()
    if user.is_seller_user:
        documents = documents.filter(seller_id=user.seller_id)
    elif not (user.is_staff and user.has_perm("onboarding.view_document")):
        return None
    return documents.filter(pk=pk).first()


def application_progress(*, application: Application) -> dict:
    """What the application page shows live: each current document's reading and each
    check's outcome with what to fix. Uses the prefetched documents and checks."""
    documents = sorted(application.documents.all(), key=lambda d: d.kind)
    checks = sorted(application.checks.all(), key=lambda c: c.position)
    return {
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "kind_label": str(d.get_kind_display()),
                "name": d.original_name,
                "ocr_status": d.ocr_status,
                "ocr_status_label": str(d.get_ocr_status_display()),
                "ocr_error": d.ocr_error,
            }
            for d in documents
        ],
        "checks": [
            {
                "code": c.code,
                "status": c.status,
                "status_label": str(c.get_status_display()),
                "title": str(CHECKS_BY_CODE[c.code].title),
                "fix": str(CHECKS_BY_CODE[c.code].fix) if c.status != "pass" else "",
                "evidence": c.evidence,
            }
            for c in checks
            if c.code in CHECKS_BY_CODE
        ],
    }


def application_same_uscc_elsewhere(*, application: Application) -> list[Application]:
    """Applications of *other* seller accounts with the same credit code: the same company
    signed up twice (or someone else's licence), for the reviewer to look into."""
    if not application.uscc:
        return []
    return list(
        Application.objects.filter(uscc=application.uscc)
        .exclude(seller_id=application.seller_id)
        .select_related("seller")
        .order_by("-created_at")[:20]
    )


@dataclass(frozen=True, slots=True)
class MetricsState:
    """The platform's latest figures on the application's store, as the review shows them."""

    as_of: datetime.date | None
    age_days: int | None
    stale: bool
    store_bound: bool | None


def application_metrics_state(*, application: Application) -> MetricsState:
    """How old the platform's latest figures on the store are: the checks that read them
    (platform requirement, fulfilment level) pass or fail on that report, so a stale one
    is shown as stale (older than ``platforms.models.METRICS_STALE_AFTER_DAYS``)."""
    metrics = (
        store_metrics_latest(platform=application.platform, store_id=application.store_id)
        if application.store_id
        else None
    )
    if metrics is None:
        return MetricsState(as_of=None, age_days=None, stale=False, store_bound=None)
    return MetricsState(
        as_of=metrics.as_of,
        age_days=metrics_age_days(as_of=metrics.as_of),
        stale=metrics_are_stale(as_of=metrics.as_of),
        store_bound=metrics.store_bound,
    )
