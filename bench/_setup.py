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
