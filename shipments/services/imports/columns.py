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
    Column(
        "description",
        "品名",
        True,
        gettext_lazy(
            "one item per row, in English (what it is, e.g. cotton T-shirt); rows with the same "
            "order number are the items of one parcel"
        ),
        ("物品", "内容", "contents", "英文品名", "item_description"),
    ),
    Column("description_zh", "中文品名", False, gettext_lazy("optional"), ("品名(中文)",)),
    Column("quantity", "数量", False, gettext_lazy("whole number, 1 by default"), ("件数",)),
    Column(
        "unit_value",
        "单价",
        True,
        gettext_lazy("the item's unit value, e.g. 12.50"),
        ("申报价值", "申报价值(美元)", "申报价值(usd)", "declared_value", "申报单价"),
    ),
    Column(
        "currency",
        "币种",
        False,
        gettext_lazy("ISO code, USD by default (one currency per parcel)"),
        ("货币",),
    ),
    Column(
        "unit_weight_g",
        "单件重量(克)",
        False,
        gettext_lazy("grams per item; by default the parcel's weight for a one-item parcel"),
        ("单件重量(g)", "单件重量"),
    ),
    Column(
        "hs_code",
        "海关编码",
        False,
        gettext_lazy("HS code, 6 to 10 digits (e.g. 610910)"),
        ("hs编码", "hs", "商品编码", "海关商品编码"),
    ),
    Column("origin_country", "原产国", False, gettext_lazy("two-letter ISO code, CN by default")),
    Column("sku", "SKU", False, gettext_lazy("the product's SKU"), ("商品编码sku", "货号")),
    Column("gtin", "GTIN", False, gettext_lazy("EAN/UPC, optional"), ("ean", "upc", "条码")),
    Column("mpn", "MPN", False, gettext_lazy("manufacturer part number, optional"), ("型号",)),
    Column(
        "contains_battery",
        "带电",
        False,
        gettext_lazy("yes when the item contains lithium batteries"),
        ("含电池", "battery"),
    ),
    Column(
        "state",
        "州/省",
        False,
        gettext_lazy("required where the destination needs it (US: CA, NY …)"),
        ("州", "省", "州省"),
    ),
    Column("address2", "地址2", False, gettext_lazy("optional"), ("地址行2",)),
    Column("recipient_email", "邮箱", False, gettext_lazy("optional"), ("收件人邮箱", "email")),
    Column(
        "incoterm",
        "贸易条款",
        False,
        gettext_lazy("DDU (default) or DDP"),
        ("incoterms",),
    ),
    Column(
        "ioss_number",
        "IOSS",
        False,
        gettext_lazy("the marketplace's IOSS number, for EU parcels up to €150"),
        ("ioss号",),
    ),
    Column(
        "uk_vat_number",
        "英国VAT",
        False,
        gettext_lazy("the marketplace's UK VAT number, for UK parcels up to £135"),
        ("uk_vat", "英国增值税号"),
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
# The values of an item line; the others are the order's (read from its first row).
ITEM_COLUMNS = (
    "description",
    "description_zh",
    "quantity",
    "unit_value",
    "currency",
    "unit_weight_g",
    "hs_code",
    "origin_country",
    "sku",
    "gtin",
    "mpn",
    "contains_battery",
)


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
