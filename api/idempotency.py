"""``Idempotency-Key``: a write retried with the same key is done once.

1. A completed record of (seller, mode, key), younger than ``TTL``, answers a retry with the
   same body with its stored response byte for byte (``Idempotent-Replayed: true``), without
   a lock or a transaction; another body with the same key is a 422.
2. Otherwise one transaction does it all: it takes the key's advisory lock without waiting
   (held by a request still working on the key: 409), looks for the record again (a request
   that finished meanwhile: its answer), does the work and inserts the completed record with
   its response. The work's result and the answer that reports it commit together, or not at
   all: a shipment never exists without its record, and an error of ours leaves nothing, so a
   retry does the work. A refusal by the gate (422) is a final answer, stored and replayed.
"""

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .authentication import Principal
from .models import IdempotencyRecord
from .problems import Problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
TTL = datetime.timedelta(hours=24)
MAX_KEY = 255
KEPT_HEADERS = ("Location",)


def idempotency_key(request: Request, *, required: bool) -> str | None:
    key = request.headers.get(HEADER, "")
    if not key:
        if required:
            raise Problem(
                400,
                "idempotency_key_missing",
                _("Idempotency-Key header missing"),
                _(
                    "Send an Idempotency-Key header (e.g. a UUID, or your order's own id) with "
                    "every POST /api/v1/shipments, so that a retry never creates a second "
                    "shipment."
                ),
            )
        return None
    if len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
        raise Problem(
            400,
            "idempotency_key_invalid",
            _("Idempotency-Key not valid"),
            _("An Idempotency-Key is 1 to 255 printable ASCII characters."),
        )
    return key


def fingerprint(request: Request) -> str:
    """SHA-256 of the method, the path and the body as canonical JSON."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _done_sql() -> str:
    """The retry's lookup, as SQL built once from the model (run for every retry; the ORM's
    compilation of the same filter cost more CPU than the answer): ``raw`` still converts
    the row (the JSON headers, the body)."""
    meta = IdempotencyRecord._meta
    column = {f.name: f.column for f in meta.concrete_fields}
    wanted = ("id", "fingerprint", "status_code", "content_type", "response_headers")
    selected = ", ".join(f'"{column[name]}"' for name in (*wanted, "response_body"))
    # Identifiers from the model's own meta; every value is a parameter.
    table = meta.db_table
    return (
        f'SELECT {selected} FROM "{table}" WHERE "{column["seller"]}" = %s '  # noqa: S608
        f'AND "{column["livemode"]}" = %s AND "{column["key"]}" = %s '
        f'AND "{column["completed"]}" AND "{column["created_at"]}" >= %s'
    )


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body),
        status=record.status_code or 200,
        content_type=record.content_type,
    )
    for name, value in (record.response_headers or {}).items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def _mismatch() -> Problem:
    return Problem(
        422,
        "idempotency_key_reused",
        _("Idempotency-Key used with another request"),
        _(
            "This Idempotency-Key was first used with a different request body or path: use a "
            "new key for a new request."
        ),
    )


def _in_flight() -> Problem:
    return Problem(
        409,
        "idempotency_in_flight",
        _("The first request with this Idempotency-Key is still running"),
        _("Retry in a moment: you will then get its response."),
    )


def idempotent(
    request: Request,
    principal: Principal,
    key: str,
    work: Callable[[], Response],
    render: Callable[[Response], HttpResponse],
) -> HttpResponse:
    """Run ``work`` once for ``key`` (see the module's docstring). ``render`` turns its
    Response into the final bytes, stored with the record."""
    now = timezone.now()
    digest = fingerprint(request)
    # The retry's fast path: a completed record answers without a lock or a transaction.
    replayed = _replay_of_done(principal, key, digest, now)
    if replayed is not None:
        return replayed
    try:
        return _locked_work(request, principal, key, digest, now, work, render)
    except _Released as released:
        # Rolled back whole, the record with it: the key is free for the next request.
        if released.response is not None:
            return released.response
        raise released.error from None


def _replay_of_done(
    principal: Principal, key: str, digest: str, now: datetime.datetime
) -> HttpResponse | None:
    """The stored answer of the key's completed record (younger than ``TTL``), None without
    one; 422 when it was for another request."""
    done = next(
        iter(
            IdempotencyRecord.objects.raw(
                _done_sql(), [principal.seller.pk, principal.livemode, key, now - TTL]
            )
        ),
        None,
    )
    if done is None:
        return None
    if done.fingerprint != digest:
        raise _mismatch()
    return _replay(done)


class _Released(Exception):
    def __init__(self, *, error: Exception | None = None, response: Any = None) -> None:
        self.error = error or self
        self.response = response


def _lock_id(principal: Principal, key: str) -> int:
    """The key's advisory lock: 64 bits of SHA-256 of (seller, mode, key)."""
    text = f"idempotency:{principal.seller.pk}:{principal.livemode:d}:{key}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def _locked_work(
    request: Request,
    principal: Principal,
    key: str,
    digest: str,
    now: datetime.datetime,
    work: Callable[[], Response],
    render: Callable[[Response], HttpResponse],
) -> HttpResponse:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_id(principal, key)])
            (locked,) = cursor.fetchone() or (False,)
        if not locked:
            raise _in_flight()
        # A statement of its own, after the lock: it sees what a request that held the lock
        # committed before releasing it.
        replayed = _replay_of_done(principal, key, digest, now)
        if replayed is not None:
            return replayed
        try:
            response = work()
        except Exception as error:
            problem = _problem_of(error, request)
            if problem is None:
                raise _Released(error=error) from error
            response = problem
        rendered = render(response)
        if rendered.status_code >= 500:
            raise _Released(response=rendered)
        # An expired record of the key (not yet forgotten) is replaced.
        IdempotencyRecord.objects.bulk_create(
            [
                IdempotencyRecord(
                    seller_id=principal.seller.pk,
                    livemode=principal.livemode,
                    key=key,
                    fingerprint=digest,
                    api_key=principal.key,
                    completed=True,
                    status_code=rendered.status_code,
                    content_type=rendered.get("Content-Type", ""),
                    response_headers={
                        h: rendered[h] for h in KEPT_HEADERS if rendered.has_header(h)
                    },
                    response_body=rendered.content,
                    created_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["seller", "livemode", "key"],
            update_fields=[*RECORDED],
        )
        return rendered


RECORDED = (
    "fingerprint",
    "api_key",
    "completed",
    "status_code",
    "content_type",
    "response_headers",
    "response_body",
    "created_at",
)


def _problem_of(error: Exception, request: Request) -> Response | None:
    """A refusal by the order gate as the problem it answers: a final answer (the refusal
    is recorded with it), stored with the key and replayed. Anything else (a value the
    schema or the domain refuses, a duplicate order, an error of ours) changed nothing and
    is not kept: the key is released for the corrected request."""
    from shipments.exceptions import OrderRefused

    from .problems import _domain

    return _domain(error, request) if isinstance(error, OrderRefused) else None


def idempotency_records_expire(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return IdempotencyRecord.objects.filter(created_at__lt=now - TTL).delete()[0]
