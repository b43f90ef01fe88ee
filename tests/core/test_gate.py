"""The order gate's registry: ordering, first failure, trace, parcel-only checks, typed
facts, and the registration rules and start-up check that keep one truth."""

import datetime

import pytest
from django.core import checks as system_checks

from core.gate import (
    GATE_ORDER,
    CheckResult,
    CheckStatus,
    GateRegistry,
    OrderContext,
    Parcel,
    gate,
)

AT = datetime.datetime(2026, 8, 15, 16, 30, tzinfo=datetime.UTC)
PARCEL = Parcel(origin="east", country="US", postcode="94105", weight_g=500)


def _registry(*outcomes: tuple[str, int, str, bool]) -> GateRegistry:
    """A registry whose order is the codes sorted by ``position``."""
    order = [code for code, position, *_ in sorted(outcomes, key=lambda o: o[1])]
    registry = GateRegistry(order=order)
    for code, _position, status, needs_parcel in outcomes:
        result = CheckResult(status, {"code": code})
        registry.check(code, title=code, fix=f"fix {code}", needs_parcel=needs_parcel)(
            lambda ctx, result=result: result
        )
    return registry


def _ctx(parcel=PARCEL) -> OrderContext:
    return OrderContext(seller=None, store=None, parcel=parcel, at=AT)


def test_checks_run_in_the_gates_order_not_by_registration_order():
    registry = _registry(("late", 20, "pass", False), ("early", 10, "pass", False))
    assert registry.codes() == ["early", "late"]
    assert [c.position for c in registry.checks()] == [1, 2]


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


def test_a_code_registered_twice_or_outside_the_order_is_an_error():
    registry = _registry(("a", 10, "pass", False))
    with pytest.raises(ValueError, match="registered twice"):
        registry.check("a", title="", fix="")(lambda ctx: None)
    with pytest.raises(ValueError, match="not in the gate's order"):
        registry.check("b", title="", fix="")(lambda ctx: None)


def test_a_fact_that_is_not_a_field_of_the_facts_is_refused_at_registration():
    registry = GateRegistry(order=["a"])
    with pytest.raises(ValueError, match="not fields of OrderFacts"):
        registry.check("a", title="", fix="", needs=["balanse"])(lambda ctx: None)
    with pytest.raises(ValueError, match="not fields of OrderFacts"):
        registry.loader(provides=["quota"])(lambda ctx: None)


def test_the_contract_names_a_listed_code_nobody_registers_and_a_fact_nobody_provides():
    registry = GateRegistry(order=["a", "b"])
    registry.check("a", title="", fix="", needs=["balance"])(lambda ctx: None)

    @registry.loader(scope="parcel", provides=["charge"], needs=["trial_used"])
    def priced(ctx):
        pass

    assert registry.problems() == [
        "gate check 'b' is in the gate's order but no app registers it",
        f"loader {priced.__module__}.{priced.__qualname__} needs 'trial_used', "
        "which no loader before it provides",
        "gate check 'a' needs 'balance', which no loader provides",
    ]


def test_the_portals_gate_holds_together_and_start_up_checks_it(monkeypatch):
    assert gate.problems() == []
    assert [m.id for m in system_checks.run_checks() if m.id == "core.E001"] == []

    broken = GateRegistry(order=[*GATE_ORDER, "never_registered"])
    monkeypatch.setattr("core.checks.gate", broken)
    errors = [m for m in system_checks.run_checks() if m.id == "core.E001"]
    assert "gate check 'never_registered' is in the gate's order" in errors[-1].msg


def test_account_facts_load_once_and_parcel_facts_per_order():
    registry = GateRegistry()
    calls = []

    @registry.loader(scope="account", provides=["trial_used"])
    def account(ctx):
        calls.append("account")
        ctx.facts.trial_used = 1

    @registry.loader(scope="parcel", provides=["charge"])
    def parcel(ctx):
        calls.append("parcel")
        ctx.facts.charge = ctx.parcel.weight_g

    @registry.on_created
    def created(ctx, shipment):
        ctx.facts.trial_used += 1

    base = registry.context(seller=None, store=None, parcel=None, at=AT)
    first = registry.with_parcel(base, parcel=PARCEL, order_number="A")
    registry.created(base, shipment=None)
    second = registry.with_parcel(base, parcel=PARCEL, order_number="B")
    assert calls == ["account", "parcel", "parcel"]
    assert (first.facts.trial_used, second.facts.trial_used) == (1, 2)
    assert second.facts.charge == 500 and second.order_number == "B"


def test_the_order_date_is_counted_in_shanghai():
    assert _ctx().today == datetime.date(2026, 8, 16)  # 16:30 UTC is 00:30 in Shanghai


def test_the_portal_registers_the_documented_codes_in_the_documented_order():
    # Issue 6's twelve codes and the customs issue's eight, each registered by the app that
    # owns its data.
    assert (
        gate.codes()
        == list(GATE_ORDER)
        == [
            "service_not_active",
            "service_closed_health",
            "store_not_bound",
            "licence_tax_address_mismatch",
            "legal_rep_id_expiring",
            "dsr_frozen",
            "statement_overdue",
            "trial_quota_used",
            "presale_lock_expired",
            "stock_insufficient",
            "lane_not_served",
            "address_incomplete",
            "overweight",
            "trial_overweight",
            "battery_not_on_lane",
            "hs_code_missing",
            "item_description_generic",
            "product_ids_missing",
            "eu_ioss_required",
            "eu_ioss_over_limit",
            "uk_vat_required",
            "balance_insufficient",
        ]
    )
    shares = {c.code: c.share for c in gate.checks() if c.share is not None}
    assert {code: str(share) for code, share in shares.items()} == {
        "store_not_bound": "93.6",
        "licence_tax_address_mismatch": "4.1",
        "legal_rep_id_expiring": "1.7",
    }


def test_the_readmes_gate_table_is_the_gates_order():
    """The README's table of checks is read by sellers' ERP developers and operations: it lists
    every code of ``GATE_ORDER``, at its position, and no other."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The order gate", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| `([a-z_]+)` \|", section, flags=re.MULTILINE)
    assert [(int(position), code) for position, code in rows] == list(
        enumerate(GATE_ORDER, start=1)
    )
