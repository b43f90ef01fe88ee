"""Encryption at rest for personal data (GB/T 35273-2020).

Fernet (AES-128-CBC with HMAC-SHA256) under ``DOCUMENT_ENCRYPTION_KEYS``: the first key
encrypts, every listed key decrypts, so keys can be rotated without re-encrypting at once.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt"]


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("DOCUMENT_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "Every DOCUMENT_ENCRYPTION_KEYS entry must be a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def encrypt(plaintext: bytes) -> bytes:
    return _cipher(tuple(settings.DOCUMENT_ENCRYPTION_KEYS)).encrypt(plaintext)


def decrypt(token: bytes) -> bytes:
    return _cipher(tuple(settings.DOCUMENT_ENCRYPTION_KEYS)).decrypt(token)
