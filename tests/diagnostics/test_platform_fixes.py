"""Every fix is for the store's own platform (issue 13, item 1; DOMAIN.md §4): a Lazada,
Temu or TikTok Shop seller is never sent to AliExpress's 物流设置 → 物流方案, in either
language, wherever a fix is shown: the gate's outcome, the diagnosis (page and JSON), the
refusal of a shipment, and the watch's e-mail."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.gate import CheckStatus, gate
from diagnostics.services import order_diagnose, stores_watch
from onboarding.models import ApplicationStatus
from platforms.models import Platform
from shipments.exceptions import OrderRefused
from tests.accounts.factories import SellerUserFactory
from tests.shipments.factories import AUGUST, create_shipment, order_form, store_ready

pytestmark = pytest.mark.django_db

ALIEXPRESS_ONLY = ("物流方案", "物流设置", "AliExpress", "速卖通", "菜鸟")
OTHERS = [Platform.LAZADA, Platform.TEMU, Platform.TIKTOK]
OWN_WORDS = {
    Platform.LAZADA: "Lazada",
    Platform.TEMU: "Temu",
    Platform.TIKTOK: "TikTok Shop",
}
LANGUAGES = ("zh-hans", "en")


def failing_store(platform: str, **fields):
    """A store of ``platform`` that fails every account check it can: unbound, frozen
    (complaints), its ID expiring, the addresses differing."""
    extra = {} if platform == Platform.ALIEXPRESS else {"aliexpress_tier": ""}
    store = store_ready(
        platform=platform,
        bound=False,
        tax_address="另一个地址",
        legal_rep_id_expiry=AUGUST.date(),
        **extra,
        **fields,
    )
    from platforms.models import StoreMetricsSnapshot

    StoreMetricsSnapshot.objects.filter(store_id=store.platform_store_id).update(
        serious_complaints_30d=3
    )
    return store


def assert_not_aliexpress(text: str, platform: str) -> None:
    for word in ALIEXPRESS_ONLY:
        assert word not in text, (platform, word, text)


@pytest.mark.parametrize("platform", OTHERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fix_of_any_check_sends_another_platform_to_aliexpress(platform, language):
    store = failing_store(platform)
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)

    with translation.override(language):
        outcomes = gate.run(ctx, trace=True).outcomes
        fixes = {o.code: o.fix for o in outcomes}
        failing = {o.code for o in outcomes if o.status == CheckStatus.FAIL}

    assert {"store_not_bound", "dsr_frozen", "legal_rep_id_expiring"} <= failing
    for fix in fixes.values():
        assert_not_aliexpress(fix, platform)
    assert OWN_WORDS[platform] in fixes["store_not_bound"]
    assert OWN_WORDS[platform] in fixes["dsr_frozen"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_aliexpress_store_gets_the_articles_path(language):
    store = failing_store(Platform.ALIEXPRESS)
    ctx = gate.context(seller=store.seller, store=store, parcel=None, at=AUGUST)

    with translation.override(language):
        fix = gate.get("store_not_bound").fix_text(ctx)

    assert "菜鸟经络速通" in fix
    if language == "zh-hans":
        assert "物流设置 → 物流方案 → 勾选菜鸟经络速通 → 保存" in fix


def test_without_a_platform_the_fix_names_no_platform():
    fix = str(gate.get("store_not_bound").fix_text(None))

    assert_not_aliexpress(fix, "")


@pytest.mark.parametrize("platform", OTHERS)
def test_the_diagnosis_page_and_json_give_the_platforms_own_fix(client, platform):
    store = failing_store(platform)
    with pytest.raises(OrderRefused):
        create_shipment(store, order_number="L-1", at=AUGUST)
    client.force_login(SellerUserFactory(seller=store.seller))

    html = client.post(reverse("diagnostics:index"), {"order": "L-1"}).content.decode()
    data = order_diagnose(seller=store.seller, order_number="L-1", at=AUGUST).as_json()

    fix = html.split('id="root-cause-fix"')[1].split("</p>")[0]
    assert OWN_WORDS[platform] in fix
    assert_not_aliexpress(html.split('id="diagnosis"')[1], platform)
    unbound = next(c for c in data["checks"] if c["code"] == "store_not_bound")
    assert OWN_WORDS[platform] in unbound["fix"]
    assert_not_aliexpress(str(data), platform)


@pytest.mark.parametrize("platform", OTHERS)
def test_a_refused_shipment_gives_the_platforms_own_fix(client, platform, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AUGUST)
    store = failing_store(platform, status=ApplicationStatus.ACTIVE)
    client.force_login(SellerUserFactory(seller=store.seller))

    response = client.post(reverse("shipments:create"), order_form(store))

    refusal = response.context["refusal"]
    assert refusal["code"] == "store_not_bound"
    assert OWN_WORDS[platform] in refusal["fix"]
    assert refusal["fix_url"] == reverse("stores:detail", args=[store.pk])
    assert_not_aliexpress(response.content.decode().split("<main")[1], platform)


@pytest.mark.parametrize("platform", OTHERS)
def test_the_watch_email_gives_the_platforms_own_fix(platform, django_capture_on_commit_callbacks):
    store = failing_store(platform)
    SellerUserFactory(seller=store.seller, email="watch@example.cn")

    with django_capture_on_commit_callbacks(execute=True):
        stores_watch(at=AUGUST)

    (message,) = mail.outbox
    assert OWN_WORDS[platform] in message.body
    assert_not_aliexpress(message.body, platform)
