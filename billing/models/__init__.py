"""Billing's models, by sub-domain: settlement (the ledger, accounts, statements,
payments, top-ups) and finance's exports. Rate cards are the ``pricing`` app's."""

from .exports import (  # noqa: F401
    EXPORT_TRANSITIONS,
    ExportFormat,
    ExportJob,
    ExportStatus,
)
from .settlement import (  # noqa: F401
    EntryKind,
    LedgerEntry,
    OverdueStatement,
    Payment,
    SettlementAccount,
    SettlementMode,
    SettlementModeChange,
    Statement,
    StatementCounter,
    StatementLine,
    TopUp,
    money_field,
)
