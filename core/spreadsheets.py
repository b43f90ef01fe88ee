"""Text bound for a spreadsheet (CSV exports, error reports)."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with a byte-order mark: Excel then shows Chinese text instead of mojibake.
UTF8_BOM = "\ufeff"


def spreadsheet_safe(value) -> str:
    """``value`` as text, with a leading ``'`` where a spreadsheet would run it as a formula.
    For text someone typed; numbers of our own are written as they are."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
