"""Onboarding's checks in the order gate (``core.gate``): is the store's service open, is
the store bound on its platform, do the licence and the legal representative's ID still
hold. DOMAIN.md §4 gives the shares of the first three causes of refused orders.

They read the application behind the store (or, before approval, the seller's newest
application) and the platform's latest report on its store, loaded once per account."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.gate import ApplicationFacts, CheckResult, MetricsFacts, OrderContext, Text, gate
from core.prepared import PreparedQuery
from platforms.guides import platform_guide
from platforms.selectors import store_metrics_latest

from .checks import ID_MIN_DAYS_VALID
from .models import Application, ApplicationStatus
from .normalise import same_text
from .services.renewal import RENEWABLE_STATUSES

S = ApplicationStatus
# Serious logistics complaints within 30 days at which the platform freezes the store's
# logistics (DSR frozen). The article names the cause, not a number: one is enough.
DSR_FROZEN_COMPLAINTS = 1


def application_facts(application: Application) -> ApplicationFacts:
    return ApplicationFacts(
        pk=application.pk,
        reference=application.reference,
        status=application.status,
        status_label=str(application.get_status_display()),
        decision_reason=application.decision_reason,
        platform=application.platform,
        platform_store_id=application.store_id,
        registered_address=application.registered_address,
        tax_address=application.tax_address,
        addresses_match=same_text(application.registered_address, application.tax_address),
        id_valid_until=application.legal_rep_id_expiry,
        id_long_term=application.legal_rep_id_long_term,
    )


# Read for every order through the gate: compiled once (``core.prepared``).
_APPLICATION_OF_STORE: PreparedQuery[Application] = PreparedQuery(
    lambda store_id: Application.objects.filter(opened_store_id=store_id).order_by(
        "-created_at", "-id"
    )[:1],
    store_id=int,
)
_NEWEST_APPLICATION: PreparedQuery[Application] = PreparedQuery(
    lambda seller_id: Application.objects.filter(seller_id=seller_id).order_by(
        "-created_at", "-id"
    )[:1],
    seller_id=int,
)


@gate.loader(scope="account", provides=("application", "metrics"))
def load_store_facts(ctx: OrderContext) -> None:
    """The application behind the store (the seller's newest before approval) and the
    platform's latest metrics of its store: what holds for all the account's orders."""
    if ctx.store is not None:
        application = _APPLICATION_OF_STORE.first(store_id=ctx.store.pk)
    elif ctx.seller is not None:
        application = _NEWEST_APPLICATION.first(seller_id=ctx.seller.pk)
    else:
        application = None
    if application is None:
        return
    ctx.facts.application = application_facts(application)
    if application.store_id:
        metrics = store_metrics_latest(platform=application.platform, store_id=application.store_id)
        if metrics is not None:
            ctx.facts.metrics = MetricsFacts(
                as_of=metrics.as_of,
                store_bound=metrics.store_bound,
                serious_complaints_30d=metrics.serious_complaints_30d,
                fulfilment_score=metrics.fulfilment_score,
            )


@gate.check(
    "service_not_active",
    title=_("The logistics service is active for this store"),
    fix=_(
        "Finish the application: submit it, answer any requested changes and wait for "
        "approval. Orders can be placed in trial and once active."
    ),
    needs=("application",),
    fix_url_name="onboarding:index",
)
def service_not_active(ctx: OrderContext) -> CheckResult:
    application = ctx.facts.application
    if application is None:
        return CheckResult.failed(
            _("No store of yours is in trial or active: apply for the service first."),
            store=None,
        )
    evidence = {
        "store": application.reference,
        "status": application.status,
        "status_label": application.status_label,
    }
    if application.status in (S.TRIAL, S.ACTIVE, S.CLOSED):
        return CheckResult.passed(**evidence)
    return CheckResult.failed(
        _("The store's application is “%(status)s”: the service is not active yet.")
        % {"status": application.status_label},
        **evidence,
    )


def health_fix(ctx: OrderContext) -> Text | None:
    """Where this store's platform shows the metrics the health check reads."""
    guide = platform_guide(ctx.platform)
    if guide is None:
        return None
    return _(
        "Bring the DSR, return rate and label-print success back within their thresholds "
        "(%(platform)s shows them in %(where)s), then ask operations to reinstate the service."
    ) % {"platform": guide.label, "where": guide.metrics}


@gate.check(
    "service_closed_health",
    title=_("The service is open (not closed by the fulfilment health check)"),
    fix=_(
        "Bring the DSR, return rate and label-print success back within their thresholds, "
        "then ask operations to reinstate the service."
    ),
    needs=("application",),
    fix_url_name="onboarding:health",
    fix_for=health_fix,
)
def service_closed_health(ctx: OrderContext) -> CheckResult:
    application = ctx.facts.application
    if application is None:
        return CheckResult.skipped(reason="no_store")
    if application.status == S.CLOSED:
        return CheckResult.failed(
            _("The service was closed by the health check: %(reason)s")
            % {"reason": application.decision_reason or _("a metric below its threshold")},
            status=application.status,
            status_label=application.status_label,
            reason=application.decision_reason,
        )
    return CheckResult.passed(status=application.status, status_label=application.status_label)


def binding_fix(ctx: OrderContext) -> Text | None:
    """The binding steps of this store's own platform (DOMAIN.md §4): the article's path
    for AliExpress, each other platform's own seller-centre menus."""
    guide = platform_guide(ctx.platform)
    if guide is None:
        return None
    return _(
        "In %(centre)s open %(steps)s. Then tell us on the store's page that you have bound "
        "it; orders pass as soon as %(platform)s confirms the binding to us."
    ) % {"centre": guide.seller_centre, "steps": guide.binding_path(), "platform": guide.label}


def binding_page(ctx: OrderContext) -> str | None:
    """The store's own page, with its binding state and its platform's steps."""
    if ctx.store is None:
        return None
    return reverse("stores:detail", args=[ctx.store.pk])


@gate.check(
    "store_not_bound",
    title=_("The platform store is bound to 经络速通"),
    fix=_(
        "In your platform's seller centre, open the logistics settings and choose 经络速通 "
        "(Jingluo Express) as the logistics provider; orders pass as soon as the platform "
        "confirms the binding to us."
    ),
    needs=("application", "metrics"),
    fix_url_name="onboarding:index",
    fix_url_for=binding_page,
    fix_for=binding_fix,
    share="93.6",
)
def store_not_bound(ctx: OrderContext) -> CheckResult:
    application = ctx.facts.application
    if application is None:
        return CheckResult.skipped(reason="no_store")
    metrics = ctx.facts.metrics
    store_id = application.platform_store_id
    evidence: dict[str, object] = {"platform": application.platform, "store_id": store_id}
    if metrics is None:
        return CheckResult.failed(
            _("The platform has not reported store %(store)s as bound to us yet.")
            % {"store": store_id},
            **evidence,
            metrics_as_of=None,
        )
    evidence["metrics_as_of"] = metrics.as_of.isoformat()
    if not metrics.store_bound:
        return CheckResult.failed(
            _("The platform reports store %(store)s as not bound (as of %(date)s).")
            % {"store": store_id, "date": metrics.as_of.isoformat()},
            **evidence,
        )
    return CheckResult.passed(**evidence)


@gate.check(
    "licence_tax_address_mismatch",
    title=_("The licence address matches the tax-registration address"),
    fix=_(
        "Update the company's registration so that both addresses match, then upload the "
        "new licence."
    ),
    needs=("application",),
    fix_url_name="onboarding:index",
    share="4.1",
)
def licence_tax_address_mismatch(ctx: OrderContext) -> CheckResult:
    application = ctx.facts.application
    if application is None:
        return CheckResult.skipped(reason="no_store")
    evidence = {"registered": application.registered_address, "tax": application.tax_address}
    if not application.addresses_match:
        return CheckResult.failed(**evidence)
    return CheckResult.passed(**evidence)


def id_renewal_url(ctx: OrderContext) -> str | None:
    """A store past approval renews its card on its own page; before approval the fix is
    in the application itself (the check's page)."""
    application = ctx.facts.application
    if application is None or application.status not in RENEWABLE_STATUSES:
        return None
    return reverse("onboarding:id_renewal", args=[application.pk])


@gate.check(
    "legal_rep_id_expiring",
    title=_("The legal representative's ID card is valid for at least 90 more days"),
    fix=_("Renew the ID card and upload the new card (both sides)."),
    needs=("application",),
    fix_url_name="onboarding:index",
    fix_url_for=id_renewal_url,
    share="1.7",
)
def legal_rep_id_expiring(ctx: OrderContext) -> CheckResult:
    application = ctx.facts.application
    if application is None:
        return CheckResult.skipped(reason="no_store")
    limit = ctx.today + datetime.timedelta(days=ID_MIN_DAYS_VALID)
    if application.id_long_term:
        return CheckResult.passed(valid_until=None, long_term=True)
    until = application.id_valid_until
    evidence = {
        "valid_until": until.isoformat() if until else None,
        "must_be_valid_until": limit.isoformat(),
    }
    if until is None or until < limit:
        return CheckResult.failed(
            _("The ID card is valid until %(until)s, less than 90 days from now.")
            % {"until": until.isoformat() if until else "?"},
            **evidence,
        )
    return CheckResult.passed(**evidence)


def complaints_fix(ctx: OrderContext) -> Text | None:
    guide = platform_guide(ctx.platform)
    if guide is None:
        return None
    return _(
        "Resolve the serious logistics complaints of the last 30 days in %(where)s; the "
        "freeze lifts when %(platform)s reports them resolved."
    ) % {"where": guide.complaints, "platform": guide.label}


@gate.check(
    "dsr_frozen",
    title=_("No serious logistics complaints in 30 days (DSR not frozen)"),
    fix=_(
        "Resolve the serious logistics complaints of the last 30 days on the platform; the "
        "freeze lifts in the next store-metrics update."
    ),
    needs=("metrics",),
    fix_url_name="onboarding:health",
    fix_for=complaints_fix,
)
def dsr_frozen(ctx: OrderContext) -> CheckResult:
    metrics = ctx.facts.metrics
    if metrics is None:
        return CheckResult.skipped(reason="no_metrics")
    evidence = {
        "serious_complaints_30d": metrics.serious_complaints_30d,
        "limit": DSR_FROZEN_COMPLAINTS,
        "metrics_as_of": metrics.as_of.isoformat(),
    }
    if metrics.serious_complaints_30d >= DSR_FROZEN_COMPLAINTS:
        return CheckResult.failed(
            ngettext(
                "%(count)s serious logistics complaint in the last 30 days.",
                "%(count)s serious logistics complaints in the last 30 days.",
                metrics.serious_complaints_30d,
            )
            % {"count": metrics.serious_complaints_30d},
            **evidence,
        )
    return CheckResult.passed(**evidence)
