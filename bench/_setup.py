"""What every database-heavy benchmark does first: point Django at a database of its own
(created when missing, kept for the next run), DEBUG off, the benchmarks' Redis database.

Import it before Django is set up; the script then calls ``django.setup()`` itself (some
adjust settings first)."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_REDIS_URL = "redis://127.0.0.1:6379/13"  # the benchmarks' Redis database


@dataclass(frozen=True)
class BenchDatabase:
    name: str
    url: str  # the benchmark's database
    server_url: str  # the server's maintenance database, for CREATE / DROP DATABASE


def bench_database(*, env: str, default: str, create: bool = True, **environ: str):
    """Use the database named by the environment variable ``env`` (else ``default``) and
    set ``environ`` as environment variables; create the database unless ``create`` is off
    (a child process of a benchmark that has made it already)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # no debug overhead in the figures
    os.environ["REDIS_URL"] = BENCH_REDIS_URL
    os.environ.update(environ)
    name = os.environ.get(env, default)
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jingluo"))
    database = BenchDatabase(
        name=name,
        url=urlunsplit(base._replace(path=f"/{name}")),
        server_url=urlunsplit(base._replace(path="/postgres")),
    )
    os.environ["DATABASE_URL"] = database.url
    if create:
        import psycopg

        with psycopg.connect(database.server_url, autocommit=True) as server:
            found = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone() is None:
                server.execute(f'CREATE DATABASE "{name}"')
    return database


def percentile(values: list[float], pct: float) -> float:
    """The ``pct``-th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def clone_sql(model, overrides: dict[str, str], source: str) -> str:
    """INSERT … SELECT that copies a template row of ``model`` (``t`` in ``source``), every
    NOT NULL column included, with ``overrides`` as SQL expressions per column."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    values = [overrides.get(column, f"t.{column}") for column in columns]
    table = model._meta.db_table
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {source}"


def template_shipment(*, seller, store, order_number: str, **fields):
    """A delivered-or-not shipment made through the ORM (华东 → US West, 500 g, ¥28.50), for
    a benchmark to clone by SQL: every NOT NULL column gets a value without restating the
    model in SQL. Call after ``django.setup()``."""
    from django.utils import timezone

    from shipments.models import Shipment

    now = timezone.now()
    values = {
        "tracking_number": "BB000000000CN",
        "created_at": now,
        "status_changed_at": now,
        "origin": "east",
        "recipient_name": "Jane Doe",
        "address": "1 Market St",
        "city": "San Francisco",
        "postcode": "94105",
        "country": "US",
        "weight_g": 500,
        "contents": "T-shirts",
        "declared_value": "12.50",
        "rate_card_id": 1,
        "lane": "east/us-west/standard",
        "zone": "us-west",
        "volumetric_weight_g": 0,
        "chargeable_weight_g": 500,
        "score": "100.00",
        "peak_rate": "0",
        "green_rate": "0",
        "base": "28.50",
        "fulfillment_adjustment": "0.00",
        "peak_adjustment": "0.00",
        "green_discount": "0.00",
        "quoted_total": "28.50",
        "charge": "28.50",
        "transit_days": 7,
        "customs_clearance_hours": 48,
        **fields,
    }
    return Shipment.objects.create(seller=seller, store=store, order_number=order_number, **values)


def template_store(*, application):
    """The store in service of an active ``application`` (as approval opens it: active,
    bound), linked to it, for a benchmark to clone by SQL beside its application
    (``clone_stores_sql``). Call after ``django.setup()``."""
    from django.utils import timezone

    from stores.models import Store, StoreStatus

    now = timezone.now()
    store = Store.objects.create(
        seller=application.seller,
        reference=f"B{application.pk:011d}"[:20],
        platform=application.platform,
        platform_store_id=application.store_id,
        company_name=application.company_name,
        sender_address=application.registered_address,
        settlement_mode=application.settlement_mode,
        status=StoreStatus.ACTIVE,
        opened_at=now,
        activated_at=now,
        bound_at=now,
    )
    application.opened_store = store
    application.save(update_fields=["opened_store"])
    return store


def clone_stores_sql(*, template_store_id: int, applications_where: str) -> list[str]:
    """SQL that gives each application matched by ``applications_where`` (on
    ``onboarding_application a``) a copy of the template store — its seller, its platform
    store id, a reference from its id — and links it (``opened_store_id``)."""
    from stores.models import Store

    insert = clone_sql(
        Store,
        {
            "seller_id": "a.seller_id",
            "platform_store_id": "a.store_id",
            "reference": "'B' || lpad(a.id::text, 11, '0')",
        },
        f"FROM stores_store t, onboarding_application a "
        f"WHERE t.id = {int(template_store_id)} AND {applications_where}",
    )
    link = (
        "UPDATE onboarding_application a SET opened_store_id = s.id "  # noqa: S608 - bench SQL
        "FROM stores_store s "
        f"WHERE s.reference = 'B' || lpad(a.id::text, 11, '0') AND {applications_where}"
    )
    return [insert, link]
