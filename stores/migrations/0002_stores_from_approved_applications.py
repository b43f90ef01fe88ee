"""Every application past approval becomes a store, keeping its id: the shipments, refused
orders, files and warnings that pointed at the application keep pointing at the same id,
now a store's (their foreign keys move in shipments 0006 and diagnostics 0003).

Past approval: in trial, under trial review, active, closed, or rejected after its trial
(approved once), and anything a shipment already ships for. The service's history is
copied from the application's audit trail; the trial counter from the trial shipments
that did not end cancelled. The id sequence then continues after the highest id.
"""

from django.db import migrations

STORES = """
INSERT INTO stores_store (
    id, seller_id, reference, platform, platform_store_id, company_name, sender_address,
    settlement_mode, status, closure, status_reason, trial_quota, trial_used, opened_at,
    activated_at, updated_at
)
SELECT a.id, a.seller_id, 'JL-' || lpad(a.id::text, 6, '0'), a.platform, a.store_id,
       a.company_name, a.registered_address, a.settlement_mode,
       CASE WHEN a.status IN ('closed', 'rejected') THEN 'closed' ELSE a.status END,
       CASE a.status WHEN 'closed' THEN 'health' WHEN 'rejected' THEN 'rejected' ELSE '' END,
       CASE WHEN a.status IN ('closed', 'rejected') THEN a.decision_reason ELSE '' END,
       3,
       (SELECT count(*) FROM shipments_shipment s
         WHERE s.store_id = a.id AND s.is_trial AND s.status <> 'cancelled'),
       coalesce(a.approved_at, a.created_at), a.activated_at, now()
FROM onboarding_application a
WHERE a.status IN ('trial', 'trial_review', 'active', 'closed')
   OR (a.status = 'rejected' AND a.approved_at IS NOT NULL)
   OR EXISTS (SELECT 1 FROM shipments_shipment s WHERE s.store_id = a.id)
ORDER BY a.id;
"""

EVENTS = """
INSERT INTO stores_storeevent (store_id, from_status, to_status, actor_id, reason, data, at)
SELECT e.application_id,
       CASE WHEN e.from_status IN ('in_review') THEN ''
            WHEN e.from_status = 'rejected' THEN 'closed' ELSE e.from_status END,
       CASE WHEN e.to_status = 'rejected' THEN 'closed' ELSE e.to_status END,
       e.actor_id, e.reason, e.data, e.at
FROM onboarding_applicationevent e
JOIN stores_store st ON st.id = e.application_id
WHERE e.action = 'transition'
  AND e.to_status IN ('trial', 'trial_review', 'active', 'closed', 'rejected')
  AND NOT (e.to_status = 'rejected' AND e.from_status <> 'trial_review')
ORDER BY e.at, e.id;
"""

SEQUENCE = """
SELECT setval(pg_get_serial_sequence('stores_store', 'id'),
              greatest((SELECT max(id) FROM stores_store), 1),
              (SELECT max(id) FROM stores_store) IS NOT NULL);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0001_initial"),
        ("onboarding", "0002_staff_permissions"),
        ("shipments", "0005_status_recent_index"),
    ]

    operations = [
        migrations.RunSQL(STORES, "DELETE FROM stores_store;"),
        migrations.RunSQL(EVENTS, "DELETE FROM stores_storeevent;"),
        migrations.RunSQL(SEQUENCE, migrations.RunSQL.noop),
    ]
