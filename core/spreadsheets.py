"""Text bound for a spreadsheet (CSV exports, error reports), and uploaded CSV files read
as text."""

from django.utils.translation import gettext as _

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with a byte-order mark: Excel then shows Chinese text instead of mojibake.
UTF8_BOM = "\ufeff"


def spreadsheet_safe(value: object) -> str:
    """``value`` as text, with a leading ``'`` where a spreadsheet would run it as a formula.
    For text someone typed; numbers of our own are written as they are."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


# The start of an Excel workbook (XLSX is a ZIP; XLS an OLE2 file) and of UTF-16 text.
_WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CsvUnreadable(ValueError):
    """A CSV upload that cannot be read as text, with a message the uploader can act on."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(str(message))


def csv_text(data: bytes, *, max_bytes: int) -> str:
    """An uploaded CSV file's text: UTF-8 (with or without a BOM) or GBK/GB 18030, as
    Chinese Excel saves it. Raises ``CsvUnreadable`` for a file too large, a workbook, UTF-16,
    binary data, an empty file or another encoding."""
    if len(data) > max_bytes:
        raise CsvUnreadable(
            _("The file is larger than %(limit)d MB: split it into smaller files.")
            % {"limit": max_bytes // (1024 * 1024)}
        )
    if data.startswith(_WORKBOOK_SIGNATURES):
        raise CsvUnreadable(
            _("This is an Excel workbook, not a CSV file: in Excel use 另存为 (Save As) → CSV.")
        )
    if data.startswith(_UTF16_BOMS):
        raise CsvUnreadable(
            _("The file is in UTF-16 (Excel's “Unicode text”): save it as CSV in UTF-8 or GBK.")
        )
    if b"\x00" in data:
        raise CsvUnreadable(_("This is not a CSV file: it contains binary data."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise CsvUnreadable(_("The file is empty."))
        return text
    raise CsvUnreadable(_("The file's encoding is neither UTF-8 nor GBK: save it as CSV UTF-8."))
