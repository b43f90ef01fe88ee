"""Settings for a developer's machine and for `make run`: debug on, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Local-only defaults: production.py has none, so it refuses to start without real secrets.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-insecure-8f2d6c0e1b7a4d5f9e3c2b1a0f9e8d7c")
DOCUMENT_ENCRYPTION_KEYS = env.list(
    "DOCUMENT_ENCRYPTION_KEYS", default=["bG9jYWwtb25seS1rZXktZG8tbm90LXVzZS0zMmJ5dGU="]
)
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
