"""Onboarding's checks in the order gate (``core.gate``): is the store's service open, is
the store bound on its platform, do the licence and the legal representative's ID still
hold. DOMAIN.md §4 gives the shares of the first three causes of refused orders."""

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.gate import CheckResult, OrderContext, gate
from platforms.selectors import store_metrics_latest

from .checks import ID_MIN_DAYS_VALID
from .models import ApplicationStatus
from .normalise import same_text

S = ApplicationStatus
# Serious logistics complaints within 30 days at which the platform freezes the store's
# logistics (DSR frozen). The article names the cause, not a number: one is enough.
DSR_FROZEN_COMPLAINTS = 1


@gate.loader(scope="account", position=10)
def load_store_facts(ctx: OrderContext) -> None:
    """The store's latest metrics, and what holds for all its orders (worked out once per
    account, not per row of a file)."""
    store = ctx.store
    ctx.facts["metrics"] = (
        store_metrics_latest(platform=store.platform, store_id=store.store_id)
        if store is not None and store.store_id
        else None
    )
    ctx.facts["addresses_match"] = store is not None and same_text(
        store.registered_address, store.tax_address
    )


@gate.check(
    "service_not_active",
    position=10,
    title=_("The logistics service is not active for this store"),
    fix=_(
        "Finish the application: submit it, answer any requested changes and wait for "
        "approval. Orders can be placed in trial and once active."
    ),
    fix_url_name="onboarding:index",
)
def service_not_active(ctx: OrderContext) -> CheckResult:
    store = ctx.store
    if store is None:
        return CheckResult.failed(
            _("No store of yours is in trial or active: apply for the service first."),
            store=None,
        )
    evidence = {"store": store.reference, "status": store.status}
    if store.status in (S.TRIAL, S.ACTIVE, S.CLOSED):
        return CheckResult.passed(**evidence)
    return CheckResult.failed(
        _("The store's application is “%(status)s”: the service is not active yet.")
        % {"status": store.get_status_display()},
        **evidence,
    )


@gate.check(
    "service_closed_health",
    position=20,
    title=_("The service was closed by the fulfilment health check"),
    fix=_(
        "Bring the DSR, return rate and label-print success back within their thresholds, "
        "then ask operations to reinstate the service."
    ),
    fix_url_name="onboarding:health",
)
def service_closed_health(ctx: OrderContext) -> CheckResult:
    store = ctx.store
    if store is None:
        return CheckResult.skipped(reason="no_store")
    if store.status == S.CLOSED:
        return CheckResult.failed(
            _("The service was closed by the health check: %(reason)s")
            % {"reason": store.decision_reason or _("a metric below its threshold")},
            status=store.status,
            reason=store.decision_reason,
        )
    return CheckResult.passed(status=store.status)


@gate.check(
    "store_not_bound",
    position=30,
    title=_("The platform store is not bound to 经络速通"),
    fix=_(
        "In the AliExpress back office open 物流设置 → 物流方案, tick 菜鸟经络速通 and save. "
        "The binding shows here after the next store-metrics update."
    ),
    fix_url_name="onboarding:index",
    share="93.6",
)
def store_not_bound(ctx: OrderContext) -> CheckResult:
    store = ctx.store
    if store is None:
        return CheckResult.skipped(reason="no_store")
    metrics = ctx.facts.get("metrics")
    evidence = {"platform": store.platform, "store_id": store.store_id}
    if metrics is None:
        return CheckResult.failed(
            _("The platform has not reported store %(store)s as bound to us yet.")
            % {"store": store.store_id},
            **evidence,
            metrics_as_of=None,
        )
    evidence["metrics_as_of"] = metrics.as_of.isoformat()
    if not metrics.store_bound:
        return CheckResult.failed(
            _("The platform reports store %(store)s as not bound (as of %(date)s).")
            % {"store": store.store_id, "date": metrics.as_of.isoformat()},
            **evidence,
        )
    return CheckResult.passed(**evidence)


@gate.check(
    "licence_tax_address_mismatch",
    position=40,
    title=_("The licence address differs from the tax-registration address"),
    fix=_(
        "Update the company's registration so that both addresses match, then upload the "
        "new licence."
    ),
    fix_url_name="onboarding:index",
    share="4.1",
)
def licence_tax_address_mismatch(ctx: OrderContext) -> CheckResult:
    store = ctx.store
    if store is None:
        return CheckResult.skipped(reason="no_store")
    evidence = {"registered": store.registered_address, "tax": store.tax_address}
    if not ctx.facts["addresses_match"]:
        return CheckResult.failed(**evidence)
    return CheckResult.passed(**evidence)


@gate.check(
    "legal_rep_id_expiring",
    position=50,
    title=_("The legal representative's ID card is valid for less than 90 days"),
    fix=_("Renew the ID card and upload the new card (both sides)."),
    fix_url_name="onboarding:index",
    share="1.7",
)
def legal_rep_id_expiring(ctx: OrderContext) -> CheckResult:
    store = ctx.store
    if store is None:
        return CheckResult.skipped(reason="no_store")
    limit = ctx.today + datetime.timedelta(days=ID_MIN_DAYS_VALID)
    if store.legal_rep_id_long_term:
        return CheckResult.passed(valid_until=None, long_term=True)
    until = store.legal_rep_id_expiry
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


@gate.check(
    "dsr_frozen",
    position=60,
    title=_("Logistics frozen on the platform after serious complaints (DSR frozen)"),
    fix=_(
        "Resolve the serious logistics complaints of the last 30 days on the platform; the "
        "freeze lifts in the next store-metrics update."
    ),
    fix_url_name="onboarding:health",
)
def dsr_frozen(ctx: OrderContext) -> CheckResult:
    metrics = ctx.facts.get("metrics")
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
