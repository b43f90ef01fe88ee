"""Settings shared by every environment.

Every value that differs between machines comes from the environment through one
``environ.Env``; ``production.py`` only tightens what must be tight there.
"""

from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

# Django's generic classes (``ModelAdmin[Store]``, ``TabularInline[Lane, RateCard]`` …) take
# their type arguments at run time too, as mypy reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# SECRET_KEY and DOCUMENT_ENCRYPTION_KEYS are set per environment: production requires
# them from the environment, local and test have fixed insecure values.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    # Sign-up, login, e-mail verification, password reset and their rate limits; TOTP with
    # recovery codes (see ACCOUNT_* and MFA_* below).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",  # Content-Security-Policy: see CONTENT_SECURITY_POLICY below
    # The seller API under /api/v1/ (api app): REST framework, its OpenAPI 3 schema, and
    # Swagger UI / Redoc served from this origin (no CDN). REST framework itself is not an
    # installed app: its catalogue would re-translate Django's own messages on every
    # portal form ("This field is required.", "The submitted file is empty."); the API
    # needs neither its templates nor its models.
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# Bottom to top: an app imports only apps listed before it (import-linter holds it).
LOCAL_APPS = [
    "core",
    "accounts",
    "platforms",
    "notifications",
    "webhooks",
    "stores",
    "onboarding",
    "pricing",
    "customs",
    "billing",
    "shipments",
    "inventory",
    "diagnostics",
    "portal",
    "api",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff reach the admin only once TOTP is set up (accounts/middleware.py).
    "accounts.middleware.StaffMfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Data: PostgreSQL, Redis
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/jingluo"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "jingluo",
    }
}
# Sessions are written to PostgreSQL and read from Redis: a signed-in page reads its session
# from the cache (no query, no decoding) and falls back to the table when the cache lost it.
# The price: a signed-in page needs Redis up, as the Celery queues already do (bench_load:
# the dashboard's CPU per request fell by a fifth).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day, in seconds: reset links and invitations

# One backend: allauth's (e-mail login), loading the user's seller with the user.
AUTHENTICATION_BACKENDS = ["accounts.backends.SellerModelBackend"]

# django-allauth: every door to an account (issue 18).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignUpForm"  # the company name
ACCOUNT_FORMS = {"reset_password_from_key": "accounts.reset_forms.ResetPasswordKeyForm"}
ACCOUNT_UNIQUE_EMAIL = True
# An account is used only once its address is verified: a new one is sent a link and
# cannot log in before following it.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner's GET verifies nothing: a button POSTs
# No enumeration: sign-up with a taken address shows the same "check your inbox" page as a
# new one and e-mails the owner instead; a reset for an unknown address looks the same too.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[经络速通] "
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Rate limits (allauth's, kept in the Redis cache): they replace django-axes. Failed logins:
# 5 per 15 minutes per (e-mail address, client IP) — a stranger elsewhere cannot lock a
# seller out — and 10 a minute per IP whatever the address. The rest are allauth's defaults
# (sign-up 20/min per IP, reset 20/min per IP and 5/min per address, …).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key"}
# How many reverse proxies we run in front of Django (0: none, REMOTE_ADDR is the client);
# above 0 the client IP for rate limits comes from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# allauth.mfa: TOTP (any authenticator app) with recovery codes. Optional for sellers (the
# dashboard nudges owners), required for staff before any admin page (accounts.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "经络速通 Jingluo Express"
MFA_RECOVERY_CODE_COUNT = 10

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="经络速通 <no-reply@jingluo.example>")
# Where the portal is reached, for the links in notification e-mails (e.g.
# https://portal.example.cn); empty: the e-mails give the page's path only.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")

# ---------------------------------------------------------------------------
# Language and time: Simplified Chinese first, English second; Asia/Shanghai
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files and storage. Uploaded files live under var/media and are never
# served at a public URL: views check permission and stream them.
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # base_url is None on purpose: these files have no public URL.
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Documents are personal information (GB/T 35273-2020): encrypted before they reach
# storage. Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).
DOCUMENT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ---------------------------------------------------------------------------
# Celery: Redis is the broker and the result backend.
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 150
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# OCR is CPU-bound and slow: its own queue, so that it can get its own workers.
CELERY_TASK_ROUTES = {"onboarding.document_ocr": {"queue": "ocr"}}
# Queues the worker started by `make run` / `make worker` consumes.
CELERY_WORKER_QUEUES = env.list("CELERY_WORKER_QUEUES", default=["default", "ocr"])
# With Redis, a task not acknowledged within this time is delivered again; it must
# exceed the longest hard time limit so that no running task is handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# How often the customs-alert sweep runs; the sweep reads it to announce a hold at least
# 4 hours before its promise (shipments.services.alerts).
CUSTOMS_ALERT_SWEEP_SECONDS = 15 * 60
# Periodic schedules, each with when and why. Later issues add theirs here.
CELERY_BEAT_SCHEDULE: dict = {
    # Every 5 minutes: documents whose OCR never started (the broker was down at upload)
    # or whose worker died are sent again, so no upload is left unread.
    "onboarding-sweep-stuck-documents": {
        "task": "onboarding.sweep_stuck_documents",
        "schedule": 5 * 60,
    },
    # Daily at 06:30 Shanghai, after the platforms' overnight metrics feed: close the
    # service of active stores below a health threshold, before the day's orders.
    "onboarding-health-check": {
        "task": "onboarding.health_check",
        "schedule": crontab(hour=6, minute=30),
    },
    # Daily at 07:00 Shanghai, after the metrics feed and the health check: warn stores the
    # order gate would refuse (store unbound, ID card expiring …) before an order fails.
    "diagnostics-watch": {
        "task": "diagnostics.watch",
        "schedule": crontab(hour=7, minute=0),
    },
    # At 00:15 on the 1st, Asia/Shanghai (CELERY_TIMEZONE): close the month just ended into
    # one statement per monthly seller, due on the 15th of the month after (T+15).
    "billing-close-month": {
        "task": "billing.close_month",
        "schedule": crontab(hour=0, minute=15, day_of_month=1),
    },
    # Daily at 09:00 Shanghai, office hours: remind sellers of statements due within three
    # days and of overdue ones (each statement once per event).
    "billing-statements-remind": {
        "task": "billing.statements_remind",
        "schedule": crontab(hour=9, minute=0),
    },
    # Every 15 minutes: parcels held in customs beyond the lane's expected clearance (or
    # within 4 hours + 15 minutes of their promise, so always at least 4 hours ahead) are
    # announced to the seller, once per hold.
    "shipments-customs-alerts": {
        "task": "shipments.customs_alerts",
        "schedule": CUSTOMS_ALERT_SWEEP_SECONDS,
    },
    # Daily at 07:00 Shanghai: evaluate trials whose last shipment went overdue (a delivery
    # evaluates its trial at once; an overdue parcel has no event to trigger it).
    "shipments-trials-evaluate": {
        "task": "shipments.trials_evaluate_due",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every minute: webhook deliveries whose next attempt is due (retries hours apart wait
    # here rather than in the broker; a lease run out or a broker that was down).
    "webhooks-sweep": {
        "task": "webhooks.sweep",
        "schedule": 60,
    },
    # Hourly: forget idempotency keys older than 24 h (the window a retry is replayed in).
    "api-idempotency-expire": {
        "task": "api.idempotency_expire",
        "schedule": crontab(minute=20),
    },
    # Every 5 minutes: files of orders never picked up (the broker was down at upload) or
    # whose worker died are sent again; a run resumes after its last committed chunk.
    "shipments-sweep-stuck-imports": {
        "task": "shipments.sweep_stuck_imports",
        "schedule": 5 * 60,
    },
    # Every 5 minutes: notification e-mails still pending 10 minutes after they were
    # recorded (the broker was down, or the mail server refused) are sent again.
    "notifications-sweep-unsent": {
        "task": "notifications.sweep_unsent",
        "schedule": 5 * 60,
    },
    # Every 5 minutes: presale locks past their expiry go back to free stock (on hand and
    # inbound), so that a campaign's stock is never held more than 5 minutes too long.
    "inventory-expire-presale-locks": {
        "task": "inventory.expire_presale_locks",
        "schedule": 5 * 60,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# /healthz answers everyone with its status only; its components (errors, worker names) go
# to signed-in staff and to a monitor sending "Authorization: Bearer <HEALTHZ_TOKEN>".
# Empty (the default): no token is accepted.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")

# Shipments: carrier events arrive at /shipments/webhooks/carrier/ signed as Standard
# Webhooks sign (webhook-id, webhook-timestamp, webhook-signature) under this secret,
# "whsec_" + base64 of 24-64 random bytes; empty (the default) refuses every event.
CARRIER_WEBHOOK_SECRET = env("CARRIER_WEBHOOK_SECRET", default="")
# The replay window: a signed message whose timestamp is further than this from now, either
# way, is refused (the spec's recommendation). Inside it, event ids keep a replay harmless.
CARRIER_WEBHOOK_TOLERANCE_SECONDS = env.int("CARRIER_WEBHOOK_TOLERANCE_SECONDS", default=5 * 60)
# The seller API (api app, /api/v1/): keys only (no session: a signed-in user, staff
# included, gets nothing without a key), JSON in, JSON and problem+json out.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasApiKey"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "UNAUTHENTICATED_TOKEN": None,
    # ?format= is the label's format (pdf, png, zpl), not a renderer override.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "经络速通 Jingluo Express — Seller API",
    "DESCRIPTION": (
        "Quotes, shipments through the order gate, labels (PDF, PNG, ZPL), batches, "
        "refusals with the gate's fix, diagnosis, balance, statements and signed webhooks. "
        "Authenticate with `Authorization: Bearer jl_live_…` (or `jl_test_…` for test mode). "
        "Errors are application/problem+json (RFC 9457). See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ShipmentStatusEnum": "shipments.models.ShipmentStatus",
        "BatchResultStatusEnum": ["created", "refused", "invalid", "duplicate"],
        "SimulatedStatusEnum": "api.serializers.SIMULATED",
        "SettlementEnum": ["instant", "monthly"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.docs.strict_requests",
    ],
}
# Per key, a fixed one-minute window in Redis; over it: 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=3000)
# The largest JSON body the API reads (a batch of 1,000 orders fits); larger: 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=5 * 1024 * 1024)
# The TrueType font a Zebra printer uses for Chinese text in ZPL labels.
API_ZPL_CJK_FONT = env("API_ZPL_CJK_FONT", default="E:SIMSUN.TTF")

# Webhooks out (webhooks app): https:// only; plain http to a loopback host only when this
# is on (DEBUG by default; the ERP end-to-end test runs its own receiver on 127.0.0.1).
WEBHOOKS_ALLOW_LOCALHOST = env.bool("WEBHOOKS_ALLOW_LOCALHOST", default=DEBUG)
WEBHOOK_CONNECT_TIMEOUT_SECONDS = env.float("WEBHOOK_CONNECT_TIMEOUT_SECONDS", default=3.0)
WEBHOOK_READ_TIMEOUT_SECONDS = env.float("WEBHOOK_READ_TIMEOUT_SECONDS", default=10.0)
# Where customs alerts' text messages go: a dotted path to a class with send(to=, body=).
# shipments.sms.LogBackend writes them to the log; a real SMS gateway replaces it.
SMS_BACKEND = env("SMS_BACKEND", default="shipments.sms.LogBackend")

# ---------------------------------------------------------------------------
# Forms, messages, security defaults
# ---------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy (django-csp), on the portal and the admin alike: scripts, styles,
# fonts and connections from this origin only; no inline script, no inline style, no style
# attribute (every script and style is a static file; a page that needs a script's data
# passes it in data-* attributes or a JSON <script type="application/json">, which is not
# run). Images may also be data: URIs (Bootstrap's icons, the TOTP QR code). Nothing frames
# the portal, forms post only here. CSP_REPORT_URI: where browsers report violations.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        **({"report-uri": [env("CSP_REPORT_URI")]} if env("CSP_REPORT_URI", default="") else {}),
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Django's own loggers go to the root handler once, not twice.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
    },
}
