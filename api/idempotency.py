"""``Idempotency-Key``: a write retried with the same key is done once.

1. The record of (seller, mode, key) is inserted in a transaction of its own: the unique
   constraint decides which of two racing requests owns the key.
2. The work runs in one transaction that first locks the record (``NOWAIT``): a second
   request while the first still works finds it locked and gets 409; the work's result and
   the response stored on the record commit together, so a shipment never exists without
   the answer that reports it.
3. A completed record answers a retry with the same body, within ``TTL``, with the stored
   response byte for byte (``Idempotent-Replayed: true``); another body with the same key
   is a 422. A refusal by the gate (422) is a final answer, stored and replayed; an error of
   ours rolls the work back and leaves the record incomplete, so a retry does the work.
"""

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from core.prepared import PreparedQuery

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


def _insert(principal: Principal, key: str, digest: str, now: datetime.datetime) -> None:
    """The record, in its own transaction; an expired record of the same key is replaced.
    Not waiting for the disk: the work's own commit, later, is durable and flushes it."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                IdempotencyRecord.objects.create(
                    seller=principal.seller,
                    livemode=principal.livemode,
                    key=key,
                    fingerprint=digest,
                    api_key=principal.key,
                    created_at=now,
                )
            return
        except IntegrityError:
            expired = IdempotencyRecord.objects.filter(
                seller=principal.seller,
                livemode=principal.livemode,
                key=key,
                created_at__lt=now - TTL,
            ).delete()[0]
            if not expired:
                return


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
    # The retry's fast path: a completed record answers without a lock or an insert.
    done = next(
        iter(
            IdempotencyRecord.objects.raw(
                _done_sql(),
                [principal.seller.pk, principal.livemode, key, now - TTL],
            )
        ),
        None,
    )
    if done is not None:
        if done.fingerprint != digest:
            raise _mismatch()
        return _replay(done)
    _insert(principal, key, digest, now)
    try:
        return _locked_work(request, principal, key, digest, now, work, render)
    except _Released as released:
        # The work changed nothing (rolled back): the key is free for the next request.
        IdempotencyRecord.objects.filter(pk=released.record_id, completed=False).delete()
        if released.response is not None:
            return released.response
        raise released.error from None


class _Released(Exception):
    def __init__(
        self, record_id: int, *, error: Exception | None = None, response: Any = None
    ) -> None:
        self.record_id = record_id
        self.error = error or self
        self.response = response


# Taken for every creation: compiled once per mode (``core.prepared``).
_LOCKED: PreparedQuery[IdempotencyRecord] = PreparedQuery(
    lambda seller_id, livemode, key: (
        IdempotencyRecord.objects.select_for_update(nowait=True)
        .filter(seller_id=seller_id, livemode=livemode, key=key)
        .order_by("pk")[:1]
    ),
    seller_id=int,
    livemode=bool,
    key=str,
)


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
        # No savepoint: the lock is the transaction's first statement, and when another
        # request holds it the whole transaction is given up anyway.
        try:
            record = _LOCKED.first(
                seller_id=principal.seller.pk, livemode=principal.livemode, key=key
            )
        except OperationalError:
            raise _in_flight() from None
        if record is None:  # expired and deleted meanwhile by another request: start anew
            raise _in_flight()
        if record.completed:
            if record.fingerprint != digest:
                raise _mismatch()
            return _replay(record)
        if record.fingerprint != digest:
            if record.created_at >= now - datetime.timedelta(minutes=1):
                raise _mismatch()
            # An earlier attempt with another body died before it finished: nothing of it
            # was kept, and this request takes the key.
            record.fingerprint = digest
        try:
            response = work()
        except Exception as error:
            problem = _problem_of(error, request)
            if problem is None:
                raise _Released(record.pk, error=error) from error
            response = problem
        rendered = render(response)
        if rendered.status_code >= 500:
            raise _Released(record.pk, response=rendered)
        record.completed = True
        record.status_code = rendered.status_code
        record.content_type = rendered.get("Content-Type", "")
        record.response_headers = {h: rendered[h] for h in KEPT_HEADERS if rendered.has_header(h)}
        record.response_body = rendered.content
        record.save(
            update_fields=[
                "fingerprint",
                "completed",
                "status_code",
                "content_type",
                "response_headers",
                "response_body",
            ]
        )
        return rendered


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
