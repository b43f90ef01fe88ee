"""Billing's models, by sub-domain: pricing (rate cards and their parts), settlement
(the ledger, accounts, statements, payments, top-ups) and finance's exports."""

from .exports import (  # noqa: F401
    EXPORT_TRANSITIONS,
    ExportFormat,
    ExportJob,
    ExportStatus,
)
from .pricing import (  # noqa: F401
    DEFAULT_VOLUMETRIC_DIVISOR,
    GREEN_DISCOUNT_MAX_PCT,
    GreenDiscount,
    Lane,
    PeakSeason,
    RateCard,
    Region,
    Service,
    WeightBand,
    Zone,
    ZoneCountry,
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
