"""Reads of customs data: the rules in force, the FX table, the generic terms, a seller's
registrations — and the ``CustomsBook`` that turns them into the gate's ``CustomsFacts``
for one parcel without another query."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from core.gate import CustomsFacts, Parcel
from core.prepared import PreparedQuery
from pricing.selectors import origin_country

from .cache import customs_day
from .models import CustomsRule, FxRate, GenericTerm, RegistrationKind, RuleKind, TaxRegistration

CNY = "CNY"
CENT = Decimal("0.01")

# Words that add nothing to a generic description ("parts and accessories" is still generic).
_FILLERS = frozenset({"and", "or", "of", "the", "a", "an", "for", "with", "&", "misc", "various"})
_WORDS = re.compile(r"[^\w/]+")


def is_generic(description: str, terms: frozenset[str]) -> bool:
    """Whether ``description`` says no more than the generic ``terms`` ("gift", "parts and
    accessories")."""
    text = description.casefold().strip()
    if text in terms:
        return True
    words = [word for word in _WORDS.split(text) if word and word not in _FILLERS]
    return bool(words) and all(word in terms for word in words)


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    countries: frozenset[str]  # empty: every destination
    amount: Decimal | None
    currency: str
    number: int | None

    def applies_to(self, country: str) -> bool:
        return not self.countries or country in self.countries


def rules_in_force(on: datetime.date) -> list[Rule]:
    rows = CustomsRule.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    return [
        Rule(
            kind=row.kind,
            countries=frozenset(row.countries or ()),
            amount=row.amount,
            currency=row.currency,
            number=row.number,
        )
        for row in rows.order_by("kind", "-effective_from")
    ]


def _day_load(on: datetime.date) -> tuple[tuple[Any, ...], dict[str, Decimal], frozenset[str]]:
    return tuple(rules_in_force(on)), fx_rates_on(on), generic_terms()


def customs_day_data(
    on: datetime.date,
) -> tuple[tuple[Any, ...], dict[str, Decimal], frozenset[str]]:
    """The day's rules, rates and terms from memory (``customs.cache``): no query once warm."""
    return customs_day(on, _day_load)


def fx_rates_on(on: datetime.date) -> dict[str, Decimal]:
    """CNY per unit of each currency, the latest rate in force on ``on`` (CNY is 1)."""
    rows = (
        FxRate.objects.filter(effective_from__lte=on)
        .order_by("currency", "-effective_from")
        .distinct("currency")
        .values_list("currency", "cny_per_unit")
    )
    return {CNY: Decimal(1), **dict(rows)}


def currencies_known(on: datetime.date) -> frozenset[str]:
    """The currencies an item may be declared in on ``on``: those with a rate in force."""
    return frozenset(customs_day_data(on)[1])


def generic_terms() -> frozenset[str]:
    return frozenset(term.casefold() for term in GenericTerm.objects.values_list("term", flat=True))


def registrations_of(*, seller: Any) -> dict[str, str]:
    return dict(_REGISTRATIONS.all(seller_id=seller.pk))


# Read for every order through the gate: compiled once (``core.prepared``).
_REGISTRATIONS: PreparedQuery[tuple[str, str]] = PreparedQuery(
    lambda seller_id: TaxRegistration.objects.filter(seller_id=seller_id).values_list(
        "kind", "number"
    ),
    seller_id=int,
)


def convert(
    amount: Decimal, *, from_currency: str, to_currency: str, rates: dict[str, Decimal]
) -> Decimal:
    """``amount`` in another currency through CNY, to the cent, half up."""
    if from_currency == to_currency:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    cny = amount * rates[from_currency]
    return (cny / rates[to_currency]).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a parcel's customs facts owe to its origin, destination and currency alone."""

    origin_country: str
    crosses_border: bool
    hs_code_min_digits: int | None
    product_ids_required: bool
    ioss: Rule | None
    uk: Rule | None
    cn23_above: Decimal | None
    form: str
    fx_rates: dict[str, str]
    cny_per_unit: Decimal  # the parcel's currency in CNY (0 when the table has no rate)
    value_rate: Decimal | None  # CNY per unit of value_in
    cn23_rate: Decimal | None  # CNY per unit of cn23_in
    ioss_number: str  # the seller's own registrations, where the parcel crosses a border
    uk_vat_number: str


@dataclass(frozen=True, slots=True)
class CustomsBook:
    """Everything customs knows for one account on one day, read once (four queries); the
    facts of each parcel are then worked out in memory (``facts_for``)."""

    on: datetime.date
    rules: tuple[Rule, ...]
    rates: dict[str, Decimal]
    terms: frozenset[str]
    registrations: dict[str, str]
    _by_country: dict[str, dict[str, Rule]] = field(default_factory=dict, compare=False, repr=False)
    _shown: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _plans: dict[tuple[str, str, str], "_Plan"] = field(
        default_factory=dict, compare=False, repr=False
    )
    # A seller's catalogue repeats its descriptions across a bulk file: each judged once.
    _judged: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, *, seller: Any, on: datetime.date) -> "CustomsBook":
        rules, rates, terms = customs_day_data(on)
        return cls(
            on=on,
            rules=rules,
            rates=dict(rates),
            terms=terms,
            registrations=registrations_of(seller=seller) if seller is not None else {},
        )

    def rule(self, kind: str, country: str) -> Rule | None:
        return self.rules_for(country).get(kind)

    def rules_for(self, country: str) -> dict[str, Rule]:
        """The rules that apply to ``country``, by kind (the newest of each kind first in
        ``rules``), worked out once per country and book."""
        found = self._by_country.get(country)
        if found is None:
            found = {}
            for rule in self.rules:
                if rule.applies_to(country):
                    found.setdefault(rule.kind, rule)
            self._by_country[country] = found
        return found

    def crosses_border(self, origin: str, country: str) -> bool:
        """Whether a parcel from ``origin`` (a country) to ``country`` crosses a customs
        border: not within one country, nor within a customs union in force (the EU's)."""
        if origin == country:
            return False
        return not any(
            rule.kind == RuleKind.CUSTOMS_UNION
            and rule.countries
            and {origin, country} <= rule.countries
            for rule in self.rules
        )

    def facts_for(self, parcel: Parcel) -> CustomsFacts:
        """The parcel's customs facts. What does not depend on its value (the border, the
        rules, the currencies to convert to) is worked out once per origin, destination and
        currency (``_plan``); per parcel only the conversions remain (run for every order of
        a bulk file)."""
        currency, total = parcel.currency, parcel.declared_value
        plan = self._plans.get((parcel.origin, parcel.country, currency))
        if plan is None:
            plan = self._plan(parcel.origin, parcel.country, currency)
        # ``convert``, inlined: through CNY, to the cent, half up.
        cny = total * plan.cny_per_unit
        value = (cny / plan.value_rate).quantize(CENT, ROUND_HALF_UP) if plan.value_rate else None
        form = plan.form
        above, cn23_rate = plan.cn23_above, plan.cn23_rate
        if (
            cn23_rate
            and above is not None
            and (cny / cn23_rate).quantize(CENT, ROUND_HALF_UP) > above
        ):
            form = "CN23"
        ioss, uk = plan.ioss, plan.uk
        short_hs, generic, no_sku = [], [], []
        if plan.crosses_border:
            hs_min, judged, terms = plan.hs_code_min_digits, self._judged, self.terms
            for n, item in enumerate(parcel.items, 1):
                if hs_min is not None and len(item.hs_code) < hs_min:
                    short_hs.append(n)
                found = judged.get(item.description)
                if found is None:
                    found = judged[item.description] = is_generic(item.description, terms)
                if found:
                    generic.append(n)
                if not item.sku:
                    no_sku.append(n)
        return CustomsFacts(
            hs_code_min_digits=plan.hs_code_min_digits,
            generic_terms=self.terms,
            product_ids_required=plan.product_ids_required,
            ioss_applies=ioss is not None,
            ioss_limit=ioss.amount if ioss is not None else None,
            ioss_currency=ioss.currency if ioss is not None else "",
            uk_vat_applies=uk is not None,
            uk_vat_limit=uk.amount if uk is not None else None,
            uk_vat_currency=uk.currency if uk is not None else "",
            value=value,
            fx_rates=dict(plan.fx_rates),
            ioss_number=parcel.ioss_number or plan.ioss_number,
            uk_vat_number=parcel.uk_vat_number or plan.uk_vat_number,
            form=form,
            crosses_border=plan.crosses_border,
            origin_country=plan.origin_country,
            short_hs_rows=short_hs,
            generic_rows=generic,
            no_sku_rows=no_sku,
        )

    def _plan(self, origin: str, country: str, currency: str) -> "_Plan":
        # Where the parcel leaves from: China, or an overseas warehouse's country (pricing's
        # origins, in memory). Inside one customs territory no border rule applies.
        leaves = origin_country(code=origin)
        border = self.crosses_border(leaves, country)
        rules = self.rules_for(country) if border else {}
        rates = self.rates
        known = currency in rates
        ioss, uk, cn23 = (
            rules.get(RuleKind.IOSS_LIMIT),
            rules.get(RuleKind.UK_VAT_LIMIT),
            rules.get(RuleKind.CN23_ABOVE),
        )
        limit = ioss if ioss is not None else uk
        value_in = limit.currency if limit is not None and known and limit.currency in rates else ""
        cn23_in = (
            cn23.currency
            if cn23 is not None and cn23.amount is not None and known and cn23.currency in rates
            else ""
        )
        used = sorted({currency, value_in, cn23_in} - {""}) if known else []
        shown = self._rates_shown
        hs = rules.get(RuleKind.HS_CODE)
        plan = _Plan(
            origin_country=leaves,
            crosses_border=border,
            hs_code_min_digits=hs.number if hs is not None else None,
            product_ids_required=RuleKind.PRODUCT_IDS in rules,
            ioss=ioss,
            uk=uk,
            cn23_above=cn23.amount if cn23 is not None else None,
            form="CN22" if border else "",
            fx_rates={"on": shown["on"], **{code: shown[code] for code in used}},
            cny_per_unit=rates[currency] if known else Decimal(0),
            value_rate=rates[value_in] if value_in else None,
            cn23_rate=rates[cn23_in] if cn23_in else None,
            ioss_number=self.registrations.get(RegistrationKind.IOSS, "") if border else "",
            uk_vat_number=self.registrations.get(RegistrationKind.UK_VAT, "") if border else "",
        )
        self._plans[(origin, country, currency)] = plan
        return plan

    @property
    def _rates_shown(self) -> dict[str, str]:
        """The rates as a shipment keeps them (text), worked out once per book."""
        shown = self._shown
        if not shown:
            shown["on"] = self.on.isoformat()
            shown.update({code: str(rate) for code, rate in self.rates.items()})
        return shown
