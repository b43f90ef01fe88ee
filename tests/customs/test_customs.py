"""Customs: item lines, addresses by destination, IOSS / UK VAT, product identifiers,
lithium batteries on lanes, the rules' effective dates and the FX table — each refusal named
by the gate and explained by the diagnostics tool."""

import datetime
from decimal import Decimal

import pytest

from core.gate import gate
from customs.models import CustomsRule, FxRate, GenericTerm, RuleKind
from customs.services import tax_registration_set
from customs.validation import InvalidCustomsInput
from shipments.exceptions import InvalidOrder, OrderRefused
from shipments.models import RefusedOrder, Shipment
from tests.diagnostics.scenarios import refuse_then_diagnose
from tests.shipments.factories import AUGUST, create_shipment, parcel, store_ready

pytestmark = pytest.mark.django_db

BERLIN = {"country": "DE", "postcode": "10115", "city": "Berlin", "address": "Unter den Linden 1"}
LONDON = {"country": "GB", "postcode": "SW1A 1AA", "city": "London", "address": "1 The Mall"}


@pytest.fixture
def store():
    return store_ready()


def refused(store, **overrides) -> OrderRefused:
    with pytest.raises(OrderRefused) as error:
        create_shipment(store, **overrides)
    return error.value


# --- the article's cases ------------------------------------------------------------------
def test_a_us_parcel_with_a_state_and_two_items_ships_with_its_items(store):
    shipment = create_shipment(
        store,
        weight_g=1000,
        items=[
            {"description": "Cotton T-shirt", "quantity": "2", "unit_weight_g": "200"},
            {
                "description": "Phone case",
                "unit_value": "4.00",
                "hs_code": "420232",
                "unit_weight_g": "80",
                "sku": "PC-1",
            },
        ],
    )
    assert (shipment.state, shipment.customs_form, shipment.declared_currency) == (
        "CA",
        "CN22",
        "USD",
    )
    assert shipment.declared_value == Decimal("29.00")
    assert [(i.position, i.quantity, i.hs_code) for i in shipment.items.all()] == [
        (1, 2, "610910"),
        (2, 1, "420232"),
    ]


def test_an_eu_parcel_of_120_eur_without_ioss_is_refused_and_the_tool_says_why(store):
    code, diagnosis = refuse_then_diagnose(
        store,
        order_number="AE-EU-120",
        ioss_number="",
        items=[{"unit_value": "120.00", "currency": "EUR"}],
        **BERLIN,
    )
    assert code == diagnosis.root_cause.code == "eu_ioss_required"
    step = next(s for s in diagnosis.steps() if s.code == "eu_ioss_required")
    assert "IOSS" in step.fix and step.fix_url == "/customs/registrations/"
    assert dict(step.evidence)  # value, limit and the rates, shown
    refusal = RefusedOrder.objects.get(order_number="AE-EU-120")
    assert refusal.evidence["value"] == "120.00" and refusal.evidence["limit"] == "150.00"


def test_the_same_parcel_with_the_marketplaces_ioss_passes_and_keeps_it(store):
    shipment = create_shipment(
        store,
        ioss_number="IM2760000001",
        items=[{"unit_value": "120.00", "currency": "EUR"}],
        **BERLIN,
    )
    assert shipment.ioss_number == "IM2760000001"
    # the rates compared: EUR for the IOSS limit, XDR for CN22 or CN23
    assert shipment.fx_rates == {"on": "2026-08-15", "EUR": "7.700000", "XDR": "9.600000"}


def test_the_sellers_own_ioss_is_used_when_the_order_carries_none(store):
    tax_registration_set(seller=store.seller, kind="ioss", number="IM 372 000 0123")
    shipment = create_shipment(store, ioss_number="", **BERLIN)
    assert shipment.ioss_number == "IM3720000123"


def test_ddp_needs_no_ioss(store):
    assert create_shipment(store, ioss_number="", incoterm="DDP", **BERLIN).incoterm == "DDP"


def test_a_uk_parcel_without_a_vat_number_is_refused(store):
    assert refused(store, uk_vat_number="", **LONDON).code == "uk_vat_required"
    tax_registration_set(seller=store.seller, kind="uk_vat", number="GB980780684")
    assert create_shipment(store, uk_vat_number="", **LONDON).uk_vat_number == "GB980780684"


def test_above_the_uk_limit_no_vat_number_is_needed(store):
    shipment = create_shipment(
        store, uk_vat_number="", items=[{"unit_value": "140.00", "currency": "GBP"}], **LONDON
    )
    assert shipment.uk_vat_number == ""


# --- the IOSS limit, compared in euros through the FX table --------------------------------
@pytest.mark.parametrize(
    ("value", "currency", "code"),
    [
        ("150.00", "EUR", None),  # exactly the limit: IOSS may be used
        ("150.01", "EUR", "eu_ioss_over_limit"),
        # 162.68 USD × 7.10 / 7.70 = 150.0036… → 150.00 EUR; 162.69 → 150.0128… → 150.01
        ("162.68", "USD", None),
        ("162.69", "USD", "eu_ioss_over_limit"),
    ],
)
def test_the_ioss_limit_at_the_cent(store, value, currency, code):
    overrides = {"items": [{"unit_value": value, "currency": currency}], **BERLIN}
    if code is None:
        assert create_shipment(store, **overrides).ioss_number == "IM2760000001"
    else:
        assert refused(store, **overrides).code == code


def test_the_rate_a_shipment_used_is_the_one_in_force_on_its_date(store):
    FxRate.objects.create(
        currency="EUR", cny_per_unit=Decimal("8.00"), effective_from=datetime.date(2026, 8, 10)
    )
    shipment = create_shipment(store, items=[{"unit_value": "155.00", "currency": "USD"}], **BERLIN)
    # 155 × 7.10 / 8.00 = 137.56 EUR under the new rate (it was 142.92 under 7.70)
    assert shipment.fx_rates == {
        "on": "2026-08-15",
        "EUR": "8.000000",
        "USD": "7.100000",
        "XDR": "9.600000",
    }
    early = create_shipment(
        store, at=AUGUST - datetime.timedelta(days=10), items=[{"unit_value": "155.00"}], **BERLIN
    )
    assert early.fx_rates["EUR"] == "7.700000"


# --- effective dates -----------------------------------------------------------------------
def test_hs_codes_are_required_from_the_rule_s_date_only(store):
    assert refused(store, items=[{"hs_code": ""}]).code == "hs_code_missing"
    before = AUGUST.replace(year=2025, month=8)
    assert create_shipment(store, at=before, items=[{"hs_code": ""}]).items.get().hs_code == ""


def test_eu_product_ids_are_required_from_2026_11_01(store):
    october = datetime.datetime(2026, 10, 31, 12, 0, tzinfo=datetime.UTC)
    november = datetime.datetime(2026, 11, 1, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai
    create_shipment(store, at=october, items=[{"sku": ""}], **BERLIN)
    assert refused(store, at=november, items=[{"sku": ""}], **BERLIN).code == "product_ids_missing"
    # not in the US
    create_shipment(store, at=november, items=[{"sku": ""}])


def test_operations_edit_a_rule_and_the_gate_follows(store):
    CustomsRule.objects.filter(kind=RuleKind.IOSS_LIMIT).update(amount=Decimal("100.00"))
    assert refused(store, items=[{"unit_value": "120.00", "currency": "EUR"}], **BERLIN).code == (
        "eu_ioss_over_limit"
    )


# --- descriptions, batteries, addresses ---------------------------------------------------
@pytest.mark.parametrize(
    ("description", "generic"),
    [
        ("Gift", True),
        ("N/A", True),
        ("parts and accessories", True),
        ("GOODS", True),
        ("Car parts", False),
        ("Phone accessories: silicone case", False),
    ],
)
def test_generic_descriptions_are_refused(store, description, generic):
    overrides = {"items": [{"description": description}]}
    if generic:
        error = refused(store, **overrides)
        assert error.code == "item_description_generic" and error.evidence["items"] == [1]
    else:
        create_shipment(store, **overrides)


def test_operations_add_a_generic_term(store):
    create_shipment(store, items=[{"description": "Widget"}])
    GenericTerm.objects.create(term="widget")
    assert refused(store, items=[{"description": "Widget"}]).code == "item_description_generic"


def test_batteries_ship_on_lanes_that_carry_them_only(store):
    battery = {
        "items": [{"description": "Power bank", "hs_code": "850760", "contains_battery": True}]
    }
    assert create_shipment(store, **battery).items.get().contains_battery is True  # US lane
    error = refused(store, country="SG", postcode="546080", city="Singapore", **battery)
    assert error.code == "battery_not_on_lane"
    assert error.evidence == {"lane": "east/sea/standard", "battery_items": [1]}


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"state": ""}, ["state"]),
        ({"state": "ZZ"}, ["state"]),
        ({"state": "NY"}, ["postcode"]),  # 94105 is a Californian ZIP
        ({"city": ""}, ["city"]),
        ({"country": "GB", "postcode": "NOT A CODE", "state": ""}, ["postcode"]),
        ({"country": "DE", "postcode": "1011", "state": ""}, ["postcode"]),
    ],
)
def test_an_incomplete_address_is_refused_as_such_never_as_no_lane(store, overrides, fields):
    error = refused(store, **overrides)
    assert error.code == "address_incomplete"
    assert error.evidence["fields"] == fields


def test_a_state_typed_as_its_name_or_in_full_width_is_its_code(store):
    assert create_shipment(store, state="California").state == "CA"
    assert create_shipment(store, state="ｃａ", postcode="９４１０５").postcode == "94105"


# --- bad input: a clear message naming the item row, nothing created ----------------------
@pytest.mark.parametrize(
    ("item", "field", "fragment"),
    [
        ({"hs_code": "6109AB"}, "hs_code", "6 to 10 digits"),
        ({"hs_code": "61091"}, "hs_code", "6 to 10 digits"),
        ({"hs_code": "61091000001"}, "hs_code", "6 to 10 digits"),
        ({"quantity": "0"}, "quantity", "whole number"),
        ({"quantity": "1.5"}, "quantity", "whole number"),
        ({"unit_value": "-3"}, "unit_value", "greater than 0"),
        ({"currency": "XYZ"}, "currency", "Unknown currency"),
        ({"unit_weight_g": "600"}, "unit_weight_g", "more than the parcel"),
        ({"gtin": "4006381333932"}, "gtin", "GTIN"),
        ({"origin_country": "ZZ"}, "origin_country", "origin"),
        ({"description": ""}, "description", "Describe"),
    ],
)
def test_bad_item_input_names_the_item_and_creates_nothing(store, item, field, fragment):
    with pytest.raises(InvalidOrder) as error:
        parcel(items=[{}, item])
    assert error.value.field == f"items[1].{field}"
    assert "Item 2" in str(error.value.message) and fragment in str(error.value.message)
    assert not Shipment.objects.exists() and not RefusedOrder.objects.exists()


def test_at_most_200_item_lines_and_one_currency(store):
    with pytest.raises(InvalidOrder) as error:
        parcel(weight_g=100_000, items=[{"unit_weight_g": "1"}] * 201)
    assert "200" in str(error.value.message)
    assert len(parcel(weight_g=100_000, items=[{"unit_weight_g": "1"}] * 200).items) == 200
    with pytest.raises(InvalidOrder) as error:
        parcel(items=[{}, {"currency": "EUR"}])
    assert error.value.field == "items[1].currency"


@pytest.mark.parametrize(
    ("field", "value"),
    [("ioss_number", "IM9990000001"), ("ioss_number", "IM27600000"), ("uk_vat_number", "GB12345")],
)
def test_a_tax_number_that_cannot_be_right_is_refused(field, value):
    with pytest.raises(InvalidOrder) as error:
        parcel(**{field: value})
    assert error.value.field == field


def test_a_registration_that_cannot_be_right_changes_nothing(store):
    with pytest.raises(InvalidCustomsInput):
        tax_registration_set(seller=store.seller, kind="uk_vat", number="GB12")
    assert not store.seller.tax_registrations.exists()


def test_every_customs_check_is_in_the_gate_with_a_fix():
    for code in (
        "address_incomplete",
        "battery_not_on_lane",
        "hs_code_missing",
        "item_description_generic",
        "product_ids_missing",
        "eu_ioss_required",
        "eu_ioss_over_limit",
        "uk_vat_required",
    ):
        check = gate.get(code)
        assert str(check.title) and str(check.fix)
