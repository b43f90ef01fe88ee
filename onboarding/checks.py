"""The automatic checks run after the documents are read (DOMAIN.md §1).

Each check is named, has a title and a fix in Chinese and English, and returns pass, fail
or needs review with the evidence it used. They run in the order of ``CHECKS``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from stdnum.cn import uscc as uscc_std

from platforms.models import AliExpressTier, Platform, StoreMetricsSnapshot, TikTokSite

from .models import Application, CheckStatus, DocumentKind
from .normalise import normalise_text, same_text

ID_MIN_DAYS_VALID = 90
MIN_POSITIVE_RATING = Decimal("96.5")
MIN_DSR = Decimal("4.8")
MIN_ALIEXPRESS_LEVEL = 3
IMPORT_EXPORT_SCOPE = "货物进出口"

PASS, FAIL, REVIEW = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NEEDS_REVIEW


@dataclass(frozen=True)
class CheckContext:
    application: Application
    today: datetime.date
    licence: dict = field(default_factory=dict)  # fields read from the current licence
    id_front: dict = field(default_factory=dict)
    id_back: dict = field(default_factory=dict)
    metrics: StoreMetricsSnapshot | None = None  # platforms' latest for the store


@dataclass(frozen=True)
class CheckResult:
    status: str
    evidence: dict


@dataclass(frozen=True)
class Check:
    code: str
    title: StrOrPromise
    fix: StrOrPromise
    run: Callable[[CheckContext], CheckResult]


def _uscc_matches(ctx: CheckContext) -> CheckResult:
    typed = ctx.application.uscc.upper()
    read = ctx.licence.get("uscc")
    evidence = {"typed": typed, "read": read, "read_valid": ctx.licence.get("uscc_valid")}
    if not uscc_std.is_valid(typed):
        return CheckResult(FAIL, {**evidence, "problem": "typed_invalid"})
    if not read or not ctx.licence.get("uscc_valid"):
        return CheckResult(REVIEW, {**evidence, "problem": "not_read"})
    return CheckResult(PASS if read == typed else FAIL, evidence)


def _enterprise(ctx: CheckContext) -> CheckResult:
    code = (ctx.licence.get("uscc") if ctx.licence.get("uscc_valid") else None) or (
        ctx.application.uscc.upper()
    )
    entity_type = ctx.licence.get("entity_type") or ""
    evidence = {"uscc_prefix": code[:2], "entity_type": entity_type}
    if code[:2] == "92" or "个体" in entity_type:
        return CheckResult(FAIL, evidence)
    return CheckResult(PASS if code[:2] == "91" else FAIL, evidence)


def _scope(ctx: CheckContext) -> CheckResult:
    read = ctx.licence.get("business_scope")
    typed = ctx.application.business_scope
    evidence = {"read": read, "typed": typed, "required": IMPORT_EXPORT_SCOPE}
    if read:
        return CheckResult(PASS if IMPORT_EXPORT_SCOPE in normalise_text(read) else FAIL, evidence)
    if IMPORT_EXPORT_SCOPE not in normalise_text(typed):
        return CheckResult(FAIL, evidence)
    return CheckResult(REVIEW, evidence)


def _compare(read: str | None, typed: str) -> CheckResult:
    evidence = {"read": read, "typed": typed}
    if not read:
        return CheckResult(REVIEW, evidence)
    return CheckResult(PASS if same_text(read, typed) else FAIL, evidence)


def _name_matches(ctx: CheckContext) -> CheckResult:
    return _compare(ctx.licence.get("name"), ctx.application.company_name)


def _address_matches(ctx: CheckContext) -> CheckResult:
    return _compare(ctx.licence.get("address"), ctx.application.registered_address)


def _tax_address(ctx: CheckContext) -> CheckResult:
    app = ctx.application
    evidence = {"registered": app.registered_address, "tax": app.tax_address}
    return CheckResult(
        PASS if same_text(app.registered_address, app.tax_address) else FAIL, evidence
    )


def _legal_rep(ctx: CheckContext) -> CheckResult:
    app = ctx.application
    read_name, read_number = ctx.id_front.get("name"), ctx.id_front.get("id_number")
    licence_rep = ctx.licence.get("legal_representative")
    evidence = {
        "typed_name": app.legal_rep_name,
        "id_card_name": read_name,
        "licence_name": licence_rep,
        "id_number_matches": None if not read_number else read_number == app.legal_rep_id_number,
    }
    if not read_name or not read_number:
        return CheckResult(REVIEW, evidence)
    if not licence_rep and "legal_representative" in ctx.licence.get("unsure", {}):
        # the licence was read but its representative not for sure: a person confirms it
        return CheckResult(REVIEW, evidence)
    names = [read_name] + ([licence_rep] if licence_rep else [])
    ok = evidence["id_number_matches"] and all(same_text(n, app.legal_rep_name) for n in names)
    return CheckResult(PASS if ok else FAIL, evidence)


def _id_valid(ctx: CheckContext) -> CheckResult:
    app = ctx.application
    limit = ctx.today + datetime.timedelta(days=ID_MIN_DAYS_VALID)
    read_until = ctx.id_back.get("valid_until")
    read_from = ctx.id_back.get("valid_from")
    evidence = {
        "read_valid_until": read_until,
        "read_long_term": bool(read_from) and read_until is None,
        "typed_valid_until": app.legal_rep_id_expiry.isoformat()
        if app.legal_rep_id_expiry
        else None,
        "typed_long_term": app.legal_rep_id_long_term,
        "must_be_valid_until": limit.isoformat(),
    }
    if not read_from:
        # Not read: judge what was typed, and let operations confirm it against the scan.
        if app.legal_rep_id_long_term:
            return CheckResult(REVIEW, evidence)
        if app.legal_rep_id_expiry and app.legal_rep_id_expiry < limit:
            return CheckResult(FAIL, evidence)
        return CheckResult(REVIEW, evidence)
    if read_until is None:
        return CheckResult(PASS, evidence)
    return CheckResult(PASS if datetime.date.fromisoformat(read_until) >= limit else FAIL, evidence)


def _platform_rule(ctx: CheckContext) -> CheckResult:
    app, metrics = ctx.application, ctx.metrics
    evidence: dict = {"platform": app.platform, "source": "metrics" if metrics else "declared"}
    if app.platform == Platform.ALIEXPRESS:
        tier = (metrics.aliexpress_tier if metrics else None) or app.aliexpress_tier
        level = _level(metrics.store_level) if metrics else app.aliexpress_store_level
        evidence.update(tier=tier, level=level)
        ok = tier in (AliExpressTier.KA, AliExpressTier.PREFERRED) and (level or 0) >= 3
    elif app.platform == Platform.LAZADA:
        value = _flag(metrics, "lazada_official_warehouse", app.lazada_official_warehouse)
        evidence.update(official_warehouse=value)
        ok = value is True
    elif app.platform == Platform.TEMU:
        value = _flag(metrics, "temu_full_custody_whitelisted", app.temu_whitelisted)
        evidence.update(whitelisted=value)
        ok = value is True
    elif app.platform == Platform.TIKTOK:
        site = (metrics.tiktok_site if metrics else None) or app.tiktok_site
        partner = _flag(metrics, "tiktok_logistics_partner", app.tiktok_logistics_partner)
        evidence.update(site=site, logistics_partner=partner)
        ok = site in (TikTokSite.UK, TikTokSite.US) and partner is True
    else:
        return CheckResult(FAIL, evidence)
    if not ok:
        return CheckResult(FAIL, evidence)
    return CheckResult(PASS if metrics else REVIEW, evidence)


def _level(value: str | None) -> int | None:
    digits = "".join(c for c in (value or "") if c.isdigit())
    return int(digits) if digits else None


def _flag(metrics, name: str, declared):
    value = getattr(metrics, name, None) if metrics else None
    return declared if value is None else value


def _fulfilment(ctx: CheckContext) -> CheckResult:
    metrics = ctx.metrics
    if metrics is None:
        return CheckResult(REVIEW, {"metrics": None})
    evidence = {
        "as_of": metrics.as_of.isoformat(),
        "positive_rating_pct": str(metrics.positive_rating_pct),
        "dsr_logistics": str(metrics.dsr_logistics),
        "min_positive_rating_pct": str(MIN_POSITIVE_RATING),
        "min_dsr_logistics": str(MIN_DSR),
    }
    ok = metrics.positive_rating_pct >= MIN_POSITIVE_RATING and metrics.dsr_logistics >= MIN_DSR
    return CheckResult(PASS if ok else FAIL, evidence)


CHECKS: list[Check] = [
    Check(
        "uscc_matches",
        _("The credit code on the licence matches the one you typed, and is valid"),
        _(
            "Type the 18-character code exactly as printed on the licence, "
            "or upload a clearer scan."
        ),
        _uscc_matches,
    ),
    Check(
        "enterprise",
        _("The applicant is an enterprise, not an individual business (个体工商户)"),
        _("Only companies can apply: a credit code starting with 92 is an individual business."),
        _enterprise,
    ),
    Check(
        "scope_import_export",
        _("The business scope includes 货物进出口 (import and export of goods)"),
        _(
            "Add 货物进出口 to the business scope at the market regulator, "
            "then upload the new licence."
        ),
        _scope,
    ),
    Check(
        "licence_name_matches",
        _("The company name on the licence matches the one you typed"),
        _("Type the name exactly as printed on the licence, brackets included."),
        _name_matches,
    ),
    Check(
        "licence_address_matches",
        _("The address on the licence matches the registered address you typed"),
        _("Type the registered address exactly as printed on the licence."),
        _address_matches,
    ),
    Check(
        "licence_tax_address_match",
        _("The licence address and the tax-registration address are the same"),
        _("Update the registration so that both addresses match, then upload the new documents."),
        _tax_address,
    ),
    Check(
        "legal_rep_matches",
        _("The ID card belongs to the legal representative"),
        _("Upload the legal representative's own ID card and type the name and number as printed."),
        _legal_rep,
    ),
    Check(
        "legal_rep_id_valid_90_days",
        _("The legal representative's ID card is valid for at least 90 more days"),
        _("Renew the ID card and upload both sides of the new card."),
        _id_valid,
    ),
    Check(
        "platform_requirement",
        _("The store meets its platform's requirement"),
        _(
            "AliExpress: KA or 优选 seller at level L3 or above; Lazada: China-warehouse seller "
            "using Lazada's official overseas warehouse; Temu: full-custody supplier on the "
            "logistics whitelist; TikTok Shop: UK or US site, signed logistics partner."
        ),
        _platform_rule,
    ),
    Check(
        "store_fulfilment_level",
        _("Last 30 days: logistics positive rating ≥ 96.5 % and DSR logistics score ≥ 4.8"),
        _(
            "Improve the store's logistics ratings on the platform; "
            "we check again on the next feed."
        ),
        _fulfilment,
    ),
]
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


def fields_of(documents, kind: str) -> dict:
    for document in documents:
        if document.kind == kind and document.ocr_fields:
            return document.ocr_fields
    return {}


def build_context(*, application, documents, metrics, today) -> CheckContext:
    return CheckContext(
        application=application,
        today=today,
        licence=fields_of(documents, DocumentKind.LICENCE),
        id_front=fields_of(documents, DocumentKind.ID_FRONT),
        id_back=fields_of(documents, DocumentKind.ID_BACK),
        metrics=metrics,
    )
