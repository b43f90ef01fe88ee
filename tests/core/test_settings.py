"""Production settings: deploy checks clean with the required variables, and a missing
secret stops the process at start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x7#kq2!vz9" * 6,
    "DJANGO_ALLOWED_HOSTS": "portal.jingluo.example",
    "DOCUMENT_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DOCUMENT_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_required_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DOCUMENT_ENCRYPTION_KEYS"])
def test_a_missing_secret_fails_at_start(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_documents_go_to_s3_when_a_bucket_is_set():
    code = (
        "from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], "
        "settings.STORAGES['default']['OPTIONS']['bucket_name'])"
    )
    env = {**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "jingluo-docs"}

    result = _manage("shell", "--no-imports", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "jingluo-docs"]


def test_local_documents_have_no_public_url(settings):
    from django.core.files.storage import storages

    storage = settings.STORAGES["default"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["base_url"] is None
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    # Under var/ by default; TEST_MEDIA_ROOT moves it (two test runs on one machine).
    assert Path(storages["default"].location) == Path(settings.MEDIA_ROOT)
    assert os.environ.get("TEST_MEDIA_ROOT") or "var" in Path(settings.MEDIA_ROOT).parts


def test_collectstatic_builds_the_hashed_manifest(tmp_path):
    result = _manage(
        "collectstatic",
        "--noinput",
        env={**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert "css/portal.css" in manifest
