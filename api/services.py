"""API keys: made (shown once), revoked, and looked up by the hash of what a request sends."""

import datetime
import functools
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Seller
from core.exceptions import DomainError

from .models import ApiKey, KeyScope

LIVE_PREFIX = "jl_live_"
TEST_PREFIX = "jl_test_"
SECRET_CHARS = 32  # token_urlsafe(24): 32 characters, 192 bits
SHOWN = 6  # characters of the secret kept to recognise the key by
MAX_KEYS = 20
LAST_USED_EVERY = datetime.timedelta(minutes=1)


class ApiKeyError(DomainError):
    default_message = _("The API key operation was refused.")


@dataclass(frozen=True, slots=True)
class NewKey:
    key: ApiKey
    secret: str  # the whole key, shown once


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def api_key_create(
    *, seller: Any, name: str, livemode: bool, scope: str = KeyScope.WRITE, user: Any = None
) -> NewKey:
    """A new key for the seller: ``jl_live_…`` or ``jl_test_…``. Only its hash is kept."""
    name = (name or "").strip()[:100] or (_("Live key") if livemode else _("Test key"))
    if scope not in KeyScope.values:
        raise ApiKeyError(_("A key is read-only or read and write."))
    with transaction.atomic():
        active = ApiKey.objects.filter(seller=seller, revoked_at__isnull=True)
        if active.count() >= MAX_KEYS:
            raise ApiKeyError(
                _("At most %(max)s keys at once: revoke one you no longer use.") % {"max": MAX_KEYS}
            )
        secret = (LIVE_PREFIX if livemode else TEST_PREFIX) + secrets.token_urlsafe(24)
        key = ApiKey.objects.create(
            seller=seller,
            name=name,
            livemode=livemode,
            scope=scope,
            prefix=secret[: len(LIVE_PREFIX) + SHOWN],
            hashed=key_hash(secret),
            created_by=user,
        )
    return NewKey(key=key, secret=secret)


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke the key at once: its next request is refused (401). Revoking twice is one."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_find(secret: str) -> ApiKey | None:
    """The key a request sends, with its seller (one query), revoked or not; None when
    there is no such key (or it cannot be one)."""
    if not secret.startswith((LIVE_PREFIX, TEST_PREFIX)) or len(secret) > 100:
        return None
    sql, key_fields, seller_fields = _key_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash(secret)])
        row = cursor.fetchone()
    if row is None:
        return None
    key = ApiKey.from_db(DEFAULT_DB_ALIAS, key_fields, row[: len(key_fields)])
    key.seller = Seller.from_db(DEFAULT_DB_ALIAS, seller_fields, row[len(key_fields) :])
    return key


@functools.cache
def _key_query() -> tuple[str, list[str], list[str]]:
    """The key lookup as SQL, built once from the two models' fields. It runs on every API
    request, and compiling ``select_related("seller").filter(hashed=…)`` anew each time cost
    twice the CPU of PostgreSQL's answer. Their fields need no conversion from the
    database, so ``from_db`` takes the row as it comes; ``tests/api/test_keys.py`` compares
    every field with the ORM's, so a field that would need one fails there."""
    key, seller = ApiKey._meta, Seller._meta
    columns = [f'k."{f.column}"' for f in key.concrete_fields]
    columns += [f's."{f.column}"' for f in seller.concrete_fields]
    seller_id, hashed = key.get_field("seller").column, key.get_field("hashed").column
    # Identifiers from the models' own meta; the hash is a parameter.
    selected = ", ".join(columns)
    sql = (
        f'SELECT {selected} FROM "{key.db_table}" k '  # noqa: S608
        f'JOIN "{seller.db_table}" s ON s."{seller.pk.column}" = k."{seller_id}" '
        f'WHERE k."{hashed}" = %s'
    )
    return (
        sql,
        [f.attname for f in key.concrete_fields],
        [f.attname for f in seller.concrete_fields],
    )


def api_key_used(*, key: ApiKey, now: datetime.datetime | None = None) -> None:
    """Note the key's use, at most once a minute (no write on every request)."""
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
