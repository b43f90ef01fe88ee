"""Fixtures shared by the whole suite. Everything runs against the real PostgreSQL and
Redis; `celery_worker` starts a real worker process that consumes from Redis."""

import os
import shutil
import signal
import socket
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


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """allauth's rate limits live in the Redis cache: each test starts with none used (the
    Redis database itself is not flushed: the session's Celery worker uses it as broker)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match="*allauth*", count=1000))
    if keys:
        client.delete(*keys)
    yield


@pytest.fixture(autouse=True)
def _fresh_customs_cache():
    """Each test's customs rows are rolled back afterwards: none may see another's."""
    from customs.cache import customs_cache_clear_local

    customs_cache_clear_local()
    yield
    customs_cache_clear_local()


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


def start_celery_worker(*, name: str, queues: list[str], concurrency: int = 2):
    """Start a real worker process on the test Redis and the test PostgreSQL database and
    wait until it answers a ping. Returns the process; the caller stops it."""
    from config.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_of_test_db(),
        "TEST_REDIS_URL": settings.REDIS_URL,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    hostname = f"{name}-{os.getpid()}@%h"
    with open(ROOT / "var" / f"test-celery-{name}-{os.getpid()}.log", "w") as log:
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
                str(concurrency),
                "--queues",
                ",".join(queues),
                "--hostname",
                hostname,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill_celery_worker takes all
        )
    deadline = time.monotonic() + 30
    expected = hostname.replace("%h", socket.gethostname())
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker {name} exited; see {log.name}")
        if any(expected in reply for reply in app.control.ping(timeout=0.5)):
            return process
    process.kill()
    raise RuntimeError(f"Celery worker {name} did not answer within 30 s; see {log.name}")


def kill_celery_worker(process) -> None:
    """kill -9 the worker and its pool processes at once, as when a machine dies."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop_celery_worker(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(predicate, *, timeout: float, every: float = 0.05):
    """Poll ``predicate`` (a database read, a worker's state) until it returns something
    true, and return that; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout} s")


_SESSION_WORKER: dict[str, object] = {}


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process consuming the same queues as production, for the
    whole session."""
    with django_db_blocker.unblock():
        process = start_celery_worker(name="pytest", queues=settings.CELERY_WORKER_QUEUES)
    _SESSION_WORKER["process"] = process
    _SESSION_WORKER["hostname"] = f"pytest-{os.getpid()}@{socket.gethostname()}"
    yield process
    _SESSION_WORKER.clear()
    stop_celery_worker(process)


def _session_worker_idle() -> bool:
    """Nothing waits in the session worker's queues and it runs or holds no task."""
    from config.celery import app

    client = redis.Redis.from_url(settings.REDIS_URL)
    if any(client.llen(queue) for queue in settings.CELERY_WORKER_QUEUES):
        return False
    # Asking the one worker by name returns with its reply, not after the whole timeout.
    name = str(_SESSION_WORKER["hostname"])
    inspect = app.control.inspect(destination=[name], limit=1, timeout=2.0)
    active, reserved = inspect.active(), inspect.reserved()
    if active is None or reserved is None:
        return False  # no answer yet: busy
    return not active.get(name) and not reserved.get(name)


@pytest.fixture(autouse=True)
def _session_worker_idle_before_flush(request):
    """A transactional test's teardown empties every table. The session's worker may still
    be running what the test queued after its commits (a notification's e-mail, a webhook):
    its locks against the flush's TRUNCATE deadlock. Wait until it is idle first (this
    fixture is torn down before the database's)."""
    if not _is_transactional(request.node):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    process = _SESSION_WORKER.get("process")
    if isinstance(process, subprocess.Popen) and process.poll() is None:
        wait_for(_session_worker_idle, timeout=120, every=0.1)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Every transactional test (a real worker, a live server, concurrency) rolls back by
    reloading the database's serialized contents. Its teardown flushes every table, and
    without the reload the rows that migrations create (groups and permissions, the demo
    rate card, zones) would be gone for the tests that run after it."""
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
