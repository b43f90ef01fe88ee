"""Reads of customs data: the rules in force, the FX table, the generic terms, a seller's
registrations — and the ``CustomsBook`` that turns them into the gate's ``CustomsFacts``
for one parcel without another query."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from core.gate import CustomsFacts, Parcel
from pricing.selectors import origin_country

from .cache import customs_day
from .models import CustomsRule, FxRate, GenericTerm, RegistrationKind, RuleKind, TaxRegistration

CNY = "CNY"
CENT = Decimal("0.01")


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
    return dict(TaxRegistration.objects.filter(seller=seller).values_list("kind", "number"))


def convert(
    amount: Decimal, *, from_currency: str, to_currency: str, rates: dict[str, Decimal]
) -> Decimal:
    """``amount`` in another currency through CNY, to the cent, half up."""
    if from_currency == to_currency:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    cny = amount * rates[from_currency]
    return (cny / rates[to_currency]).quantize(CENT, rounding=ROUND_HALF_UP)


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
        country, currency, total = parcel.country, parcel.currency, parcel.declared_value
        # Where the parcel leaves from: China, or an overseas warehouse's country (pricing's
        # origins, in memory). Inside one customs territory no border rule applies.
        leaves = origin_country(code=parcel.origin)
        border = self.crosses_border(leaves, country)
        rules = self.rules_for(country) if border else {}
        rates = self.rates
        used = {currency} if currency in rates else set()

        def value_in(target: str) -> Decimal | None:
            if currency not in rates or target not in rates:
                return None
            used.add(target)
            return convert(total, from_currency=currency, to_currency=target, rates=rates)

        hs, ioss, uk, cn23 = (
            rules.get(RuleKind.HS_CODE),
            rules.get(RuleKind.IOSS_LIMIT),
            rules.get(RuleKind.UK_VAT_LIMIT),
            rules.get(RuleKind.CN23_ABOVE),
        )
        value: Decimal | None = None
        if ioss is not None:
            value = value_in(ioss.currency)
        elif uk is not None:
            value = value_in(uk.currency)
        form = "CN22" if border else ""
        if cn23 is not None and cn23.amount is not None:
            in_sdr = value_in(cn23.currency)
            if in_sdr is not None and in_sdr > cn23.amount:
                form = "CN23"
        shown = self._rates_shown
        return CustomsFacts(
            hs_code_min_digits=hs.number if hs is not None else None,
            generic_terms=self.terms,
            product_ids_required=RuleKind.PRODUCT_IDS in rules,
            ioss_applies=ioss is not None,
            ioss_limit=ioss.amount if ioss is not None else None,
            ioss_currency=ioss.currency if ioss is not None else "",
            uk_vat_applies=uk is not None,
            uk_vat_limit=uk.amount if uk is not None else None,
            uk_vat_currency=uk.currency if uk is not None else "",
            value=value,
            fx_rates={"on": shown["on"], **{code: shown[code] for code in sorted(used)}},
            ioss_number=parcel.ioss_number
            or (self.registrations.get(RegistrationKind.IOSS, "") if border else ""),
            uk_vat_number=parcel.uk_vat_number
            or (self.registrations.get(RegistrationKind.UK_VAT, "") if border else ""),
            form=form,
            crosses_border=border,
            origin_country=leaves,
        )

    @property
    def _rates_shown(self) -> dict[str, str]:
        """The rates as a shipment keeps them (text), worked out once per book."""
        shown = self._shown
        if not shown:
            shown["on"] = self.on.isoformat()
            shown.update({code: str(rate) for code, rate in self.rates.items()})
        return shown
