"""Customs checks in the order gate (``core.gate``): what a border asks of the parcel, read
from the rules, FX rates, terms and registrations in force on the order's date (DOMAIN.md §5).
Each names the item rows at fault; the diagnostics tool shows the same."""

from django.utils.translation import gettext_lazy as _

from core.gate import CheckResult, CheckStatus, CustomsFacts, OrderContext, Parcel, gate

from .addresses import address_problems
from .selectors import CustomsBook


@gate.loader(scope="account", provides=("customs_source",))
def load_customs_book(ctx: OrderContext) -> None:
    ctx.facts.customs_source = CustomsBook.load(seller=ctx.seller, on=ctx.today)


@gate.loader(scope="parcel", provides=("customs",), needs=("customs_source",))
def load_customs_facts(ctx: OrderContext) -> None:
    source = ctx.facts.customs_source
    ctx.facts.customs = (
        source.facts_for(ctx.parcel) if source is not None and ctx.parcel is not None else None
    )


def _parcel_and_facts(ctx: OrderContext) -> tuple[Parcel, CustomsFacts] | CheckResult:
    """The parcel and its customs facts, or why the check does not apply: a question without
    items (the tool's hypothetical parcel, a refusal recorded before items existed), or a
    parcel that crosses no customs border (from an overseas warehouse inside its country or
    its customs union: no declaration, no border rule)."""
    parcel, customs = ctx.parcel, ctx.facts.customs
    if parcel is None or customs is None or not parcel.items:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "no_items"})
    if not customs.crosses_border:
        return CheckResult.skipped(
            reason="no_border", origin_country=customs.origin_country, country=parcel.country
        )
    return parcel, customs


def _rows(indexes: list[int]) -> str:
    return ", ".join(str(n) for n in indexes)


@gate.check(
    "address_incomplete",
    title=_("The address is complete for the destination"),
    fix=_(
        "Complete the recipient's address as the destination's post needs it: its state or "
        "province, a postcode in its format, the city."
    ),
    needs_parcel=True,
)
def address_incomplete(ctx: OrderContext) -> CheckResult:
    parcel = ctx.parcel
    if parcel is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "no_parcel"})
    problems = address_problems(
        country=parcel.country,
        postcode=parcel.postcode,
        state=parcel.state,
        city=parcel.city,
        address=parcel.address,
    )
    evidence = {"country": parcel.country, "postcode": parcel.postcode, "state": parcel.state}
    if problems:
        return CheckResult.failed(
            " ".join(problem.message for problem in problems),
            **evidence,
            fields=[problem.field for problem in problems],
        )
    return CheckResult(CheckStatus.PASS, evidence)


@gate.check(
    "battery_not_on_lane",
    title=_("The line carries the parcel's lithium batteries"),
    fix=_(
        "Ship the items with lithium batteries separately on a line that carries them, or "
        "remove them from this parcel."
    ),
    needs=("quote",),
    fix_url_name="pricing:quote",
    needs_parcel=True,
)
def battery_not_on_lane(ctx: OrderContext) -> CheckResult:
    parcel, quote = ctx.parcel, ctx.facts.quote
    if parcel is None or quote is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "no_lane"})
    rows = [n for n, item in enumerate(parcel.items, 1) if item.contains_battery]
    evidence = {"lane": quote.lane, "battery_items": rows}
    if rows and not quote.accepts_batteries:
        return CheckResult.failed(
            _("Items %(rows)s contain lithium batteries; line %(lane)s does not carry them.")
            % {"rows": _rows(rows), "lane": quote.lane},
            **evidence,
        )
    return CheckResult(CheckStatus.PASS, evidence)


@gate.check(
    "hs_code_missing",
    title=_("Every item has an HS code"),
    fix=_(
        "Give each item its HS code (at least the first 6 digits of the harmonised system, "
        "e.g. 610910 for cotton T-shirts): customs need it for every commercial item."
    ),
    needs=("customs",),
    needs_parcel=True,
)
def hs_code_missing(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    _parcel, customs = found
    if customs.hs_code_min_digits is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "no_rule_in_force"})
    rows = customs.short_hs_rows
    evidence = {"min_digits": customs.hs_code_min_digits, "items": rows}
    if rows:
        return CheckResult.failed(
            _("Items %(rows)s have no HS code of at least %(digits)s digits.")
            % {"rows": _rows(rows), "digits": customs.hs_code_min_digits},
            **evidence,
        )
    return CheckResult(CheckStatus.PASS, evidence)


@gate.check(
    "item_description_generic",
    title=_("Every item is described as what it is"),
    fix=_(
        "Describe each item as what it is, in English (“women's cotton T-shirt”, “USB-C "
        "charging cable”): customs refuse “gift”, “goods”, “parts” or “accessories” alone."
    ),
    needs=("customs",),
    needs_parcel=True,
)
def item_description_generic(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    parcel, customs = found
    rows = customs.generic_rows
    if rows:
        return CheckResult.failed(
            _("Items %(rows)s are described too generally for customs.") % {"rows": _rows(rows)},
            items=rows,
            descriptions=[parcel.items[n - 1].description for n in rows],
        )
    return CheckResult(CheckStatus.PASS, {"items": []})


@gate.check(
    "product_ids_missing",
    title=_("Every item carries its product identifier"),
    fix=_(
        "Give each item its SKU, and its GTIN (EAN/UPC) or manufacturer part number where it "
        "has one: the destination requires product identifiers on B2C parcels."
    ),
    needs=("customs",),
    needs_parcel=True,
)
def product_ids_missing(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    _parcel, customs = found
    if not customs.product_ids_required:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "no_rule_in_force"})
    rows = customs.no_sku_rows
    if rows:
        return CheckResult.failed(
            _("Items %(rows)s have no SKU.") % {"rows": _rows(rows)}, items=rows
        )
    return CheckResult(CheckStatus.PASS, {"items": []})


@gate.check(
    "eu_ioss_required",
    title=_("An EU parcel up to the IOSS limit carries an IOSS number"),
    fix=_(
        "Give the IOSS number of the marketplace that sold the order with it (a marketplace "
        "selling to EU buyers collects the VAT as deemed supplier), add your own IOSS number "
        "on the customs page, or ship DDP."
    ),
    needs=("customs",),
    fix_url_name="customs:registrations",
    needs_parcel=True,
)
def eu_ioss_required(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    parcel, customs = found
    if not customs.ioss_applies or customs.ioss_limit is None or customs.value is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "not_in_the_ioss_area"})
    evidence = {
        "value": str(customs.value),
        "currency": customs.ioss_currency,
        "limit": str(customs.ioss_limit),
        "fx_rates": customs.fx_rates,
        "incoterm": parcel.incoterm,
    }
    if customs.value > customs.ioss_limit or parcel.incoterm == "DDP":
        return CheckResult.skipped(**evidence)
    if not customs.ioss_number:
        return CheckResult.failed(
            _(
                "The parcel is worth %(value)s %(currency)s, within the %(limit)s %(currency)s "
                "IOSS limit, and no IOSS number is given."
            )
            % {
                "value": customs.value,
                "currency": customs.ioss_currency,
                "limit": customs.ioss_limit,
            },
            **evidence,
        )
    return CheckResult.passed(**evidence, ioss_number=customs.ioss_number)


@gate.check(
    "eu_ioss_over_limit",
    title=_("IOSS is used only up to its limit"),
    fix=_(
        "Above the IOSS limit VAT is paid at import, not through IOSS: remove the IOSS number "
        "from the order (ship DDU, or DDP with the duties prepaid), or split the parcel."
    ),
    needs=("customs",),
    needs_parcel=True,
)
def eu_ioss_over_limit(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    parcel, customs = found
    if not customs.ioss_applies or customs.ioss_limit is None or customs.value is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "not_in_the_ioss_area"})
    evidence = {
        "value": str(customs.value),
        "currency": customs.ioss_currency,
        "limit": str(customs.ioss_limit),
        "ioss_number": parcel.ioss_number,
    }
    if parcel.ioss_number and customs.value > customs.ioss_limit:
        return CheckResult.failed(
            _(
                "The parcel is worth %(value)s %(currency)s, over the %(limit)s %(currency)s "
                "IOSS limit, and carries IOSS number %(number)s."
            )
            % {
                "value": customs.value,
                "currency": customs.ioss_currency,
                "limit": customs.ioss_limit,
                "number": parcel.ioss_number,
            },
            **evidence,
        )
    return CheckResult(CheckStatus.PASS, evidence)


@gate.check(
    "uk_vat_required",
    title=_("A UK parcel up to the VAT limit carries a UK VAT number"),
    fix=_(
        "Give the marketplace's UK VAT number with the order, or add your own UK VAT "
        "registration on the customs page: the seller collects the VAT on UK sales up to "
        "the limit."
    ),
    needs=("customs",),
    fix_url_name="customs:registrations",
    needs_parcel=True,
)
def uk_vat_required(ctx: OrderContext) -> CheckResult:
    found = _parcel_and_facts(ctx)
    if isinstance(found, CheckResult):
        return found
    _parcel, customs = found
    if not customs.uk_vat_applies or customs.uk_vat_limit is None or customs.value is None:
        return CheckResult(CheckStatus.SKIPPED, {"reason": "not_in_the_uk"})
    evidence = {
        "value": str(customs.value),
        "currency": customs.uk_vat_currency,
        "limit": str(customs.uk_vat_limit),
        "fx_rates": customs.fx_rates,
    }
    if customs.value > customs.uk_vat_limit:
        return CheckResult.skipped(**evidence)
    if not customs.uk_vat_number:
        return CheckResult.failed(
            _(
                "The parcel is worth %(value)s %(currency)s, within the %(limit)s %(currency)s "
                "limit, and no UK VAT number is given."
            )
            % {
                "value": customs.value,
                "currency": customs.uk_vat_currency,
                "limit": customs.uk_vat_limit,
            },
            **evidence,
        )
    return CheckResult.passed(**evidence, uk_vat_number=customs.uk_vat_number)
