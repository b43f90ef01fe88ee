"""Encryption at rest: Fernet tokens, keys from settings, rotation without re-encrypting."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from core import crypto


def test_a_token_is_not_the_plaintext_and_decrypts_back(settings):
    token = crypto.encrypt("身份证 440305".encode())

    assert "身份证".encode() not in token
    assert crypto.decrypt(token) == "身份证 440305".encode()


def test_rotation_new_key_encrypts_old_key_still_decrypts(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DOCUMENT_ENCRYPTION_KEYS = [old]
    before = crypto.encrypt(b"scan")

    settings.DOCUMENT_ENCRYPTION_KEYS = [new, old]
    after = crypto.encrypt(b"scan")

    assert crypto.decrypt(before) == b"scan"
    settings.DOCUMENT_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(after) == b"scan"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(before)


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.DOCUMENT_ENCRYPTION_KEYS = ["not-a-key"]

    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        crypto.encrypt(b"x")
