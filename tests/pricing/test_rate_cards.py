"""The cache of rate cards and the rules for changing cards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache

from core.timezones import today_shanghai
from pricing import rates
from pricing.exceptions import InvalidEffectiveDate, RateCardInForce
from pricing.models import Lane, PeakSeason, RateCard, WeightBand
from pricing.services import quote, rate_card_check_editable, rate_card_duplicate, rate_card_save

from .factories import FUTURE, card_with_lane

pytestmark = pytest.mark.django_db


def _price(on_date=FUTURE):
    return quote(origin="east", country="US", postcode="94105", weight_g=500, on_date=on_date)


def test_a_warm_cache_prices_without_the_database(django_assert_num_queries):
    _price()

    with django_assert_num_queries(0):
        for _weight in range(1, 2001):
            _price().total  # noqa: B018


def test_a_new_card_is_used_at_once(django_assert_max_num_queries):
    assert _price().base == Decimal("28.50")

    card_with_lane()

    with django_assert_max_num_queries(8):  # one reload
        assert _price().base == Decimal("56.00")


def test_changed_bands_and_peak_seasons_are_seen_at_once():
    card = card_with_lane()
    assert _price().base == Decimal("56.00")

    band = WeightBand.objects.get(lane__card=card, up_to_g=500)
    band.price = Decimal("57.00")
    band.save(update_fields=["price"])
    assert _price().base == Decimal("57.00")

    PeakSeason.objects.create(
        name="Spring", start_month=1, start_day=1, end_month=1, end_day=1, surcharge_pct=10
    )
    assert _price().peak_adjustment == Decimal("5.70")


def test_another_process_change_is_seen_after_the_check_interval(monkeypatch):
    table = rates.pricing_table()
    assert rates.pricing_table() is table

    cache.set(rates.VERSION_KEY, "changed elsewhere", timeout=None)
    assert rates.pricing_table() is table  # within the interval: no look at Redis

    monkeypatch.setattr(rates._holder, "checked_at", 0.0)
    assert rates.pricing_table() is not table


def test_peak_seasons_may_run_over_the_new_year():
    PeakSeason.objects.create(
        name="New year", start_month=12, start_day=30, end_month=1, end_day=2, surcharge_pct=20
    )

    table = rates.pricing_table()

    assert table.peak_rate_on(date(2025, 12, 30)) == Decimal("0.2")  # the higher rate wins
    assert table.peak_rate_on(date(2026, 1, 2)) == Decimal("0.2")
    assert table.peak_rate_on(date(2026, 1, 3)) == Decimal(0)
    assert table.peak_rate_on(date(2025, 12, 29)) == Decimal("0.128")


def test_a_card_in_force_cannot_be_changed():
    card = RateCard.objects.get(effective_from=date(2024, 8, 1))
    card.name = "rewritten"

    with pytest.raises(RateCardInForce):
        rate_card_save(card=card)

    card.effective_from = FUTURE  # moving it out of force is a change too
    with pytest.raises(RateCardInForce):
        rate_card_check_editable(card=card)
    assert RateCard.objects.get(pk=card.pk).name == "Standard small parcel 2024"


def test_a_new_card_must_take_effect_after_today():
    today = today_shanghai()

    with pytest.raises(InvalidEffectiveDate):
        rate_card_save(card=RateCard(name="Backdated", effective_from=today))
    assert not RateCard.objects.filter(name="Backdated").exists()

    card = rate_card_save(card=RateCard(name="Next", effective_from=today + timedelta(days=1)))
    card.name = "Next, renamed"
    rate_card_save(card=card)  # not in force yet: still editable
    assert RateCard.objects.get(pk=card.pk).name == "Next, renamed"


def test_duplicate_makes_the_next_version_with_every_lane_and_band(ops_user):
    demo = RateCard.objects.get(effective_from=date(2024, 8, 1))

    copy = rate_card_duplicate(card=demo, user=ops_user, today=date(2026, 3, 1))

    assert copy.effective_from == date(2026, 3, 2)
    assert copy.created_by == ops_user
    assert Lane.objects.filter(card=copy).count() == 18
    assert WeightBand.objects.filter(lane__card=copy).count() == 18 * 76
    assert (
        quote(
            origin="east", country="US", postcode="94105", weight_g=500, on_date=date(2026, 3, 2)
        ).card_id
        == copy.pk
    )

    again = rate_card_duplicate(card=demo, today=date(2026, 3, 1))
    assert again.effective_from == date(2026, 3, 3)  # the day after the latest card
