"""The authorisation letters, read back with poppler's pdftotext (the embedded font keeps the
text extractable), pdffonts, and pypdf for the page structure."""

import datetime
import io
import re
import subprocess
from dataclasses import replace

import pytest
from pypdf import PdfReader

from onboarding.letters import (
    LetterParty,
    agency_authorisation_letter_pdf,
    authorisation_letter_pdf,
    chinese_date,
)
from tests.pdfs import fonts

SELLER = LetterParty(
    company_name="深圳市前海经络跨境电子商务有限公司",
    uscc="91440300MA5G8XKT3B",
    address="广东省深圳市南山区粤海街道科技园社区科苑路15号",
    legal_representative="张伟",
)
AGENCY = LetterParty(
    company_name="杭州云帆电商运营服务有限公司",
    uscc="91330106MA2H0XYZ7Q",
    address="浙江省杭州市西湖区文三路478号华星时代广场A座12层1201室",
    legal_representative="欧阳娜娜",
)
LONG_ADDRESS = (
    "广东省深圳市前海深港合作区南山街道桂湾片区二单元前海卓越金融中心（一期）8号楼1801室，"
    "另设办公地址：深圳市南山区粤海街道科技园社区科苑路15号科兴科学园B栋3单元20层2001-2005号"
)
ISSUED_ON = datetime.date(2026, 11, 25)


def letter(**overrides) -> bytes:
    arguments = {
        "seller": SELLER,
        "platform_label": "AliExpress 速卖通",
        "store_id": "1102345678",
        "issued_on": ISSUED_ON,
        "reference": "JL-2026-000123",
    } | overrides
    return authorisation_letter_pdf(**arguments)


def agency_letter(**overrides) -> bytes:
    arguments = {
        "seller": SELLER,
        "agency": AGENCY,
        "platform_label": "TikTok Shop",
        "store_id": "GBLCXYZ123",
        "issued_on": ISSUED_ON,
        "reference": "JL-2026-000124",
    } | overrides
    return agency_authorisation_letter_pdf(**arguments)


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """Text of the PDF as poppler reads it; `layout` keeps each printed line on one line."""
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


def without_whitespace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def test_authorisation_letter_is_a_one_page_a4_pdf():
    pdf = letter()

    assert pdf.startswith(b"%PDF-")
    [page] = pages(pdf)
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_authorisation_letter_carries_the_seller_the_store_and_the_reference():
    text = pdf_text(letter())
    lines = [line.strip() for line in text.splitlines()]

    assert "物流服务授权书" in lines
    assert "编号：JL-2026-000123" in lines
    assert "签发日期：2026年11月25日" in lines
    for expected in [
        "授权方（甲方）",
        "深圳市前海经络跨境电子商务有限公司",
        "91440300MA5G8XKT3B",
        "广东省深圳市南山区粤海街道科技园社区科苑路15号",
        "张伟",
        "被授权方（乙方）",
        "经络速通（Jingluo Express）",
        "AliExpress 速卖通",
        "1102345678",
        "法定代表人签字：",
        "（公章）",
    ]:
        assert expected in text, expected
    # What is authorised, read through line wraps.
    body = without_whitespace(text)
    for expected in [
        "甲方授权乙方为上述店铺的订单承运跨境包裹",
        "甲方授权乙方读取上述店铺的物流指标，包括好评率、DSR物流分及履约分",
        "以人民币（RMB）向甲方收取物流服务费用，不收取开户费、对接费或年费",
        "结算方式为月结（T+15）或实时扣款",
        "本授权书自2026年11月25日起生效，至甲方书面撤销之日止",
    ]:
        assert expected in body, expected
    # The 受托方 wording belongs to the agency letter only.
    assert "受托方" not in text


def test_agency_letter_names_both_parties_and_both_sign():
    pdf = agency_letter()
    text = pdf_text(pdf)

    assert len(pages(pdf)) == 1
    assert "委托物流服务授权书" in [line.strip() for line in text.splitlines()]
    for expected in [
        "委托方（甲方）",
        "深圳市前海经络跨境电子商务有限公司",
        "91440300MA5G8XKT3B",
        "张伟",
        "受托方（乙方）",
        "杭州云帆电商运营服务有限公司",
        "91330106MA2H0XYZ7Q",
        "浙江省杭州市西湖区文三路478号华星时代广场A座12层1201室",
        "欧阳娜娜",
        "经络速通（Jingluo Express）",
        "TikTok Shop",
        "GBLCXYZ123",
        "编号：JL-2026-000124",
        "签发日期：2026年11月25日",
    ]:
        assert expected in text, expected
    body = without_whitespace(text)
    for expected in [
        "已委托乙方代运营该店铺。现甲方授权乙方代表甲方，就上述店铺的物流服务与经络速通",
        "并读取该店铺的物流指标（好评率、DSR物流分、履约分）",
        "不收取开户费、对接费或年费",
        "本授权书自2026年11月25日起生效，至甲方书面撤销之日止",
    ]:
        assert expected in body, expected
    # Two signature blocks: each party's legal representative signs and each stamps.
    assert text.count("法定代表人签字：") == 2
    assert text.count("（公章）") == 2
    assert text.count("日期：________年______月______日") == 2


@pytest.mark.parametrize("make", [letter, agency_letter], ids=["letter", "agency"])
def test_a_long_address_wraps_on_the_page_without_losing_a_character(make):
    seller = LetterParty(
        company_name="深圳市前海经络跨境电子商务供应链管理集团股份有限公司第一分公司",
        uscc=SELLER.uscc,
        address=LONG_ADDRESS,
        legal_representative="欧阳建国",
    )
    overrides = {"seller": seller}
    if make is agency_letter:
        overrides["agency"] = LetterParty(
            company_name=AGENCY.company_name,
            uscc=AGENCY.uscc,
            address=LONG_ADDRESS,
            legal_representative=AGENCY.legal_representative,
        )
    pdf = make(**overrides)
    text = pdf_text(pdf, layout=False)

    assert len(pages(pdf)) == 1
    assert LONG_ADDRESS not in text  # it did not fit on one line …
    assert LONG_ADDRESS in without_whitespace(text)  # … and every character is on the page
    assert seller.company_name in without_whitespace(text)


def test_markup_characters_in_company_data_are_printed_not_interpreted():
    seller = LetterParty(
        company_name="A&B <跨境> 贸易有限公司",
        uscc=SELLER.uscc,
        address="上海市浦东新区 <b>世纪大道</b> 100号 & 200号",
        legal_representative="王五",
    )

    text = pdf_text(letter(seller=seller))

    assert "A&B <跨境> 贸易有限公司" in text
    assert "上海市浦东新区 <b>世纪大道</b> 100号 & 200号" in text


def test_the_same_input_gives_the_same_bytes():
    assert letter() == letter()
    assert agency_letter() == agency_letter()
    assert letter() != letter(reference="JL-2026-000999")


def test_pdf_metadata_names_the_letter_and_reference():
    metadata = PdfReader(io.BytesIO(letter())).metadata

    assert metadata.title == "物流服务授权书 JL-2026-000123"
    assert metadata.subject == "JL-2026-000123"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 25), "2026年11月25日"),
        (datetime.date(2026, 3, 5), "2026年3月5日"),
    ],
)
def test_chinese_date(day, expected):
    assert chinese_date(day) == expected


def test_every_font_is_embedded_and_a_character_the_font_lacks_prints_as_a_mark():
    pdf = letter(seller=replace(SELLER, company_name="深圳市鑫😀贸易有限公司"))

    assert fonts(pdf) and all(embedded for _, embedded in fonts(pdf)), fonts(pdf)
    assert "深圳市鑫?贸易有限公司" in without_whitespace(pdf_text(pdf))
