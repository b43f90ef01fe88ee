"""Fixtures shared by the whole suite. Everything runs against the real PostgreSQL and
Redis; `celery_worker` starts a real worker process that consumes from Redis."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.accounts.factories import SellerUserFactory, StaffUserFactory

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _clean_media():
    """Each test starts with an empty document store."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    yield


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis():
    """Tests own their Redis database; start from an empty one."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def seller_user(db):
    return SellerUserFactory()


@pytest.fixture
def other_seller_user(db):
    return SellerUserFactory()


@pytest.fixture
def ops_user(db):
    return StaffUserFactory(groups=["Operations"])


@pytest.fixture
def finance_user(db):
    return StaffUserFactory(groups=["Finance"])


@pytest.fixture
def seller_client(client, seller_user):
    client.force_login(seller_user)
    return client


def _database_url_of_test_db() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the test Redis database and the test PostgreSQL
    database, consuming the same queues as production. Stopped after the session."""
    from config.celery import app

    with django_db_blocker.unblock():
        database_url = _database_url_of_test_db()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "TEST_REDIS_URL": settings.REDIS_URL,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"test-celery-worker-{os.getpid()}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--queues",
            ",".join(settings.CELERY_WORKER_QUEUES),
            "--hostname",
            f"pytest-{os.getpid()}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    replies = []
    while time.monotonic() < deadline and not replies:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited; see {log.name}")
        replies = app.control.ping(timeout=0.5)
    if not replies:
        process.kill()
        raise RuntimeError(f"Celery worker did not answer within 30 s; see {log.name}")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
