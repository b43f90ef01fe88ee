"""Who bills and where sellers pay: printed on every statement and on the seller's billing
page. Placeholders for the demo: the real account is configured here before going live."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Payee:
    name: str
    name_en: str
    uscc: str
    address: str
    phone: str
    bank: str
    account_name: str
    account_number: str


CARRIER = Payee(
    name="经络速通（深圳）供应链管理有限公司",
    name_en="Jingluo Express (Shenzhen) Supply Chain Management Co., Ltd.",
    uscc="91440300MA5JLSTX0K",
    address="广东省深圳市南山区粤海街道科技园路 1 号",
    phone="400-800-0000",
    bank="招商银行深圳分行营业部",
    account_name="经络速通（深圳）供应链管理有限公司",
    account_number="7559 0000 0000 0000",
)
