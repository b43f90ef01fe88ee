"""Billing's checks in the order gate (``core.gate``): an overdue monthly statement blocks
every new order until paid in full; an instant-debit seller needs a balance that covers the
order's charge (the charge that ``shipments`` worked out, ``ctx.facts.charge``)."""

from django.utils.translation import gettext_lazy as _

from core.gate import CheckResult, CreatedShipment, OrderContext, OverdueFacts, gate

from .models import SettlementMode
from .selectors import settlement_get


@gate.loader(scope="account", provides=("settlement_mode", "balance", "overdue_statement"))
def load_settlement(ctx: OrderContext) -> None:
    if ctx.seller is None:
        return
    settlement = settlement_get(seller=ctx.seller, today=ctx.today)
    ctx.facts.settlement_mode = settlement.mode
    ctx.facts.balance = settlement.balance
    overdue = settlement.overdue
    ctx.facts.overdue_statement = (
        OverdueFacts(
            number=overdue.number, due_date=overdue.due_date, outstanding=overdue.outstanding
        )
        if overdue is not None
        else None
    )


@gate.on_created
def debit_balance(ctx: OrderContext, shipment: CreatedShipment) -> None:
    """The next order of the same file sees the balance this shipment left."""
    if ctx.facts.settlement_mode == SettlementMode.INSTANT and shipment.charge:
        ctx.facts.balance -= shipment.charge


@gate.check(
    "statement_overdue",
    title=_("No monthly statement is overdue"),
    fix=_(
        "Pay the overdue statement in full by bank transfer (details on the billing page); "
        "orders are accepted again as soon as finance records the payment."
    ),
    needs=("overdue_statement",),
    fix_url_name="billing:index",
)
def statement_overdue(ctx: OrderContext) -> CheckResult:
    overdue = ctx.facts.overdue_statement
    if overdue is None:
        return CheckResult.passed(overdue=None)
    return CheckResult.failed(
        _("Statement %(number)s was due on %(due)s; ¥%(outstanding)s is still unpaid.")
        % {
            "number": overdue.number,
            "due": overdue.due_date.isoformat(),
            "outstanding": overdue.outstanding,
        },
        statement=overdue.number,
        due_date=overdue.due_date.isoformat(),
        outstanding=str(overdue.outstanding),
    )


@gate.check(
    "balance_insufficient",
    title=_("The prepaid balance covers the shipment"),
    fix=_(
        "Top up the prepaid balance by bank transfer (account details and the reference to "
        "quote are on the billing page); the balance updates when finance records it."
    ),
    needs=("settlement_mode", "balance", "charge"),
    fix_url_name="billing:index",
    needs_parcel=True,
)
def balance_insufficient(ctx: OrderContext) -> CheckResult:
    if ctx.facts.settlement_mode != SettlementMode.INSTANT:
        return CheckResult.skipped(reason="monthly")
    charge = ctx.facts.charge
    if charge is None:
        return CheckResult.skipped(reason="no_lane")
    balance = ctx.facts.balance
    evidence = {"balance": str(balance), "charge": str(charge)}
    if charge > balance:
        shortfall = charge - balance
        return CheckResult.failed(
            _("The shipment costs ¥%(charge)s; the balance is ¥%(balance)s (¥%(short)s short).")
            % {"charge": charge, "balance": balance, "short": shortfall},
            **evidence,
            shortfall=str(shortfall),
        )
    return CheckResult.passed(**evidence)
