"""The Celery application, built from the ``CELERY_*`` Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("jingluo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
