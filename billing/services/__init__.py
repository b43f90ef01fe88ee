"""Billing services: pricing and rate cards; the ledger, prepaid balances, monthly
statements and payments."""

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
from .pricing import (
    FeeBreakdown,
    Quote,
    fee_breakdown,
    parcel_check,
    quote,
    shanghai_date,
    today_shanghai,
)
from .rate_cards import (
    rate_card_check_editable,
    rate_card_check_effective_from,
    rate_card_duplicate,
    rate_card_next_free_date,
    rate_card_save,
)
from .statements import (
    CloseResult,
    statement_number,
    statements_close_month,
    statements_close_month_preview,
)
from .wallet import (
    settlement_mode_switch,
    settlement_mode_switch_rule,
    topup_check,
    topup_record,
)

__all__ = [
    "CloseResult",
    "FeeBreakdown",
    "Quote",
    "adjustment_record",
    "export_job_fail",
    "export_job_file",
    "export_job_request",
    "export_job_run",
    "fee_breakdown",
    "ledger_entries_append",
    "month_export_write",
    "parcel_check",
    "payment_check",
    "payment_record",
    "period_of",
    "period_parse",
    "period_previous",
    "quote",
    "rate_card_check_editable",
    "rate_card_check_effective_from",
    "rate_card_duplicate",
    "rate_card_next_free_date",
    "rate_card_save",
    "settlement_mode_switch",
    "settlement_mode_switch_rule",
    "shanghai_date",
    "shipment_charge_refund",
    "shipment_charges_record",
    "statement_due_date",
    "statement_export",
    "statement_number",
    "statement_paid",
    "statements_close_month",
    "statements_close_month_preview",
    "today_shanghai",
    "topup_check",
    "topup_record",
]
