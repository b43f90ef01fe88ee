"""Scripted check of the stores/pricing migrations on real data: build the living demo
with the code of an earlier commit, migrate it with this checkout's code, and compare.

    .venv/bin/python scripts/check_upgrade.py [--from 6a730b6] [--database jingluo_upgrade]

It checks that every shipment keeps its id and its store id (now a ``stores.Store`` with
the application's id and status), that refused orders, ledger entries and statement lines
are all still there with the shipment's numbers copied onto billing's rows, that the rate
cards kept their ids in their renamed tables, and that operations keep their pricing
permissions. Exits 1 on the first difference. Needs PostgreSQL and git; drops and recreates
the database it is given.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"

QUERIES = {
    "shipments": "SELECT id, store_id, order_number, tracking_number FROM shipments_shipment",
    "refused": "SELECT id, order_number, check_code FROM shipments_refusedorder",
    "ledger": "SELECT id, key, amount FROM billing_ledgerentry",
    "lines": "SELECT id, entry_id, amount FROM billing_statementline",
    "cards": "SELECT id, name, effective_from FROM {cards}",
    "statuses": "SELECT id, status FROM onboarding_application",
}


def sql(database: str, query: str) -> list[tuple[str, ...]]:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-AtF", "\t", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(tuple(line.split("\t")) for line in out.splitlines() if line)


def manage(cwd: Path, database: str, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=cwd, env=env, check=True)


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="base", default="6a730b6")
    parser.add_argument("--database", default="jingluo_upgrade")
    args = parser.parse_args()
    db = args.database
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "-q", str(old), args.base], cwd=ROOT, check=True)
        try:
            manage(old, db, "migrate", "-v", "0")
            manage(old, db, "seed_demo")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=True)
    before = {k: sql(db, q.format(cards="billing_ratecard")) for k, q in QUERIES.items()}
    manage(ROOT, db, "migrate", "-v", "0")
    after = {k: sql(db, q.format(cards="pricing_ratecard")) for k, q in QUERIES.items()}
    for key in QUERIES:
        if before[key] != after[key]:
            fail(f"{key} differ after the migration")
        print(f"ok   {key}: {len(after[key])} rows, ids and values unchanged")
    stores = dict(sql(db, "SELECT id, status FROM stores_store"))
    statuses = dict(after["statuses"])
    shipped_for = {row[1] for row in after["shipments"]}
    if not shipped_for <= set(stores):
        fail(f"shipments point at ids that are no store: {sorted(shipped_for - set(stores))}")
    for store_id, status in stores.items():
        expected = "closed" if statuses[store_id] in ("closed", "rejected") else statuses[store_id]
        if status != expected:
            fail(f"store {store_id} is {status}, its application {statuses[store_id]}")
    linked = sql(db, "SELECT id FROM onboarding_application WHERE opened_store_id = id")
    if sorted(stores) != sorted(row[0] for row in linked):
        fail("not every store is linked from its application")
    print(f"ok   stores: {len(stores)}, same ids and statuses as their applications")
    missing = sql(
        db,
        "SELECT e.id FROM billing_ledgerentry e JOIN shipments_shipment s ON s.id = e.shipment_id "
        "WHERE e.tracking_number <> s.tracking_number OR e.order_number <> s.order_number",
    )
    if missing:
        fail(f"ledger entries without their shipment's numbers: {missing[:5]}")
    print("ok   ledger entries carry their shipment's order and tracking numbers")
    perms = sql(
        db,
        "SELECT p.codename FROM auth_group g JOIN auth_group_permissions gp ON gp.group_id = g.id "
        "JOIN auth_permission p ON p.id = gp.permission_id JOIN django_content_type c "
        "ON c.id = p.content_type_id WHERE g.name = 'Operations' AND c.app_label = 'pricing'",
    )
    if ("change_ratecard",) not in perms:
        fail("operations lost their pricing permissions")
    print(f"ok   operations keep {len(perms)} pricing permissions")
    manage(ROOT, db, "check")
    print("upgrade check passed")


if __name__ == "__main__":
    main()
