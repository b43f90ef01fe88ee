"""The lock order, written once. Each app locks its own rows in its own ``locks.py``; a
transaction that takes more than one takes them in this order, so two can never wait on
each other:

1. ``shipments.locks.import_lock``: a bulk file's import row (one chunk at a time);
2. ``shipments.locks.shipment_lock``: a shipment (a carrier event, a cancellation);
2a. ``inventory.locks``: an inbound notice or a routed order (its insert), a shipment's
   allocation, then stock rows in (warehouse, SKU) order, then presale locks by id (a
   pickup or a cancellation reaches its stock after the shipment, through
   ``shipments.hooks``; a route creates its shipments after its stock);
3. ``stores.locks.store_lock``: the store an order ships for (the gate, the trial's
   counter and evaluation, its service's transitions);
4. ``billing.locks.account_lock``: the seller's settlement account (the balance);
5. ``billing.locks.statement_counter_lock``: a period's statement numbers.

Rows of one kind are locked in primary-key order.
"""
