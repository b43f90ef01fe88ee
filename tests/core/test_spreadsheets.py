import pytest
from django.utils import translation

from core.spreadsheets import CsvUnreadable, csv_text, spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("深圳市南山区", "深圳市南山区"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(value, written):
    assert spreadsheet_safe(value) == written


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("订单号,重量\n".encode(), "订单号,重量\n"),
        ("\ufeff订单号,重量\n".encode(), "订单号,重量\n"),  # Excel's "CSV UTF-8": BOM dropped
        ("订单号,重量\n".encode("gbk"), "订单号,重量\n"),  # Chinese Excel's plain "CSV"
    ],
)
def test_csv_text_reads_utf8_and_gbk(data, text):
    assert csv_text(data, max_bytes=1024) == text


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"x" * 2 * 1024 * 1024 + b"x", "larger than 2 MB"),
        (b"PK\x03\x04rest of a zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0rest of an xls", "Excel workbook"),
        ("订单号".encode("utf-16"), "UTF-16"),
        (b"order,weight\n\x00\x01", "binary data"),
        (b"  \n\n", "empty"),
        (b"\x81\xff\xfa\xfb" * 3, "neither UTF-8 nor GBK"),
    ],
)
def test_csv_text_refuses_what_is_not_a_csv_file_with_the_reason(data, fragment):
    with translation.override("en"), pytest.raises(CsvUnreadable) as refused:
        csv_text(data, max_bytes=2 * 1024 * 1024)
    assert fragment in str(refused.value.message)
