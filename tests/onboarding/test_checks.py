"""Every automatic check, each outcome, with the evidence it gives."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from onboarding.checks import CHECKS, CHECKS_BY_CODE, CheckContext
from onboarding.models import Application
from platforms.models import AliExpressTier, Platform, TikTokSite

from .factories import valid_id_number, valid_uscc

TODAY = datetime.date(2026, 11, 25)
USCC = valid_uscc(1)
ID = valid_id_number(1)


def app(**changes) -> Application:
    fields = {
        "company_name": "深圳市经络测试贸易有限公司",
        "uscc": USCC,
        "registered_address": "深圳市南山区科技园路1号（A栋）",
        "tax_address": "深圳市南山区科技园路1号(A栋)",
        "business_scope": "货物进出口；技术进出口",
        "legal_rep_name": "张伟",
        "legal_rep_id_number": ID,
        "legal_rep_id_expiry": datetime.date(2035, 1, 1),
        "platform": Platform.ALIEXPRESS,
        "store_id": "AE1",
        "aliexpress_tier": AliExpressTier.KA,
        "aliexpress_store_level": 3,
    }
    return Application(**{**fields, **changes})


LICENCE = {
    "uscc": USCC,
    "uscc_valid": True,
    "name": "深圳市经络测试贸易有限公司",
    "entity_type": "有限责任公司",
    "legal_representative": "张 伟",
    "business_scope": "一般经营项目是：货物进出口；技术进出口",
    "address": "深圳市南山区科技园路1号(A栋)",
    "established": "2015-03-12",
}
ID_FRONT = {"name": "张伟", "id_number": ID}
ID_BACK = {"valid_from": "2015-01-01", "valid_until": "2035-01-01"}


def metrics(**changes):
    values = {
        "as_of": datetime.date(2026, 11, 24),
        "positive_rating_pct": Decimal("97.20"),
        "dsr_logistics": Decimal("4.85"),
        "store_level": "L3",
        "aliexpress_tier": "ka",
        "lazada_official_warehouse": None,
        "temu_full_custody_whitelisted": None,
        "tiktok_site": "",
        "tiktok_logistics_partner": None,
    }
    return SimpleNamespace(**{**values, **changes})


def run(
    code, application=None, *, licence=LICENCE, id_front=ID_FRONT, id_back=ID_BACK, m="default"
):
    ctx = CheckContext(
        application=application or app(),
        today=TODAY,
        licence=licence,
        id_front=id_front,
        id_back=id_back,
        metrics=metrics() if m == "default" else m,
    )
    return CHECKS_BY_CODE[code].run(ctx)


def test_the_checks_run_in_a_fixed_order():
    assert [c.code for c in CHECKS] == [
        "uscc_matches",
        "enterprise",
        "scope_import_export",
        "licence_name_matches",
        "licence_address_matches",
        "licence_tax_address_match",
        "legal_rep_matches",
        "legal_rep_id_valid_90_days",
        "platform_requirement",
        "store_fulfilment_level",
    ]


def test_a_consistent_application_passes_every_check():
    assert {c.code: run(c.code).status for c in CHECKS} == {c.code: "pass" for c in CHECKS}


def test_uscc_matches():
    other = valid_uscc(2)
    assert run("uscc_matches", licence={**LICENCE, "uscc": other}).status == "fail"
    assert run("uscc_matches", licence={**LICENCE, "uscc_valid": False}).status == "needs_review"
    assert run("uscc_matches", licence={}).evidence["problem"] == "not_read"
    bad = run("uscc_matches", app(uscc=USCC[:-1] + ("0" if USCC[-1] != "0" else "1")))
    assert (bad.status, bad.evidence["problem"]) == ("fail", "typed_invalid")


def test_an_individual_business_is_refused():
    code = valid_uscc(3, prefix="92")
    result = run("enterprise", app(uscc=code), licence={**LICENCE, "uscc": code})
    assert (result.status, result.evidence["uscc_prefix"]) == ("fail", "92")
    typed_as_company = run("enterprise", licence={**LICENCE, "entity_type": "个体工商户"})
    assert typed_as_company.status == "fail"
    public_body = valid_uscc(4, prefix="11")
    assert run("enterprise", app(uscc=public_body), licence={}).status == "fail"


def test_scope_must_contain_import_export():
    no_trade = {**LICENCE, "business_scope": "日用百货销售"}
    assert run("scope_import_export", licence=no_trade).status == "fail"
    assert run("scope_import_export", licence={}).status == "needs_review"
    assert run("scope_import_export", app(business_scope="日用百货"), licence={}).status == "fail"
    spaced = {**LICENCE, "business_scope": "货 物 进 出 口"}
    assert run("scope_import_export", licence=spaced).status == "pass"


def test_name_and_address_compare_ignoring_width_spaces_and_brackets():
    assert (
        run(
            "licence_name_matches", licence={**LICENCE, "name": "深圳市经络测试贸易有限公司 "}
        ).status
        == "pass"
    )
    assert (
        run("licence_name_matches", licence={**LICENCE, "name": "深圳市经络贸易有限公司"}).status
        == "fail"
    )
    assert run("licence_name_matches", licence={}).status == "needs_review"
    full_width = {**LICENCE, "address": "深圳市南山区科技园路１号（Ａ栋）"}
    assert run("licence_address_matches", licence=full_width).status == "pass"
    assert (
        run("licence_address_matches", licence={**LICENCE, "address": "深圳市福田区"}).status
        == "fail"
    )


def test_licence_and_tax_addresses_must_match():
    result = run("licence_tax_address_match", app(tax_address="深圳市福田区深南大道2号"))
    assert result.status == "fail"
    assert result.evidence == {
        "registered": "深圳市南山区科技园路1号（A栋）",
        "tax": "深圳市福田区深南大道2号",
    }


def test_the_id_card_must_be_the_legal_representatives():
    assert run("legal_rep_matches", id_front={"name": "李娜", "id_number": ID}).status == "fail"
    other_id = valid_id_number(2)
    assert (
        run("legal_rep_matches", id_front={"name": "张伟", "id_number": other_id}).status == "fail"
    )
    assert (
        run("legal_rep_matches", licence={**LICENCE, "legal_representative": "王芳"}).status
        == "fail"
    )
    assert run("legal_rep_matches", id_front={}).status == "needs_review"


def test_a_licence_representative_the_reading_was_unsure_of_needs_a_person():
    unsure = {**LICENCE, "legal_representative": None, "unsure": {"legal_representative": "vote"}}
    assert run("legal_rep_matches", licence=unsure).status == "needs_review"
    # typed by hand by operations: no longer unsure, the check compares again
    typed = {**LICENCE, "unsure": {}}
    assert run("legal_rep_matches", licence=typed).status == "pass"


@pytest.mark.parametrize(
    ("valid_until", "status"),
    [
        ("2027-02-23", "pass"),  # today + 90 days
        ("2027-02-22", "fail"),  # one day short
        (None, "pass"),  # 长期
    ],
)
def test_id_must_be_valid_90_days(valid_until, status):
    result = run(
        "legal_rep_id_valid_90_days",
        id_back={"valid_from": "2007-02-22", "valid_until": valid_until},
    )
    assert result.status == status
    assert result.evidence["must_be_valid_until"] == "2027-02-23"


def test_id_expiry_not_read_falls_back_to_what_was_typed():
    soon = app(legal_rep_id_expiry=datetime.date(2027, 1, 1))
    assert run("legal_rep_id_valid_90_days", soon, id_back={}).status == "fail"
    assert run("legal_rep_id_valid_90_days", id_back={}).status == "needs_review"


@pytest.mark.parametrize(
    ("application", "m", "status"),
    [
        (app(), metrics(), "pass"),
        (app(), metrics(store_level="L2"), "fail"),
        (app(), metrics(aliexpress_tier="other"), "fail"),
        (app(), None, "needs_review"),  # declared KA L3, no feed yet
        (app(aliexpress_store_level=2), None, "fail"),
        (app(platform=Platform.LAZADA, lazada_official_warehouse=True), None, "needs_review"),
        (app(platform=Platform.LAZADA), metrics(lazada_official_warehouse=True), "pass"),
        (
            app(platform=Platform.LAZADA, lazada_official_warehouse=True),
            metrics(lazada_official_warehouse=False),
            "fail",
        ),
        (app(platform=Platform.TEMU), metrics(temu_full_custody_whitelisted=True), "pass"),
        (app(platform=Platform.TEMU, temu_whitelisted=False), None, "fail"),
        (
            app(platform=Platform.TIKTOK),
            metrics(tiktok_site="us", tiktok_logistics_partner=True),
            "pass",
        ),
        (
            app(platform=Platform.TIKTOK),
            metrics(tiktok_site="other", tiktok_logistics_partner=True),
            "fail",
        ),
        (
            app(
                platform=Platform.TIKTOK, tiktok_site=TikTokSite.UK, tiktok_logistics_partner=False
            ),
            None,
            "fail",
        ),
    ],
)
def test_platform_requirement(application, m, status):
    assert run("platform_requirement", application, m=m).status == status


@pytest.mark.parametrize(
    ("rating", "dsr", "status"),
    [("96.50", "4.80", "pass"), ("96.49", "4.90", "fail"), ("99.00", "4.79", "fail")],
)
def test_store_fulfilment_level(rating, dsr, status):
    m = metrics(positive_rating_pct=Decimal(rating), dsr_logistics=Decimal(dsr))
    assert run("store_fulfilment_level", m=m).status == status


def test_store_fulfilment_level_without_metrics_needs_review():
    assert run("store_fulfilment_level", m=None).status == "needs_review"
