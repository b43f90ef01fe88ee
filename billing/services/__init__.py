"""Billing services: the ledger, prepaid balances, monthly statements, payments and
finance's exports. Pricing is the ``pricing`` app."""

from .charges import shipment_charge_refund, shipment_charges_record
from .exports import (
    export_job_fail,
    export_job_file,
    export_job_request,
    export_job_run,
    month_export_write,
    statement_export,
)
from .ledger import (
    adjustment_record,
    ledger_entries_append,
    period_of,
    period_parse,
    period_previous,
    statement_due_date,
)
from .payments import payment_check, payment_record, statement_paid
from .statements import (
    CloseResult,
    statement_number,
    statements_check_can_close,
    statements_close_month,
    statements_close_month_preview,
)
from .wallet import (
    settlement_low_balance_alert_set,
    settlement_mode_switch,
    settlement_mode_switch_rule,
    topup_check,
    topup_record,
)

__all__ = [
    "CloseResult",
    "adjustment_record",
    "export_job_fail",
    "export_job_file",
    "export_job_request",
    "export_job_run",
    "ledger_entries_append",
    "month_export_write",
    "payment_check",
    "payment_record",
    "period_of",
    "period_parse",
    "period_previous",
    "settlement_low_balance_alert_set",
    "settlement_mode_switch",
    "settlement_mode_switch_rule",
    "shipment_charge_refund",
    "shipment_charges_record",
    "statement_due_date",
    "statement_export",
    "statement_number",
    "statement_paid",
    "statements_check_can_close",
    "statements_close_month",
    "statements_close_month_preview",
    "topup_check",
    "topup_record",
]
