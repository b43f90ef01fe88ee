"""The daily watch: stores in trial or active that the order gate would refuse now, or
(for the ID card) within two weeks, are told by e-mail before an order fails.

It runs the gate itself, for the account alone (no parcel), so it warns about exactly
what would refuse an order. A cause is repeated at most once every seven days."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.gate import CheckStatus, OrderContext, Outcome, gate
from core.timezones import SHANGHAI
from stores.models import SHIPPING_STATUSES, Store

from ..models import WatchWarning

logger = logging.getLogger(__name__)
WARNING_REPEAT_DAYS = 7
# An ID card that will drop under 90 days of validity within this many days is warned
# about now, while the seller still has time to renew it.
ID_LOOKAHEAD_DAYS = 14
# A trial that used its three shipments waits for its evaluation: nothing to fix.
NOT_WARNED = frozenset({"trial_quota_used"})


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    code: str
    title: str
    message: str
    fix: str
    evidence: dict


def store_findings(*, store: Store, at: datetime.datetime) -> list[Finding]:
    """What would refuse any order of the store: the gate's account-level failures, and an
    ID card that fails within ``ID_LOOKAHEAD_DAYS``."""
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=at)
    outcomes = list(gate.run(ctx, trace=True).outcomes)
    findings = [_finding(o) for o in outcomes if o.status == CheckStatus.FAIL]
    failing = {f.code for f in findings}
    if "legal_rep_id_expiring" not in failing:
        check = gate.get("legal_rep_id_expiring")
        later = dataclasses.replace(ctx, at=at + datetime.timedelta(days=ID_LOOKAHEAD_DAYS))
        result = check.func(later)
        if result.status == CheckStatus.FAIL:
            fails_on = _fails_on(ctx, at)
            findings.append(
                Finding(
                    code=check.code,
                    title=str(check.title),
                    message=_(
                        "The ID card is valid until %(until)s: from %(date)s orders will be "
                        "refused unless the renewed card is uploaded."
                    )
                    % {"until": result.evidence.get("valid_until"), "date": fails_on},
                    fix=check.fix_text(later),
                    evidence={**result.evidence, "fails_from": fails_on},
                )
            )
    return [f for f in findings if f.code not in NOT_WARNED]


def _fails_on(ctx: OrderContext, at: datetime.datetime) -> str:
    """The first day the gate refuses: 90 days before the card's expiry."""
    application = ctx.facts.application
    expiry = application.id_valid_until if application is not None else None
    if expiry is None:
        return at.astimezone(SHANGHAI).date().isoformat()
    return (expiry - datetime.timedelta(days=90) + datetime.timedelta(days=1)).isoformat()


def _finding(outcome: Outcome) -> Finding:
    return Finding(
        code=outcome.code,
        title=str(outcome.check.title),
        message=outcome.message,
        fix=outcome.fix,
        evidence=outcome.result.evidence,
    )


def stores_watch(*, at: datetime.datetime | None = None) -> list[WatchWarning]:
    """Warn every watched store of what would refuse its orders. Returns the warnings
    sent. Safe to run twice a day: a cause is recorded once per store and day, and is not
    repeated within ``WARNING_REPEAT_DAYS``."""
    at = at or timezone.now()
    today = at.astimezone(SHANGHAI).date()
    recent = set(
        WatchWarning.objects.filter(
            sent_on__gt=today - datetime.timedelta(days=WARNING_REPEAT_DAYS)
        ).values_list("store_id", "code")
    )
    sent: list[WatchWarning] = []
    stores = Store.objects.filter(status__in=SHIPPING_STATUSES).select_related("seller")
    for store in stores.order_by("pk").iterator(chunk_size=500):
        with translation.override(settings.LANGUAGE_CODE):  # the e-mail's language
            findings = store_findings(store=store, at=at)
        new = [f for f in findings if (store.pk, f.code) not in recent]
        if new:
            sent += _warn(store=store, findings=new, today=today)
    return sent


def _warn(*, store: Store, findings: list[Finding], today: datetime.date) -> list[WatchWarning]:
    recipients = list(
        store.seller.users.filter(is_active=True).order_by("pk").values_list("email", flat=True)
    )
    created = []
    with transaction.atomic():
        for finding in findings:
            try:
                with transaction.atomic():
                    created.append(
                        WatchWarning.objects.create(
                            seller=store.seller,
                            store=store,
                            code=finding.code,
                            message=finding.message,
                            evidence=finding.evidence,
                            sent_on=today,
                            recipients=recipients,
                        )
                    )
            except IntegrityError:
                continue  # another run warned today already
        if created and recipients:
            chosen = [f for f in findings if f.code in {w.code for w in created}]
            transaction.on_commit(lambda: _mail(store, chosen, recipients))
    return created


def _mail(store: Store, findings: list[Finding], recipients: list[str]) -> None:
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _(
                "Orders for store %(store)s (application %(ref)s) would be refused now or soon. "
                "Fix this before your next order:"
            )
            % {"store": store.platform_store_id, "ref": store.reference},
            "",
        ]
        for finding in findings:
            lines += [f"• {finding.title}", f"  {finding.message}", f"  → {finding.fix}", ""]
        lines.append(
            _("The diagnostics tool shows every check: %(path)s")
            % {"path": reverse("diagnostics:index")}
        )
        try:
            send_mail(
                subject=_("Jingluo Express: orders for store %(store)s will be refused")
                % {"store": store.platform_store_id},
                message="\n".join(lines),
                from_email=None,
                recipient_list=recipients,
            )
        except OSError:
            logger.exception("watch warning for store %s not sent", store.pk)
