"""Which parcels cross a customs border: from China, every one; from an overseas warehouse,
those leaving its country, unless both ends are in a customs union in force (the EU's, data
operations edit). Inside one, no border rule applies and no declaration is made."""

import datetime

import pytest

from core.gate import Parcel, ParcelItem
from customs.models import CustomsRule, RuleKind
from customs.selectors import CustomsBook
from pricing.models import OriginKind
from pricing.rates import pricing_cache_clear_local
from pricing.services import origin_create

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 12, 1)
ITEM = ParcelItem(
    description="Cotton T-shirt", quantity=1, unit_value=10, currency="USD", unit_weight_g=200
)


@pytest.fixture(autouse=True)
def _warehouses():
    pricing_cache_clear_local()
    for code, country in (("wh-defra", "DE"), ("wh-uslax", "US")):
        origin_create(code=code, name=code, kind=OriginKind.WAREHOUSE, country=country)
    yield
    pricing_cache_clear_local()


def _facts(origin: str, country: str):
    parcel = Parcel(origin=origin, country=country, postcode="", weight_g=200, items=(ITEM,))
    return CustomsBook.load(seller=None, on=ON).facts_for(parcel)


@pytest.mark.parametrize(
    ("origin", "country", "border", "form"),
    [
        ("east", "DE", True, "CN22"),
        ("east", "US", True, "CN22"),
        ("wh-defra", "DE", False, ""),
        ("wh-defra", "FR", False, ""),  # the EU customs union
        ("wh-defra", "GB", True, "CN22"),
        ("wh-defra", "US", True, "CN22"),
        ("wh-uslax", "US", False, ""),
    ],
)
def test_a_border_is_crossed_or_not(origin, country, border, form):
    facts = _facts(origin, country)
    assert (facts.crosses_border, facts.form) == (border, form)
    if not border:  # no border rule at all
        assert facts.hs_code_min_digits is None
        assert not facts.ioss_applies and not facts.uk_vat_applies
        assert facts.ioss_number == "" and facts.uk_vat_number == ""


def test_the_customs_union_is_data():
    CustomsRule.objects.filter(kind=RuleKind.CUSTOMS_UNION).update(
        effective_to=datetime.date(2026, 6, 30)
    )
    assert _facts("wh-defra", "FR").crosses_border
    assert not _facts("wh-defra", "DE").crosses_border  # one country needs no rule
