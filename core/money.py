"""Money: RMB amounts are Decimals with two places (fen)."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def round_fen(amount: Decimal) -> Decimal:
    """The one rounding of money: to the fen, half up (0.005 → 0.01)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)
