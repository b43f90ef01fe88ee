"""Steps the demo's stories share: onboarding a store, its trial, a parcel shipped and
tracked, a top-up, a payment, a month closed."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from accounts.models import User
from billing.models import Statement
from billing.services import payment_record, statements_close_month, topup_record
from billing.services.ledger import period_last_day
from core.timezones import SHANGHAI
from onboarding.services import (
    application_approve,
)
from shipments.services import trial_evaluate
from stores.models import Store, StoreStatus

from .base import (
    DAY,
    HOUR,
    Company,
    Demo,
    DemoStoryBroken,
    application_read_by_ops,
    application_submitted,
)
from .parcels import (
    ON_TIME,
    ship,
    track,
)

S = StoreStatus
APPROVED = "资料齐全，自动检查通过，进入试运行（3 单免费试发）。"


def onboard(demo: Demo, company: Company, user: User, *, start: datetime.datetime) -> Store:
    """Apply, upload, submit; operations type the scans' fields and approve the next
    morning: the store is in trial."""
    application = application_submitted(demo, user=user, company=company, at=start)
    application_read_by_ops(demo, application=application, company=company, at=start + 3 * HOUR)
    with demo.clock(start + 20 * HOUR):
        application_approve(application=application, actor=demo.ops, reason=APPROVED)
    if application.opened_store is None:
        raise DemoStoryBroken(f"{company.name}: approved without a store")
    return application.opened_store


def trial(
    demo: Demo,
    company: Company,
    user: User,
    store: Store,
    *,
    start: datetime.datetime,
    zone: str,
    fates=(ON_TIME, ON_TIME, ON_TIME),
    expect: str | None = S.ACTIVE,
):
    """The trial shipments, tracked; once all are delivered the trial is evaluated."""
    shipments = [
        ship(demo, company=company, store=store, user=user, at=start + n * 2 * HOUR, zone=zone)
        for n in range(len(fates))
    ]
    for shipment, fate in zip(shipments, fates, strict=True):
        track(demo, shipment=shipment, fate=fate, user=user)
    if expect is None:
        return shipments
    settled = max(s.status_changed_at for s in shipments) + 2 * HOUR
    with demo.clock(settled):
        verdict = trial_evaluate(store=store, now=settled)
    if verdict is None or verdict.to_status != expect:
        raise DemoStoryBroken(f"{company.name}: trial verdict {verdict}, expected {expect}")
    return shipments


def ship_and_track(demo, company, user, store, *, at, zone, fate=ON_TIME, **parcel):
    shipment = ship(demo, company=company, store=store, user=user, at=at, zone=zone, **parcel)
    return track(demo, shipment=shipment, fate=fate, user=user)


def top_up(demo: Demo, user: User, *, amount: str, at: datetime.datetime):
    with demo.clock(at):
        topup_record(
            seller=user.seller,
            amount=Decimal(amount),
            reference=demo.bank_reference(at),
            received_on=at.astimezone(SHANGHAI).date(),
            user=demo.finance,
        )


def pay(demo: Demo, statement: Statement, *, at: datetime.datetime, share: str = "1"):
    amount = (statement.total * Decimal(share)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    with demo.clock(at):
        payment_record(
            statement=statement,
            amount=amount,
            reference=demo.bank_reference(at),
            received_on=at.astimezone(SHANGHAI).date(),
            user=demo.finance,
        )


def close_month(demo: Demo, period: datetime.date) -> bool:
    """Close ``period`` shortly after midnight on the 1st, as beat does; False when that
    moment has not come yet."""
    at = demo.on(period_last_day(period) + DAY, hour=0, minute=10)
    if at.astimezone(SHANGHAI).date() <= period_last_day(period):
        return False
    with demo.clock(at):
        statements_close_month(period=period, at=at)
    return True
