"""Inbound notices received partially or in full (differences recorded), and presale locks
from stock on hand or still inbound, released at expiry by the beat task or by the seller.
Every refusal changes nothing."""

import datetime

import pytest
from django.utils import timezone

from inventory.exceptions import IllegalTransition, InvalidInventoryInput
from inventory.models import InboundStatus, LockStatus, PresaleLock, StockMovement
from inventory.services import (
    SkuQuantity,
    campaign_get_or_create,
    inbound_declare,
    inbound_receive,
    presale_lock_create,
    presale_lock_release,
    presale_locks_expire,
)
from inventory.tasks import expire_presale_locks
from tests.billing.factories import instant_store
from tests.shipments.factories import AUGUST

from .factories import sku, stock_in, warehouse
from .helpers import assert_invariants, levels

pytestmark = pytest.mark.django_db
LATER = AUGUST + datetime.timedelta(days=10)


@pytest.fixture
def seller():
    return instant_store(balance="500.00").seller


@pytest.fixture
def lax():
    return warehouse("US-LAX")


def _declare(seller, where, text, **kwargs):
    lines = [SkuQuantity(code, int(q)) for code, q in (p.split(":") for p in text.split(","))]
    return inbound_declare(seller=seller, warehouse=where, lines=lines, at=AUGUST, **kwargs)


def test_goods_declared_then_received_in_two_parts_with_a_difference(seller, lax):
    a, b = sku(seller, "A"), sku(seller, "B")
    notice = _declare(seller, lax, "A:10,B:5", reference="MSKU1234567")
    assert levels(lax, a) == (0, 0, 10, 0) and levels(lax, b) == (0, 0, 5, 0)
    line_a, line_b = notice.lines.order_by("pk")

    inbound_receive(inbound=notice, quantities={line_a.pk: 6}, at=AUGUST)
    notice.refresh_from_db()
    assert notice.status == InboundStatus.PARTIAL
    assert levels(lax, a) == (6, 0, 4, 0)

    inbound_receive(
        inbound=notice, quantities={line_a.pk: 3, line_b.pk: 5}, close=True, note="1 A crushed"
    )
    notice.refresh_from_db()
    line_a.refresh_from_db()
    line_b.refresh_from_db()
    assert (notice.status, notice.note) == (InboundStatus.CLOSED, "1 A crushed")
    assert (line_a.received, line_a.difference) == (9, 1)
    assert (line_b.received, line_b.difference) == (5, 0)
    assert levels(lax, a) == (9, 0, 0, 0) and levels(lax, b) == (5, 0, 0, 0)
    kinds = list(
        StockMovement.objects.filter(stock__sku=a).order_by("pk").values_list("kind", "quantity")
    )
    assert kinds == [("inbound", 10), ("received", 6), ("received", 3), ("adjusted", 1)]
    assert_invariants()


def test_receiving_more_than_declared_is_refused_and_changes_nothing(seller, lax):
    a = sku(seller, "A")
    notice = _declare(seller, lax, "A:10")
    line = notice.lines.get()
    inbound_receive(inbound=notice, quantities={line.pk: 8})
    movements = StockMovement.objects.count()

    with pytest.raises(InvalidInventoryInput) as error:
        inbound_receive(inbound=notice, quantities={line.pk: 3})

    assert "Receive at most 2" in str(error.value.message)
    line.refresh_from_db()
    assert line.received == 8 and levels(lax, a) == (8, 0, 2, 0)
    assert StockMovement.objects.count() == movements
    for bad in ({line.pk: -1}, {line.pk + 999: 1}, {}):
        with pytest.raises(InvalidInventoryInput):
            inbound_receive(inbound=notice, quantities=bad)
    inbound_receive(inbound=notice, quantities={}, close=True)
    with pytest.raises(IllegalTransition):
        inbound_receive(inbound=notice, quantities={line.pk: 1})
    assert levels(lax, a) == (8, 0, 0, 0)
    assert_invariants()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("NOPE:1", "Unknown SKU: NOPE"), ("A:0", "whole number"), ("A:-4", "whole number")],
)
def test_bad_inbound_lines_are_refused(seller, lax, text, fragment):
    sku(seller, "A")
    with pytest.raises(InvalidInventoryInput) as error:
        inbound_declare(
            seller=seller,
            warehouse=lax,
            lines=[SkuQuantity(*text.split(":"))],  # the quantity as typed
        )
    assert fragment in str(error.value.message)
    assert not StockMovement.objects.exists()


def test_a_lock_takes_free_stock_on_hand_then_inbound_and_arrivals_fill_it(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 4)
    notice = _declare(seller, lax, "A:10")
    campaign = campaign_get_or_create(seller=seller, code="bf2026", name="Black Friday")

    lock = presale_lock_create(
        campaign=campaign, warehouse=lax, sku=a, quantity=9, expires_at=LATER, at=AUGUST
    )

    assert (lock.held, lock.awaiting) == (4, 5)
    assert levels(lax, a) == (4, 4, 10, 5)
    inbound_receive(inbound=notice, quantities={notice.lines.get().pk: 7}, at=AUGUST)
    lock.refresh_from_db()
    assert (lock.held, lock.awaiting) == (9, 0)
    assert levels(lax, a) == (11, 9, 3, 0)
    assert_invariants()


def test_a_notice_closed_short_cuts_the_locks_waiting_for_it(seller, lax):
    a = sku(seller, "A")
    notice = _declare(seller, lax, "A:10")
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    lock = presale_lock_create(
        campaign=campaign, warehouse=lax, sku=a, quantity=8, expires_at=LATER, at=AUGUST
    )
    line = notice.lines.get()

    inbound_receive(inbound=notice, quantities={line.pk: 5}, close=True, at=AUGUST)

    lock.refresh_from_db()
    assert (lock.held, lock.awaiting, lock.released) == (5, 0, 3)
    assert levels(lax, a) == (5, 5, 0, 0)
    assert_invariants()


def test_a_lock_bigger_than_stock_on_hand_and_inbound_is_refused(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 3)
    _declare(seller, lax, "A:2")
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    movements = StockMovement.objects.count()

    with pytest.raises(InvalidInventoryInput) as error:
        presale_lock_create(
            campaign=campaign, warehouse=lax, sku=a, quantity=6, expires_at=LATER, at=AUGUST
        )

    assert error.value.field == "quantity"
    assert "Only 5 of A are free" in str(error.value.message)
    assert not PresaleLock.objects.exists() and StockMovement.objects.count() == movements
    for quantity, expires_at, field in (
        (0, LATER, "quantity"),
        (1, AUGUST - datetime.timedelta(minutes=1), "expires_at"),
        (1, AUGUST + datetime.timedelta(days=400), "expires_at"),
    ):
        with pytest.raises(InvalidInventoryInput) as error:
            presale_lock_create(
                campaign=campaign,
                warehouse=lax,
                sku=a,
                quantity=quantity,
                expires_at=expires_at,
                at=AUGUST,
            )
        assert error.value.field == field
    assert levels(lax, a) == (3, 0, 2, 0)


def test_expired_locks_are_released_by_the_beat_task_once(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    _declare(seller, lax, "A:5")
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    now = timezone.now()
    due = presale_lock_create(
        campaign=campaign,
        warehouse=lax,
        sku=a,
        quantity=7,
        expires_at=now + datetime.timedelta(minutes=1),
        at=now,
    )
    later = presale_lock_create(
        campaign=campaign,
        warehouse=lax,
        sku=a,
        quantity=1,
        expires_at=now + datetime.timedelta(days=3),
        at=now,
    )
    assert levels(lax, a) == (5, 5, 5, 3)

    assert presale_locks_expire(now=now + datetime.timedelta(minutes=2)) == 1
    assert presale_locks_expire(now=now + datetime.timedelta(minutes=3)) == 0  # safe twice

    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.held, due.awaiting, due.released) == (LockStatus.EXPIRED, 0, 0, 7)
    assert later.status == LockStatus.ACTIVE
    assert levels(lax, a) == (5, 0, 5, 1)
    assert expire_presale_locks.name == "inventory.expire_presale_locks"
    assert_invariants()


def test_the_seller_releases_a_lock_once(seller, lax):
    a = sku(seller, "A")
    stock_in(lax, a, 5)
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    lock = presale_lock_create(
        campaign=campaign, warehouse=lax, sku=a, quantity=5, expires_at=LATER, at=AUGUST
    )

    presale_lock_release(lock=lock, user=None, at=AUGUST)
    with pytest.raises(IllegalTransition):
        presale_lock_release(lock=lock, user=None, at=AUGUST)

    lock.refresh_from_db()
    assert (lock.status, lock.released) == (LockStatus.RELEASED, 5)
    assert levels(lax, a) == (5, 0, 0, 0)
    assert_invariants()


def test_another_sellers_sku_cannot_be_locked(seller, lax):
    theirs = sku(instant_store().seller, "A")
    stock_in(lax, theirs, 5)
    campaign = campaign_get_or_create(seller=seller, code="PRE")
    with pytest.raises(InvalidInventoryInput):
        presale_lock_create(
            campaign=campaign, warehouse=lax, sku=theirs, quantity=1, expires_at=LATER, at=AUGUST
        )
    assert not PresaleLock.objects.exists()
