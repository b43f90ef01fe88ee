"""The binding loop (issue 13, item 1): a store opened before its platform reports it bound
waits, visibly; the seller says "I have bound it" (recorded, operations see it); operations
have a queue with the age of each store, in the admin and on its index; the next metrics
import that reports the store bound ends the wait and tells the seller."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailState, Notification
from notifications.services import notification_email
from onboarding.models import ApplicationStatus
from onboarding.services import application_approve
from platforms.models import Platform
from stores.models import Store
from stores.services import store_binding_claim, stores_binding_confirm
from tests.accounts.factories import SellerUserFactory, StaffUserFactory
from tests.onboarding.factories import ApplicationFactory
from tests.platforms.factories import (
    StoreMetricsSnapshotFactory,
    import_csv,
    metrics_csv,
    metrics_row,
)

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def approved_store(*, platform=Platform.ALIEXPRESS, **fields) -> Store:
    """A store opened by operations' approval, as in production."""
    extra = {}
    if platform != Platform.ALIEXPRESS:
        extra = {"aliexpress_tier": "", "aliexpress_store_level": None}
    application = ApplicationFactory(
        status=ApplicationStatus.IN_REVIEW, platform=platform, **extra, **fields
    )
    reviewer = StaffUserFactory(groups=["Operations"])
    application_approve(application=application, actor=reviewer)
    return application.opened_store


def row_for(store: Store, **values) -> dict[str, str]:
    platform_only = {
        Platform.ALIEXPRESS: {"aliexpress_tier": "ka"},
        Platform.LAZADA: {"aliexpress_tier": "", "lazada_official_warehouse": "yes"},
        Platform.TEMU: {"aliexpress_tier": "", "temu_full_custody_whitelisted": "yes"},
        Platform.TIKTOK: {"aliexpress_tier": "", "tiktok_site": "uk"},
    }[store.platform]
    values = {"as_of": timezone.localdate().isoformat(), **platform_only, **values}
    return metrics_row(platform=store.platform, store_id=store.platform_store_id, **values)


def test_a_store_opened_before_the_platform_reports_it_bound_waits():
    store = approved_store()

    assert store.bound_at is None
    assert store.awaiting_binding


def test_a_store_the_platform_already_reports_bound_is_confirmed_at_opening():
    application = ApplicationFactory(status=ApplicationStatus.IN_REVIEW)
    StoreMetricsSnapshotFactory(
        platform=application.platform, store_id=application.store_id, store_bound=True
    )

    application_approve(application=application, actor=StaffUserFactory())

    assert application.opened_store.bound_at is not None
    assert not application.opened_store.awaiting_binding


def test_the_seller_page_shows_the_wait_and_its_platforms_own_steps(client):
    store = approved_store(platform=Platform.LAZADA)
    client.force_login(SellerUserFactory(seller=store.seller))

    html = client.get(reverse("stores:detail", args=[store.pk])).content.decode()

    assert 'id="binding" data-state="waiting" data-platform="lazada"' in html
    assert "Lazada 卖家中心" in html
    assert "物流方案" not in html
    assert "AliExpress" not in html and "速卖通" not in html


def test_saying_i_have_bound_it_is_recorded_and_changes_nothing_else(client):
    store = approved_store()
    user = SellerUserFactory(seller=store.seller)
    client.force_login(user)

    response = client.post(reverse("stores:binding_claim", args=[store.pk]), follow=True)

    assert response.status_code == 200
    store.refresh_from_db()
    assert store.binding_claimed_by == user
    assert store.binding_claimed_at is not None
    assert store.bound_at is None  # only the platform's report confirms it
    assert 'data-state="claimed"' in response.content.decode()


def test_another_sellers_store_is_not_found(client):
    store = approved_store()
    client.force_login(SellerUserFactory())

    assert client.get(reverse("stores:detail", args=[store.pk])).status_code == 404
    assert client.post(reverse("stores:binding_claim", args=[store.pk])).status_code == 404
    store.refresh_from_db()
    assert store.binding_claimed_at is None


def test_a_confirmed_store_cannot_be_claimed_again(client):
    store = approved_store()
    import_csv(metrics_csv([row_for(store)]))
    store.refresh_from_db()
    claimed = store.bound_at
    client.force_login(SellerUserFactory(seller=store.seller))

    response = client.post(reverse("stores:binding_claim", args=[store.pk]), follow=True)

    assert response.status_code == 200
    store.refresh_from_db()
    assert store.binding_claimed_at is None
    assert store.bound_at == claimed


def test_operations_see_the_queue_with_its_age_in_the_admin_and_on_its_index(client):
    old = approved_store()
    Store.objects.filter(pk=old.pk).update(opened_at=timezone.now() - datetime.timedelta(days=3))
    claimed = approved_store()
    store_binding_claim(store=claimed, actor=SellerUserFactory(seller=claimed.seller))
    bound = approved_store()
    import_csv(metrics_csv([row_for(bound)]))
    client.force_login(StaffUserFactory(groups=["Operations"]))

    index = client.get(ADMIN).content.decode()
    waiting = client.get(f"{ADMIN}stores/store/?binding=awaiting")
    claims = client.get(f"{ADMIN}stores/store/?binding=claimed")

    assert 'data-queue="stores_awaiting_binding" data-count="2"' in index
    assert "3" in index.split('data-queue="stores_awaiting_binding"')[1].split("</tr>")[0]
    assert [s.pk for s in waiting.context["cl"].result_list] == [old.pk, claimed.pk]
    assert [s.pk for s in claims.context["cl"].result_list] == [claimed.pk]


def test_the_queue_is_not_shown_to_staff_without_the_stores_permission(client):
    approved_store()
    client.force_login(StaffUserFactory(groups=["Finance"]))

    assert "stores_awaiting_binding" not in client.get(ADMIN).content.decode()


def test_the_next_metrics_import_ends_the_wait_and_tells_the_seller():
    store = approved_store()
    owner = SellerUserFactory(seller=store.seller)

    batch = import_csv(metrics_csv([row_for(store, store_bound="true")]))

    assert batch.status == "succeeded"
    store.refresh_from_db()
    assert store.bound_at == batch.created_at
    (notification,) = Notification.objects.filter(seller=store.seller, kind="store_bound")
    assert (notification.kind, notification.key) == ("store_bound", f"store:{store.pk}:bound")
    assert notification.url == reverse("stores:detail", args=[store.pk])
    assert notification_email(notification_id=notification.pk) == EmailState.SENT
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert store.platform_store_id in message.subject


def test_an_import_reporting_the_store_unbound_keeps_it_waiting():
    store = approved_store()

    import_csv(metrics_csv([row_for(store, store_bound="false")]))

    store.refresh_from_db()
    assert store.bound_at is None
    assert not Notification.objects.filter(kind="store_bound").exists()


def test_an_older_report_of_bound_does_not_end_the_wait_when_the_latest_says_unbound():
    store = approved_store()
    today = timezone.localdate()
    import_csv(metrics_csv([row_for(store, store_bound="false", as_of=today.isoformat())]))

    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    import_csv(metrics_csv([row_for(store, store_bound="true", as_of=yesterday)]))

    store.refresh_from_db()
    assert store.bound_at is None


def test_confirming_twice_tells_the_seller_once():
    store = approved_store()
    import_csv(metrics_csv([row_for(store)]))
    first = Store.objects.get(pk=store.pk).bound_at

    again = stores_binding_confirm(reported=frozenset({(store.platform, store.platform_store_id)}))

    assert again == []
    assert Store.objects.get(pk=store.pk).bound_at == first
    assert Notification.objects.filter(seller=store.seller, kind="store_bound").count() == 1


def test_a_refused_import_confirms_nothing():
    store = approved_store()
    rows = [row_for(store), row_for(store)]  # the same store and day twice: refused whole

    batch = import_csv(metrics_csv(rows))

    assert batch.status == "rejected"
    store.refresh_from_db()
    assert store.bound_at is None
    assert not Notification.objects.filter(kind="store_bound").exists()


def test_the_dashboard_nudges_while_waiting_and_stops_as_soon_as_it_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        store = approved_store(platform=Platform.LAZADA)
    owner = SellerUserFactory(seller=store.seller)
    client.force_login(owner)

    waiting = client.get(reverse("portal:dashboard")).content.decode()
    again = client.get(reverse("portal:dashboard")).content.decode()  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        import_csv(metrics_csv([row_for(store)]))
    confirmed = client.get(reverse("portal:dashboard")).content.decode()

    assert 'id="binding-nudge"' in waiting and "Lazada" in waiting
    assert f'href="{reverse("stores:detail", args=[store.pk])}"' in again
    assert 'id="binding-nudge"' not in confirmed
