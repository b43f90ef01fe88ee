"""The order gate's registry: ordering, first failure, trace, parcel-only checks, and the
registration rules that keep one truth."""

import datetime

import pytest

from core.gate import CheckResult, CheckStatus, GateRegistry, OrderContext, Parcel, gate

AT = datetime.datetime(2026, 8, 15, 16, 30, tzinfo=datetime.UTC)
PARCEL = Parcel(origin="east", country="US", postcode="94105", weight_g=500)


def _registry(*outcomes: tuple[str, int, str, bool]) -> GateRegistry:
    registry = GateRegistry()
    for code, position, status, needs_parcel in outcomes:
        result = CheckResult(status, {"code": code})
        registry.check(
            code, position=position, title=code, fix=f"fix {code}", needs_parcel=needs_parcel
        )(lambda ctx, result=result: result)
    return registry


def _ctx(parcel=PARCEL) -> OrderContext:
    return OrderContext(seller=None, store=None, parcel=parcel, at=AT)


def test_checks_run_by_position_not_by_registration_order():
    registry = _registry(("late", 20, "pass", False), ("early", 10, "pass", False))
    assert registry.codes() == ["early", "late"]


def test_the_gate_stops_at_the_first_failure_and_names_it():
    registry = _registry(
        ("a", 10, "pass", False), ("b", 20, "fail", False), ("c", 30, "fail", False)
    )
    result = registry.run(_ctx())
    assert [o.code for o in result.outcomes] == ["a", "b"]
    assert result.root_cause.code == "b"
    assert not result.passed


def test_a_trace_runs_every_check_and_keeps_the_first_failure_as_root_cause():
    registry = _registry(
        ("a", 10, "fail", False), ("b", 20, "pass", False), ("c", 30, "fail", False)
    )
    result = registry.run(_ctx(), trace=True)
    assert [(o.code, o.status) for o in result.outcomes] == [
        ("a", "fail"),
        ("b", "pass"),
        ("c", "fail"),
    ]
    assert result.root_cause.code == "a"
    assert result.outcomes[0].as_json() == {
        "code": "a",
        "status": "fail",
        "evidence": {"code": "a"},
        "fix": "fix a",
    }
    assert result.outcomes[1].as_json()["fix"] is None


def test_parcel_checks_are_not_applicable_to_a_question_about_the_account():
    registry = _registry(("account", 10, "pass", False), ("parcel", 20, "fail", True))
    result = registry.run(_ctx(parcel=None), trace=True)
    assert [o.status for o in result.outcomes] == [CheckStatus.PASS, CheckStatus.SKIPPED]
    assert result.passed


def test_a_code_or_a_position_registered_twice_is_an_error():
    registry = _registry(("a", 10, "pass", False))
    with pytest.raises(ValueError, match="registered twice"):
        registry.check("a", position=99, title="", fix="")(lambda ctx: None)
    with pytest.raises(ValueError, match="position 10 is taken"):
        registry.check("b", position=10, title="", fix="")(lambda ctx: None)


def test_account_facts_load_once_and_parcel_facts_per_order():
    registry = GateRegistry()
    calls = []

    @registry.loader(scope="account")
    def account(ctx):
        calls.append("account")
        ctx.facts["used"] = 1

    @registry.loader(scope="parcel")
    def parcel(ctx):
        calls.append("parcel")
        ctx.facts["weight"] = ctx.parcel.weight_g

    @registry.on_created
    def created(ctx, shipment):
        ctx.facts["used"] += 1

    base = registry.context(seller=None, store=None, parcel=None, at=AT)
    first = registry.with_parcel(base, parcel=PARCEL, order_number="A")
    registry.created(base, shipment=None)
    second = registry.with_parcel(base, parcel=PARCEL, order_number="B")
    assert calls == ["account", "parcel", "parcel"]
    assert (first.facts["used"], second.facts["used"]) == (1, 2)
    assert second.facts["weight"] == 500 and second.order_number == "B"


def test_the_order_date_is_counted_in_shanghai():
    assert _ctx().today == datetime.date(2026, 8, 16)  # 16:30 UTC is 00:30 in Shanghai


def test_the_portal_registers_the_documented_codes_in_the_documented_order():
    # Issue 6's twelve codes, each registered by the app that owns its data.
    assert gate.codes() == [
        "service_not_active",
        "service_closed_health",
        "store_not_bound",
        "licence_tax_address_mismatch",
        "legal_rep_id_expiring",
        "dsr_frozen",
        "statement_overdue",
        "trial_quota_used",
        "lane_not_served",
        "overweight",
        "trial_overweight",
        "balance_insufficient",
    ]
    shares = {c.code: c.share for c in gate.checks() if c.share is not None}
    assert {code: str(share) for code, share in shares.items()} == {
        "store_not_bound": "93.6",
        "licence_tax_address_mismatch": "4.1",
        "legal_rep_id_expiring": "1.7",
    }
