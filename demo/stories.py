"""The demo's shipping sellers and what happened to each of them, told through the services
(the applicants are in ``applicants``, the shared steps in ``steps``).

Every onboarding state has its seller; every cause the order gate knows has refused at
least one order; the main seller ships across the lanes and its parcels are at every step
of the journey; a monthly seller's statements are paid, partly paid and overdue.
"""

from __future__ import annotations

from accounts.models import Seller, User
from accounts.services import seller_alert_phone_set
from diagnostics.models import RunSource
from diagnostics.services import account_diagnose, order_diagnose
from onboarding.models import Application
from onboarding.services import (
    applications_health_check,
)
from shipments.services import trial_evaluate

from .base import (
    HOUR,
    Company,
    Demo,
    DemoStoryBroken,
    metrics_import,
    metrics_row,
)
from .parcels import (
    CANCELLED,
    CANCELLED_PRINTED,
    CUSTOMS_HOLD,
    DESTINATIONS,
    EXCEPTION,
    LATE,
    NOT_SERVED,
    ON_TIME,
    RESOLVED,
    RETURNED,
    Destination,
    refuse,
)
from .steps import close_month, onboard, pay, ship_and_track, top_up, trial

# The main seller's parcels: (days ago it was created, what becomes of it, zone or None
# for the next of the rotation). The recent ones are where the journey is now.
MAIN_SCHEDULE = [
    (40.2, ON_TIME, None),
    (39.1, ON_TIME, None),
    (38.0, LATE, "us-east"),
    (37.3, ON_TIME, None),
    (36.1, ON_TIME, None),
    (35.0, RETURNED, "eu"),
    (34.2, ON_TIME, None),
    (33.1, ON_TIME, None),
    (32.0, ON_TIME, None),
    (31.2, RESOLVED, "us-central"),
    (30.1, ON_TIME, None),
    (29.0, ON_TIME, None),
    (28.2, LATE, "uk"),
    (27.1, ON_TIME, None),
    (26.0, CANCELLED, None),
    (25.2, ON_TIME, None),
    (24.1, ON_TIME, None),
    (23.0, ON_TIME, None),
    (22.2, ON_TIME, None),
    (21.1, LATE, "eu"),
    (20.0, ON_TIME, None),
    (19.2, ON_TIME, None),
    (18.1, EXCEPTION, "us-east"),
    (17.0, ON_TIME, None),
    (16.2, ON_TIME, None),
    (15.1, ON_TIME, None),
    (14.0, ON_TIME, None),
    (13.2, ON_TIME, None),
    (12.1, ON_TIME, None),
    (11.0, ON_TIME, "sea"),
    (10.2, ON_TIME, "us-west"),
    (8.6, ON_TIME, "sea"),
    (8.3, CUSTOMS_HOLD, "us-west"),
    (7.6, ON_TIME, "us-west"),
    (6.9, ON_TIME, "uk"),
    (6.2, ON_TIME, "us-west"),
    (5.1, ON_TIME, "eu"),
    (4.0, ON_TIME, "us-east"),
    (3.2, ON_TIME, "us-central"),
    (2.1, ON_TIME, "sea"),
    (1.0, ON_TIME, "us-west"),
    (0.9, ON_TIME, "uk"),
    (0.5, ON_TIME, "us-west"),
    (0.3, CANCELLED_PRINTED, "us-east"),
    (0.06, ON_TIME, "us-west"),
    (0.03, ON_TIME, "eu"),
]
ROTATION = ["us-west", "us-east", "uk", "eu", "us-central", "us-west", "sea", "eu", "uk"]


def _seller(user: User) -> Seller:
    """The seller of one of the demo's seller users."""
    if user.seller is None:
        raise RuntimeError(f"the demo user {user.email} has no seller")
    return user.seller


def main_seller(demo: Demo, company: Company, user: User) -> None:
    """Applied 11 weeks ago; the store was not bound at first (the 93.6 % cause), then
    ticked 菜鸟经络速通; a clean trial; active on instant debit, topped up twice; ships
    to every lane; tried Russia and Brazil and a 35 kg parcel once each. Its customs
    alerts go by SMS as well as e-mail."""
    seller_alert_phone_set(seller=user.seller, actor=user, phone="138 0013 8000")
    metrics_import(
        demo,
        at=demo.ago(80),
        rows=[metrics_row(company, as_of=(demo.ago(80)).date(), score="97.90", bound=False)],
    )
    store = onboard(demo, company, user, start=demo.ago(78))
    for hours in (6, 30):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(77) + hours * HOUR,
            expect="store_not_bound",
        )
    metrics_import(
        demo,
        at=demo.ago(75),
        rows=[metrics_row(company, as_of=demo.ago(75).date(), score="98.40")],
    )
    trial(demo, company, user, store, start=demo.ago(74, 20), zone="us-west")
    top_up(demo, user, amount="2000.00", at=demo.ago(45))
    metrics_import(
        demo,
        at=demo.ago(44),
        rows=[metrics_row(company, as_of=demo.ago(44).date(), score="98.60")],
    )
    topped_up = False
    for n, (days, fate, zone) in enumerate(MAIN_SCHEDULE):
        if days < 16 and not topped_up:  # the balance runs low: a second transfer
            top_up(demo, user, amount="1500.00", at=demo.ago(16))
            topped_up = True
        ship_and_track(
            demo,
            company,
            user,
            store,
            at=demo.ago(days),
            zone=zone or ROTATION[n % len(ROTATION)],
            fate=fate,
        )
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=demo.ago(20, 3),
        expect="lane_not_served",
        where=NOT_SERVED["RU"],
    )
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=demo.ago(9, 5),
        expect="lane_not_served",
        where=NOT_SERVED["BR"],
        weight_g=800,
    )
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=demo.ago(5, 2),
        expect="overweight",
        weight_g=35000,
    )
    _customs_refusals(demo, company, user, store)


def _customs_refusals(demo: Demo, company: Company, user: User, store) -> None:
    """The orders a border would refuse, one per customs check, as the diagnostics tool and
    the root-cause chart show them."""
    berlin, paris = DESTINATIONS["eu"]
    london = DESTINATIONS["uk"][0]
    tee = {
        "description": "Women's cotton dress",
        "description_zh": "女士连衣裙",
        "quantity": "1",
        "unit_value": "24.50",
        "currency": "USD",
        "unit_weight_g": "250",
        "hs_code": "620442",
        "sku": "DR-3304",
    }
    cases: list[tuple[str, Destination, dict[str, object]]] = [
        ("address_incomplete", DESTINATIONS["us-east"][0], {"state": ""}),
        (
            "battery_not_on_lane",
            DESTINATIONS["sea"][0],
            {
                "items": [
                    {
                        **tee,
                        "description": "Wireless earbuds",
                        "hs_code": "851830",
                        "sku": "EB-2207",
                        "contains_battery": True,
                    }
                ]
            },
        ),
        ("hs_code_missing", DESTINATIONS["us-west"][1], {"items": [{**tee, "hs_code": ""}]}),
        (
            "item_description_generic",
            DESTINATIONS["us-west"][2],
            {"items": [{**tee, "description": "Gift"}]},
        ),
        ("product_ids_missing", berlin, {"items": [{**tee, "sku": ""}]}),
        ("eu_ioss_required", berlin, {"ioss_number": ""}),
        ("eu_ioss_over_limit", paris, {"items": [{**tee, "unit_value": "240.00"}]}),
        ("uk_vat_required", london, {"uk_vat_number": ""}),
    ]
    for n, (code, where, parcel) in enumerate(cases):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(4 - n // 3, 1 + n),
            expect=code,
            where=where,
            parcel=parcel,
        )


def closed_seller(demo: Demo, company: Company, user: User) -> None:
    """Active for a month, then its return rate went to 7.2 %: the daily health check
    closed the service. Orders since are refused."""
    metrics_import(demo, at=demo.ago(51), rows=[metrics_row(company, as_of=demo.ago(51).date())])
    store = onboard(demo, company, user, start=demo.ago(50))
    trial(demo, company, user, store, start=demo.ago(48, 20), zone="us-west")
    top_up(demo, user, amount="800.00", at=demo.ago(39))
    for days, zone in ((38, "us-east"), (33, "uk"), (27, "us-west"), (21, "eu"), (15, "us-west")):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone=zone)
    metrics_import(
        demo,
        at=demo.ago(9, 2),
        rows=[metrics_row(company, as_of=demo.ago(9).date(), return_rate="7.20", dsr="4.82")],
    )
    with demo.clock(demo.ago(9)):
        closed = applications_health_check()
    if closed != [store.application.pk]:
        raise DemoStoryBroken(
            f"the health check closed {closed}, expected [{store.application.pk}]"
        )
    for days in (6, 2):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(days, 1),
            expect="service_closed_health",
        )


def monthly_seller(demo: Demo, company: Company, user: User) -> None:
    """On monthly statements for three months: the first paid in full, the second only
    in part (overdue since the 15th), the third issued on the 1st and unpaid. Orders have
    been refused since the second fell overdue."""
    p3, p2, p1 = demo.month(3), demo.month(2), demo.month(1)
    metrics_import(
        demo,
        at=demo.on(p3),
        rows=[metrics_row(company, as_of=p3, score="96.80")],
    )
    store = onboard(demo, company, user, start=demo.on(demo.day_of(p3, 2), 9))
    start = demo.on(demo.day_of(p3, 3), 14)
    trial(demo, company, user, store, start=start, zone="us-east", expect=None)
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=start + 8 * HOUR,
        expect="trial_quota_used",
    )
    settled = max(s.status_changed_at for s in store.shipments.all()) + 2 * HOUR
    with demo.clock(settled):
        trial_evaluate(store=store, now=settled)
    plan = [
        (p3, 18, "us-east"),
        (p3, 22, "us-central"),
        (p3, 26, "uk"),
        (p3, 29, "us-west"),
        (p2, 3, "us-east"),
        (p2, 8, "eu"),
        (p2, 12, "us-west"),
        (p2, 17, "uk"),
        (p2, 22, "us-east"),
        (p2, 27, "sea"),
        (p1, 2, "us-west"),
        (p1, 6, "us-east"),
        (p1, 10, "eu"),
        (p1, 14, "us-central"),
    ]
    for n, (period, day, zone) in enumerate(plan):
        fate = LATE if n in (4, 11) else ON_TIME
        at = demo.on(demo.day_of(period, day), 11)
        ship_and_track(demo, company, user, store, at=at, zone=zone, fate=fate)
        if (period, day) == (p3, 29):
            close_month(demo, p3)
        if (period, day) == (p2, 8):
            pay(demo, _seller(user).statements.get(period=p3), at=demo.on(demo.day_of(p2, 10)))
        if (period, day) == (p2, 27):
            close_month(demo, p2)
        if (period, day) == (p1, 10):
            statement = _seller(user).statements.get(period=p2)
            pay(demo, statement, at=demo.on(demo.day_of(p1, 12), 15), share="0.6")
    for at in (demo.on(demo.day_of(p1, 17), 9), demo.ago(2, 5)):
        refuse(demo, company=company, store=store, user=user, at=at, expect="statement_overdue")


def troubled_seller(demo: Demo, company: Company, user: User) -> None:
    """Instant debit with a small balance: refused once for the balance, then for a DSR
    freeze after serious complaints, and now because the store lost its binding."""
    metrics_import(demo, at=demo.ago(61), rows=[metrics_row(company, as_of=demo.ago(61).date())])
    store = onboard(demo, company, user, start=demo.ago(60))
    trial(demo, company, user, store, start=demo.ago(58, 20), zone="sea")
    top_up(demo, user, amount="300.00", at=demo.ago(50))
    for days in (48, 44, 39, 33, 27):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone="sea", weight_g=1000)
    refuse(
        demo,
        company=company,
        store=store,
        user=user,
        at=demo.ago(20),
        expect="balance_insufficient",
        where=DESTINATIONS["sea"][0],
        weight_g=20000,
    )
    top_up(demo, user, amount="1000.00", at=demo.ago(19))
    for days in (18, 16):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone="sea")
    metrics_import(
        demo,
        at=demo.ago(13),
        rows=[metrics_row(company, as_of=demo.ago(13).date(), complaints=2, dsr="4.81")],
    )
    for days in (12, 11):
        refuse(
            demo, company=company, store=store, user=user, at=demo.ago(days), expect="dsr_frozen"
        )
    metrics_import(demo, at=demo.ago(7), rows=[metrics_row(company, as_of=demo.ago(7).date())])
    for days in (6, 5):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone="sea")
    metrics_import(
        demo,
        at=demo.ago(4),
        rows=[metrics_row(company, as_of=demo.ago(4).date(), bound=False)],
    )
    for days, hours in ((3, 0), (2, 0), (1, 2), (0, 6), (0, 2)):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(days, hours),
            expect="store_not_bound",
        )


def id_expiring_seller(demo: Demo, company: Company, user: User) -> None:
    """Approved ten weeks ago with an ID card valid for another 130 days; it now runs
    out in 60, so orders are refused until the renewed card is uploaded."""
    metrics_import(demo, at=demo.ago(71), rows=[metrics_row(company, as_of=demo.ago(71).date())])
    store = onboard(demo, company, user, start=demo.ago(70))
    trial(demo, company, user, store, start=demo.ago(68, 20), zone="uk")
    for days, zone in ((55, "uk"), (50, "uk"), (44, "eu"), (38, "uk"), (32, "uk")):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone=zone)
    for days in (12, 3):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(days),
            expect="legal_rep_id_expiring",
        )


def address_seller(demo: Demo, company: Company, user: User) -> None:
    """The company moved its tax registration a week ago; its licence still shows the old
    address, so orders are refused until both match."""
    metrics_import(demo, at=demo.ago(46), rows=[metrics_row(company, as_of=demo.ago(46).date())])
    store = onboard(demo, company, user, start=demo.ago(45))
    trial(demo, company, user, store, start=demo.ago(43, 20), zone="us-east")
    for days, zone in ((30, "us-east"), (24, "us-central"), (17, "eu"), (10, "us-west")):
        ship_and_track(demo, company, user, store, at=demo.ago(days), zone=zone)
    # No service changes an approved application (its fields are frozen after approval);
    # the new tax-registration address stands for what the seller's registration now says.
    Application.objects.filter(opened_store=store).update(
        tax_address="浙江省温州市瓯海区娄桥街道古岸头路55号", updated_at=demo.ago(7)
    )
    for days in (6, 1):
        refuse(
            demo,
            company=company,
            store=store,
            user=user,
            at=demo.ago(days),
            expect="licence_tax_address_mismatch",
        )


def month_end(demo: Demo, sellers: dict[str, User]) -> None:
    """Last month closes on the 1st; finance records the transfers of the sellers who
    paid (the monthly seller did not)."""
    last = demo.month(1)
    if not close_month(demo, last):
        return
    paid_on = demo.on(demo.day_of(demo.month(0), 4), 16)
    for key in ("id_expiring", "address"):
        statement = _seller(sellers[key]).statements.filter(period=last).first()
        if statement is not None:
            pay(demo, statement, at=paid_on)


def diagnostics_runs(demo: Demo, sellers: dict[str, User]) -> None:
    """Sellers ask the tool about refused orders and their account; operations too."""
    from shipments.models import RefusedOrder

    def latest_refusal(key: str, code: str) -> str:
        number = (
            RefusedOrder.objects.filter(seller=sellers[key].seller, check_code=code)
            .order_by("-at")
            .values_list("order_number", flat=True)
            .first()
        )
        if number is None:
            raise RuntimeError(f"the demo's {key} seller has no order refused for {code}")
        return number

    questions = [
        ("troubled", "store_not_bound", RunSource.SELLER, 0.1),
        ("troubled", "dsr_frozen", RunSource.SELLER, 10.8),
        ("main", "lane_not_served", RunSource.SELLER, 9.1),
        ("monthly", "statement_overdue", RunSource.ADMIN, 1.9),
        ("id_expiring", "legal_rep_id_expiring", RunSource.SELLER, 2.9),
        ("address", "licence_tax_address_mismatch", RunSource.ADMIN, 0.8),
        ("closed", "service_closed_health", RunSource.SELLER, 1.8),
    ]
    for key, code, source, days in questions:
        at = demo.ago(days)
        user = demo.ops if source == RunSource.ADMIN else sellers[key]
        with demo.clock(at):
            order_diagnose(
                seller=sellers[key].seller,
                order_number=latest_refusal(key, code),
                user=user,
                source=source,
                at=at,
            )
    for key, days in (("draft", 0.7), ("trial", 2.1)):
        at = demo.ago(days)
        with demo.clock(at):
            account_diagnose(seller=sellers[key].seller, user=sellers[key], at=at)
