"""Property-based: any sequence of inbound notices declared and received (partly, in full or
closed short), presale locks taken, released and expired, orders routed under either policy
(with a campaign or not), parcels picked up and orders cancelled keeps every invariant of
the stock: on hand ≥ reserved ≥ 0, inbound ≥ inbound locked ≥ 0, every level the sum of its
movements and what its locks, orders and notices promise, every lock adding up, and the
units on hand exactly what was received less what was shipped. A refused step changes
nothing. Each example runs in a savepoint rolled back at its end."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from inventory.exceptions import IllegalTransition, InvalidInventoryInput, RouteRefused
from inventory.models import (
    Allocation,
    AllocationStatus,
    Inbound,
    InboundStatus,
    PresaleLock,
    RoutedOrder,
    Stock,
    StockMovement,
)
from inventory.services import (
    SkuQuantity,
    campaign_get_or_create,
    inbound_declare,
    inbound_receive,
    presale_lock_create,
    presale_lock_release,
    presale_locks_expire,
    route_cancel,
)
from pricing.rates import pricing_cache_clear_local
from shipments.exceptions import ShipmentError
from shipments.models import EventSource, Shipment, ShipmentStatus
from shipments.services import shipment_transition
from tests.billing.factories import instant_store
from tests.shipments.factories import AUGUST

from .factories import sku, warehouse
from .helpers import assert_invariants, route

SKUS = ("A", "B")
SITES = ("US-LAX", "US-NJ")


class StockMachine(RuleBasedStateMachine):
    notices = Bundle("notices")
    locks = Bundle("locks")
    orders = Bundle("orders")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        pricing_cache_clear_local()
        self.now = AUGUST
        self.seller = instant_store(balance="100000.00").seller
        self.sites = {code: warehouse(code) for code in SITES}
        self.skus = {code: sku(self.seller, code) for code in SKUS}
        self.campaign = campaign_get_or_create(seller=self.seller, code="PRE")
        self.received = {(w, s): 0 for w in SITES for s in SKUS}  # the oracle's count
        self.shipped = {(w, s): 0 for w in SITES for s in SKUS}
        self.numbers = 0
        # Some stock to start with: 4 of each SKU received in each warehouse.
        for site in SITES:
            notice = inbound_declare(
                seller=self.seller,
                warehouse=self.sites[site],
                lines=[SkuQuantity(code, 4) for code in SKUS],
                at=self.now,
            )
            inbound_receive(
                inbound=notice, quantities={line.pk: 4 for line in notice.lines.all()}, at=self.now
            )
            for code in SKUS:
                self.received[(site, code)] += 4

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        pricing_cache_clear_local()

    def _tick(self, minutes: int = 7) -> datetime.datetime:
        self.now += datetime.timedelta(minutes=minutes)
        return self.now

    def _unchanged(self, call) -> bool:
        """Run ``call``; when it is refused, nothing may have moved."""
        before = StockMovement.objects.count()
        try:
            call()
        except (InvalidInventoryInput, RouteRefused, IllegalTransition, ShipmentError):
            assert StockMovement.objects.count() == before
            return False
        return True

    @rule(
        target=notices,
        site=st.sampled_from(SITES),
        a=st.integers(0, 6),
        b=st.integers(0, 6),
    )
    def declare(self, site, a, b):
        lines = [SkuQuantity(code, q) for code, q in (("A", a), ("B", b)) if q]
        if not lines:
            lines = [SkuQuantity("A", 0)]  # bad input: refused
        notice = []
        self._unchanged(
            lambda: notice.append(
                inbound_declare(
                    seller=self.seller, warehouse=self.sites[site], lines=lines, at=self._tick()
                )
            )
        )
        return notice[0].pk if notice else None

    @rule(
        notice=notices,
        share=st.sampled_from([0, 1, 2]),
        close=st.booleans(),
        extra=st.booleans(),
    )
    def receive(self, notice, share, close, extra):
        if notice is None:
            return
        found = Inbound.objects.get(pk=notice)
        if found.status == InboundStatus.CLOSED:
            return
        lines = list(found.lines.select_related("sku"))
        quantities = {}
        for line in lines:
            left = line.declared - line.received
            quantities[line.pk] = left + 1 if extra else [0, left // 2, left][share]
        if self._unchanged(
            lambda: inbound_receive(
                inbound=found, quantities=quantities, close=close, at=self._tick()
            )
        ):
            for line in lines:
                self.received[(found.warehouse.code, line.sku.code)] += quantities[line.pk]

    @rule(
        target=locks,
        site=st.sampled_from(SITES),
        code=st.sampled_from(SKUS),
        quantity=st.integers(0, 8),
        hours=st.integers(1, 6),
    )
    def lock(self, site, code, quantity, hours):
        made = []
        self._unchanged(
            lambda: made.append(
                presale_lock_create(
                    campaign=self.campaign,
                    warehouse=self.sites[site],
                    sku=self.skus[code],
                    quantity=quantity,
                    expires_at=self.now + datetime.timedelta(hours=hours),
                    at=self._tick(),
                )
            )
        )
        return made[0].pk if made else None

    @rule(lock=consumes(locks))
    def release(self, lock):
        if lock is not None:
            self._unchanged(
                lambda: presale_lock_release(
                    lock=PresaleLock.objects.get(pk=lock), user=None, at=self._tick()
                )
            )

    @rule(hours=st.integers(1, 4))
    def expire(self, hours):
        presale_locks_expire(now=self._tick(60 * hours))

    @rule(
        target=orders,
        a=st.integers(0, 3),
        b=st.integers(0, 3),
        fill_all=st.booleans(),
        campaign=st.booleans(),
        max_splits=st.integers(1, 2),
    )
    def route_order(self, a, b, fill_all, campaign, max_splits):
        text = ",".join(f"{code}:{q}" for code, q in (("A", a), ("B", b)) if q) or "A:0"
        self.numbers += 1
        result = []
        self._unchanged(
            lambda: result.append(
                route(
                    self.seller,
                    f"SM-{self.numbers}",
                    text,
                    policy="fill_all_available" if fill_all else "fill_or_kill",
                    campaign="PRE" if campaign else "",
                    max_splits=max_splits,
                    at=self._tick(),
                )
            )
        )
        return result[0].route_id if result else None

    @precondition(lambda self: Allocation.objects.filter(status="reserved").exists())
    @rule(data=st.data())
    def pick_up(self, data):
        allocation = data.draw(
            st.sampled_from(
                list(Allocation.objects.filter(status=AllocationStatus.RESERVED).order_by("pk"))
            )
        )
        shipment = Shipment.objects.get(pk=allocation.shipment_id)
        shipment_transition(
            shipment=shipment,
            to_status=ShipmentStatus.PICKED_UP,
            at=self._tick(),
            source=EventSource.WEBHOOK,
        )
        for line in allocation.lines.select_related("stock__warehouse", "stock__sku"):
            self.shipped[(line.stock.warehouse.code, line.stock.sku.code)] += line.quantity

    @rule(order=orders)
    def cancel(self, order):
        if order is not None:
            self._unchanged(
                lambda: route_cancel(
                    route=RoutedOrder.objects.get(pk=order), user=None, at=self._tick()
                )
            )

    @invariant()
    def the_stock_holds(self):
        assert_invariants()
        for row in Stock.objects.select_related("warehouse", "sku"):
            key = (row.warehouse.code, row.sku.code)
            assert row.on_hand == self.received[key] - self.shipped[key]


StockMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,  # the same examples every run: a red build is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
def test_every_sequence_keeps_the_stock_invariants():
    StockMachine.TestCase().runTest()
