"""Probes of each component the portal needs, for ``/healthz``.

Each probe returns ``{"status": "ok" | "error", ...}`` and never raises: a component
that is down is reported, not propagated.
"""

import hmac
import time
import uuid
from collections.abc import Callable

import redis
from celery import current_app as celery_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection

PROBE_TIMEOUT_SECONDS = 1  # whole seconds: kombu takes an int


def _timed(probe: Callable[[], dict]) -> dict:
    started = time.monotonic()
    try:
        result = {"status": "ok", **probe()}
    except Exception as error:  # noqa: BLE001 - a probe reports every failure
        result = {"status": "error", "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _redis() -> dict:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return {}


def _storage() -> dict:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.probe", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != b"ok":
                raise OSError("storage returned other bytes than were written")
    finally:
        default_storage.delete(name)
    return {"backend": type(storages["default"]).__name__}


def _celery() -> dict:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)
        replies = celery_app.control.ping(timeout=PROBE_TIMEOUT_SECONDS, limit=1, connection=conn)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return {"workers": sorted(name for reply in replies for name in reply)}


PROBES: dict[str, Callable[[], dict]] = {
    "database": _database,
    "redis": _redis,
    "storage": _storage,
    "celery": _celery,
}


def health_report() -> tuple[bool, dict]:
    components = {name: _timed(probe) for name, probe in PROBES.items()}
    healthy = all(component["status"] == "ok" for component in components.values())
    return healthy, {"status": "ok" if healthy else "error", "components": components}


def health_details_allowed(request) -> bool:
    """Whether ``/healthz`` may show its components: their errors name hosts and ports, and
    the workers' names the machines. Signed-in staff may, and so may a monitor that sends
    ``Authorization: Bearer <HEALTHZ_TOKEN>`` (no token configured: nobody by token)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
