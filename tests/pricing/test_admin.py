from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from core.timezones import today_shanghai
from pricing.models import Lane, RateCard, WeightBand

from .factories import card_with_lane

pytestmark = pytest.mark.django_db

CARDS_URL = reverse("admin:pricing_ratecard_changelist")
ADD_URL = reverse("admin:pricing_ratecard_add")


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ops_client(client, ops_user):
    return _login(client, ops_user)


@pytest.fixture
def finance_client(client, finance_user):
    return _login(client, finance_user)


def _demo() -> RateCard:
    return RateCard.objects.get(effective_from=date(2024, 8, 1))


def _add_form(effective_from: date) -> dict:
    return {
        "name": "2027 prices",
        "effective_from": effective_from.isoformat(),
        "notes": "",
        "lanes-TOTAL_FORMS": "0",
        "lanes-INITIAL_FORMS": "0",
        "lanes-MIN_NUM_FORMS": "0",
        "lanes-MAX_NUM_FORMS": "1000",
    }


def test_ops_add_a_card_effective_after_today(ops_client, ops_user):
    tomorrow = today_shanghai() + timedelta(days=1)

    response = ops_client.post(ADD_URL, _add_form(tomorrow))

    assert response.status_code == 302
    card = RateCard.objects.get(name="2027 prices")
    assert (card.effective_from, card.created_by) == (tomorrow, ops_user)


def test_ops_cannot_add_a_backdated_card(ops_client):
    response = ops_client.post(ADD_URL, _add_form(today_shanghai()))

    assert response.status_code == 200
    assert "must take effect after today" in response.content.decode()
    assert not RateCard.objects.filter(name="2027 prices").exists()


def test_a_card_in_force_is_read_only(ops_client):
    demo = _demo()
    url = reverse("admin:pricing_ratecard_change", args=[demo.pk])

    html = ops_client.get(url).content.decode()
    response = ops_client.post(url, {**_add_form(date(2030, 1, 1)), "name": "rewritten"})

    assert 'name="_save"' not in html
    assert response.status_code == 403
    assert _demo().name == "Standard small parcel 2024"
    lane = Lane.objects.filter(card=demo).first()
    lane_html = ops_client.get(reverse("admin:pricing_lane_change", args=[lane.pk])).content
    assert b'name="_save"' not in lane_html


def test_a_card_not_yet_in_force_is_editable_with_its_bands(ops_client):
    card = card_with_lane(effective_from=today_shanghai() + timedelta(days=10))
    lane = Lane.objects.get(card=card)

    card_html = ops_client.get(reverse("admin:pricing_ratecard_change", args=[card.pk])).content
    lane_html = ops_client.get(reverse("admin:pricing_lane_change", args=[lane.pk])).content

    assert b'name="_save"' in card_html
    assert b'name="_save"' in lane_html
    assert b'name="bands-0-price"' in lane_html


def test_ops_duplicate_a_card_as_the_next_version(ops_client):
    response = ops_client.post(
        CARDS_URL, {"action": "duplicate_as_new_card", "_selected_action": [_demo().pk]}
    )

    assert response.status_code == 302
    copy = RateCard.objects.order_by("-effective_from").first()
    assert copy.effective_from == today_shanghai() + timedelta(days=1)
    assert WeightBand.objects.filter(lane__card=copy).count() == 18 * 76
    html = ops_client.get(CARDS_URL).content.decode()
    assert "1 new card created" in html
    assert "delete_selected" not in html


def test_finance_can_only_view(finance_client):
    demo = _demo()

    changelist = finance_client.get(CARDS_URL)
    change = finance_client.get(reverse("admin:pricing_ratecard_change", args=[demo.pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert b"duplicate_as_new_card" not in changelist.content
    assert finance_client.get(ADD_URL).status_code == 403
    assert finance_client.post(ADD_URL, _add_form(date(2030, 1, 1))).status_code == 403
    for name in ("lane", "zone", "peakseason", "greendiscount"):
        assert finance_client.get(reverse(f"admin:pricing_{name}_changelist")).status_code == 200
        assert finance_client.get(reverse(f"admin:pricing_{name}_add")).status_code == 403


@pytest.mark.parametrize("name", ["ratecard", "lane", "zone", "peakseason", "greendiscount"])
def test_changelists_have_a_query_budget(ops_client, name, django_assert_max_num_queries):
    for days in (10, 20, 30):
        card_with_lane(effective_from=today_shanghai() + timedelta(days=days))
    url = reverse(f"admin:pricing_{name}_changelist")

    with django_assert_max_num_queries(12):
        response = ops_client.get(url)

    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    if name == "ratecard":
        html = response.content.decode()
        assert html.count("Scheduled (editable)") == 3
        assert html.count("In force") == 1


def test_the_lane_change_page_has_a_query_budget(ops_client, django_assert_max_num_queries):
    lane = Lane.objects.filter(card=_demo()).first()

    with django_assert_max_num_queries(15):
        response = ops_client.get(reverse("admin:pricing_lane_change", args=[lane.pk]))

    assert response.status_code == 200
