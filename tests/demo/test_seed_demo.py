import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Seller, User
from billing.models import SettlementMode, Statement
from billing.selectors import settlement_get, statements_overdue, statements_with_state
from core.gate import gate
from demo.build import demo_emails
from diagnostics.models import DiagnosticRun
from onboarding.models import Application, ApplicationStatus
from shipments.models import RefusedOrder, Shipment, ShipmentEvent, ShipmentStatus

pytestmark = pytest.mark.django_db

COUNTED = [
    "accounts.User",
    "accounts.Seller",
    "onboarding.Application",
    "onboarding.ApplicationEvent",
    "onboarding.ApplicationCheck",
    "onboarding.Document",
    "platforms.StoreMetricsImport",
    "platforms.StoreMetricsSnapshot",
    "shipments.Shipment",
    "shipments.ShipmentEvent",
    "shipments.RefusedOrder",
    "shipments.Notification",
    "billing.LedgerEntry",
    "billing.TopUp",
    "billing.Statement",
    "billing.StatementLine",
    "billing.Payment",
    "diagnostics.DiagnosticRun",
    "diagnostics.WatchWarning",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_seed_demo_builds_the_living_demo_once(settings, capsys):
    """One build (it takes seconds), then what each part of the demo must show."""
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo", password="another-password")

    assert counts() == first
    a_second_run_changes_nothing_but_the_passwords(capsys.readouterr().out)
    every_onboarding_state_has_a_seller()
    every_gate_check_has_refused_an_order()
    the_main_seller_ships_across_lanes_and_statuses_on_a_balance()
    the_monthly_seller_has_paid_part_paid_and_overdue_statements()
    the_main_seller_stocks_two_warehouses_and_routes_orders_there()
    nothing_happens_in_the_future()


def a_second_run_changes_nothing_but_the_passwords(out):
    assert out.count("Demo logins (password for all: jingluo-demo-2026)") == 1
    assert out.count("Demo logins (password for all: another-password)") == 1
    assert "only the passwords were reset" in out
    emails = ["ops@jingluo.local", "finance@jingluo.local", "seller@jingluo.local", *demo_emails()]
    assert len(emails) == 15
    users = User.objects.filter(email__in=emails)
    assert users.count() == 15 == User.objects.count()
    assert all(user.check_password("another-password") for user in users)
    for email in demo_emails():
        assert email in out
    ops = User.objects.get(email="ops@jingluo.local")
    finance = User.objects.get(email="finance@jingluo.local")
    owner = User.objects.get(email="seller@jingluo.local")
    assert [g.name for g in ops.groups.all()] == ["Operations"]
    assert [g.name for g in finance.groups.all()] == ["Finance"]
    assert ops.is_staff and finance.is_staff and not owner.is_staff
    assert owner.seller_role == User.SellerRole.OWNER
    assert Seller.objects.count() == 13


def every_onboarding_state_has_a_seller():
    statuses = set(Application.objects.values_list("status", flat=True))

    assert statuses == set(ApplicationStatus.values)
    submitted = Application.objects.get(status=ApplicationStatus.SUBMITTED)
    assert submitted.documents.filter(is_current=True).count() == 6
    in_review = Application.objects.get(status=ApplicationStatus.IN_REVIEW)
    assert in_review.checks.count() == 10
    assert not in_review.checks.filter(status="fail").exists()
    changes = Application.objects.get(status=ApplicationStatus.CHANGES_REQUESTED)
    assert changes.checks.get(code="licence_name_matches").status == "fail"
    rejected = Application.objects.get(status=ApplicationStatus.REJECTED)
    assert rejected.checks.get(code="enterprise").status == "fail"
    trial = Application.objects.get(status=ApplicationStatus.TRIAL)
    assert trial.opened_store.shipments.filter(is_trial=True).count() == 2
    assert trial.opened_store.trial_used == 2


def every_gate_check_has_refused_an_order():
    codes = set(RefusedOrder.objects.values_list("check_code", flat=True))

    assert codes == set(gate.codes())
    # The twelve of issue 6, the customs issue's eight and the overseas warehouses' two.
    assert len(gate.codes()) == 22
    # The article's first cause is the commonest.
    by_code = {code: RefusedOrder.objects.filter(check_code=code).count() for code in codes}
    assert max(by_code, key=by_code.get) == "store_not_bound"
    assert DiagnosticRun.objects.count() == 9


def the_main_seller_ships_across_lanes_and_statuses_on_a_balance():
    owner = User.objects.get(email="seller@jingluo.local")
    shipments = Shipment.objects.filter(seller=owner.seller)
    statuses = set(shipments.values_list("status", flat=True))

    assert 40 <= shipments.count() <= 60
    assert len(statuses) >= 6
    assert {
        ShipmentStatus.CREATED,
        ShipmentStatus.LABEL_PRINTED,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.CUSTOMS,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.EXCEPTION,
        ShipmentStatus.RETURNED,
        ShipmentStatus.CANCELLED,
    } <= statuses
    assert shipments.filter(status=ShipmentStatus.DELIVERED, on_time=True).exists()
    assert shipments.filter(status=ShipmentStatus.DELIVERED, on_time=False).exists()
    assert {"US", "GB", "DE", "FR", "SG", "MY"} <= set(shipments.values_list("country", flat=True))
    settlement = settlement_get(seller=owner.seller)
    assert settlement.mode == SettlementMode.INSTANT
    assert settlement.balance > 0
    assert settlement.overdue is None


def the_monthly_seller_has_paid_part_paid_and_overdue_statements():
    owner = User.objects.get(email="jintian@jingluo.local")
    statements = list(
        statements_with_state(Statement.objects.filter(seller=owner.seller)).order_by("period")
    )

    assert len(statements) >= 2
    assert statements[0].state == "paid"
    assert statements[1].state == "overdue"
    assert 0 < statements[1].paid < statements[1].total
    assert statements_overdue().filter(seller=owner.seller).exists()
    assert settlement_get(seller=owner.seller).overdue is not None
    assert RefusedOrder.objects.filter(seller=owner.seller, check_code="statement_overdue").exists()


def the_main_seller_stocks_two_warehouses_and_routes_orders_there():
    from django.db.models import Count

    from inventory.models import Inbound, InboundStatus, PresaleLock, RoutedOrder, Warehouse
    from inventory.selectors import stock_audit

    owner = User.objects.get(email="seller@jingluo.local")
    assert sorted(Warehouse.objects.values_list("code", "country")) == [
        ("DE-FRA", "DE"),
        ("US-LAX", "US"),
    ]
    statuses = list(Inbound.objects.filter(seller=owner.seller).values_list("status", flat=True))
    assert sorted(statuses) == [InboundStatus.CLOSED, InboundStatus.CLOSED, "in_transit"]
    assert Inbound.objects.filter(lines__difference=2).count() == 1  # received short
    locks = PresaleLock.objects.filter(campaign__seller=owner.seller)
    assert sorted(locks.values_list("campaign__code", "status")) == [
        ("BF2026", "active"),
        ("SUMMER", "expired"),
    ]
    assert locks.get(status="active").awaiting > 0  # partly from the inbound on its way
    routed = RoutedOrder.objects.filter(seller=owner.seller).annotate(parcels=Count("allocations"))
    assert routed.count() == 9
    assert routed.filter(parcels=2).count() == 1  # one order split between the two
    refused = RefusedOrder.objects.filter(
        seller=owner.seller, check_code__in=["stock_insufficient", "presale_lock_expired"]
    )
    assert sorted(refused.values_list("check_code", flat=True)) == [
        "presale_lock_expired",
        "stock_insufficient",
    ]
    assert stock_audit() == []


def nothing_happens_in_the_future():
    now = timezone.now()

    assert not Shipment.objects.filter(created_at__gt=now).exists()
    assert not ShipmentEvent.objects.filter(at__gt=now).exists()
    assert not RefusedOrder.objects.filter(at__gt=now).exists()


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")

    assert not User.objects.exists()
