"""Settings for the test run: the same PostgreSQL and Redis as production, nothing faked.

Tests use their own Redis database (15 by default) so that a worker started by `make run`
never takes a test's task, and a fast password hasher. TEST_DATABASE_NAME, TEST_REDIS_URL and
TEST_MEDIA_ROOT let two test runs share a machine without touching each other's data.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-insecure-3b9f1c7e5a2d4e6f8a0b1c2d3e4f5a6b"
DOCUMENT_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLTMyYnl0ZXM="]
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "jingluo-test",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_jingluo")}  # noqa: F405
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=VAR_DIR / "test-media")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule-test")
# Tests do not collect static files; whitenoise wants the directory to exist.
STATIC_ROOT = VAR_DIR / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Shipments: the carrier webhook's shared secret, and text messages kept in memory.
CARRIER_WEBHOOK_SECRET = "whsec_amluZ2x1by10ZXN0LW9ubHktY2Fycmllci13ZWJob29rLWtleS0zMg=="
SMS_BACKEND = "shipments.sms.LocmemBackend"
# Webhooks out: the suite's receivers listen on 127.0.0.1 (http.server in a thread), and the
# Celery worker the suite starts reads these settings too. The SSRF tests turn it off to
# show production's refusal of loopback URLs.
WEBHOOKS_ALLOW_LOCALHOST = True
WEBHOOK_CONNECT_TIMEOUT_SECONDS = 2.0
WEBHOOK_READ_TIMEOUT_SECONDS = 3.0
