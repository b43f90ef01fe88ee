"""The columns of a file of orders: English names, the Chinese headers of the template and
other Chinese names sellers' spreadsheets use, and what goes in each."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str  # the Chinese header of the template
    required: bool
    help: StrOrPromise  # lazy
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "order_number",
        "订单号",
        True,
        gettext_lazy("the platform order number, up to 64 characters; one shipment per order"),
        ("订单编号", "平台订单号"),
    ),
    Column("recipient_name", "收件人", True, gettext_lazy("up to 100 characters"), ("收件人姓名",)),
    Column("recipient_phone", "电话", False, gettext_lazy("optional"), ("收件人电话", "联系电话")),
    Column("address", "地址", True, gettext_lazy("street and number"), ("收件地址", "详细地址")),
    Column("city", "城市", True, gettext_lazy("up to 100 characters")),
    Column(
        "postcode",
        "邮编",
        False,
        gettext_lazy("required for the US: a 5-digit ZIP code, e.g. 94105"),
        ("邮政编码",),
    ),
    Column(
        "country",
        "国家",
        True,
        gettext_lazy("two-letter ISO code (US, GB, DE, SG …) or its Chinese name (美国)"),
        ("国家代码", "目的国"),
    ),
    Column(
        "weight_g",
        "重量(克)",
        True,
        gettext_lazy("whole grams, more than 0"),
        ("重量(g)", "重量"),
    ),
    Column(
        "length_cm",
        "长",
        False,
        gettext_lazy("cm, at most 200; give all three sides or none"),
        ("长(厘米)", "长(cm)"),
    ),
    Column("width_cm", "宽", False, gettext_lazy("cm"), ("宽(厘米)", "宽(cm)")),
    Column("height_cm", "高", False, gettext_lazy("cm"), ("高(厘米)", "高(cm)")),
    Column("contents", "品名", True, gettext_lazy("what is in the parcel"), ("物品", "内容")),
    Column(
        "declared_value",
        "申报价值",
        True,
        gettext_lazy("USD, e.g. 12.50"),
        ("申报价值(美元)", "申报价值(usd)"),
    ),
    Column(
        "origin",
        "发货地",
        False,
        gettext_lazy(
            "east (华东, the default), south (华南), north (华北), central (华中), southwest (西南)"
        ),
        ("发货地区",),
    ),
)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)


def header_key(text: str) -> str:
    text = str(text).replace("\ufeff", "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*＊_]+", "", text).lower()


HEADER_NAMES = {
    header_key(name): column.name
    for column in COLUMNS
    for name in (column.name, column.label, *column.aliases)
}


def column_label(name: str) -> str:
    label = next(c.label for c in COLUMNS if c.name == name)
    return f"{name} ({label})"
