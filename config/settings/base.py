"""Settings shared by every environment. Environment values come from `config.env` only."""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_networks,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-embedded-default-key-not-for-production") or ""
DEBUG = env_bool("DEBUG", False)

# Encryption at rest of identity data (legalaid/crypto.py): dedicated keys, never SECRET_KEY.
# `id:base64url-32-byte-key` entries, newest first (the newest encrypts, all decrypt; after adding
# one, run `manage.py rotate_encryption_keys`). The blind-index key (HMAC of names and national
# numbers for exact look-ups) is separate. The defaults below are public development keys: the
# production settings require both variables.
DEVELOPMENT_ENCRYPTION_KEYS = "dev1:ZGV2ZWxvcG1lbnQta2V5LWZvci1sYW56YXJvdGUtMDE"
DEVELOPMENT_BLIND_INDEX_KEY = "ZGV2ZWxvcG1lbnQtaW5kZXgta2V5LWxhbnphcm90ZTA"
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS") or DEVELOPMENT_ENCRYPTION_KEYS
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY") or DEVELOPMENT_BLIND_INDEX_KEY
# The audit trail's hash chain is an HMAC under this key (base64url, 32 bytes), kept out of the
# database so that writing to the database alone cannot forge a chain that verifies.
DEVELOPMENT_AUDIT_CHAIN_KEY = "ZGV2ZWxvcG1lbnQtYXVkaXQtY2hhaW4ta2V5LWxhbno"
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY") or DEVELOPMENT_AUDIT_CHAIN_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The portal first: its templates override allauth's and the admin's.
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mailer",
    "idempotency",
    "legalaid",
    "claims",
    "documents",
    "operations",
]

MIDDLEWARE = [
    "config.logging.request_context",  # first: the request id of every line, latency by route
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.private_responses",
    "portal.middleware.session_renewal",
    "portal.middleware.user_language",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.second_factor_required",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy (django-csp): our own origin only, no inline script or style anywhere
# (pages, allauth's, the admin, the API docs); the second factor's QR code is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "legalaid.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Each language named in itself. Staff and lawyers choose among nl, fr and en (STAFF_LANGUAGES);
# guardians may also read German.
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")]
STAFF_LANGUAGES = ["nl", "fr", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Belgian formats per language (Django has no nl_BE): dates "2 december 2026", decimal comma.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Signing in (django-allauth): a password, then a TOTP code for the roles that need one.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
MFA_ADAPTER = "portal.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lanzarote"
# Roles that must have a second factor: nothing but its set-up is reachable until they have one.
SECOND_FACTOR_ROLES = ["office", "lawyer", "admin"]
# Failed sign-ins: at most LOGIN_FAILURES_PER_KEY for one username in LOGIN_FAILURE_WINDOW
# seconds, and 10 a minute from one address; then 429 until the window has passed.
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"10/m/ip,{env_int('LOGIN_FAILURES_PER_KEY', 5, minimum=1)}"
        f"/{env_int('LOGIN_FAILURE_WINDOW_SECONDS', 300, minimum=1)}s/key"
    ),
}
# A session ends after this many minutes without a request (each request renews it).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Requests renew the session at most this often (portal.middleware.session_renewal).
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

STATIC_URL = "static/"
# Where `collectstatic` gathers the static files (the container image does); unset, WhiteNoise
# serves them from the apps' folders.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
MEDIA_URL = "media/"  # never served directly: documents are streamed by the API, after checks
# Generated documents go through Django's storage API; the filesystem under MEDIA_ROOT by default.
STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
        or "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by WhiteNoise, under gunicorn too; without `collectstatic` (the embedded
# default) straight from the apps' static folders.
WHITENOISE_USE_FINDERS = STATIC_ROOT is None
FORM_RENDERER = "portal.forms.renderer.PortalFormRenderer"

# --- Celery: with REDIS_URL a real broker, without it every task runs inline (embedded default).
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Redis hands an unacknowledged message (its worker died) to another worker only after this many
# seconds; it must exceed the longest task (CELERY_TASK_TIME_LIMIT).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600, minimum=1),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,  # above the workers' 1-second BRPOP
}
# Sending a task never holds a request long while Redis is unreachable: a connection attempt
# waits at most a second, one retry, then kombu's OperationalError (refused: ~0.2 s in all).
# Every task a request sends is on record in the database first (a queued document, a pending
# e-mail), sent after commit without failing the request; beat's sweeps send it again once Redis
# answers, so an outage delays work and loses none.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Documents: a render still `rendering` after this many seconds was abandoned (its worker died);
# the beat task re-enqueues it and the task may claim it again. Longer than the task's time limit.
DOCUMENT_RENDER_STALE_SECONDS = env_int("DOCUMENT_RENDER_STALE_SECONDS", 300, minimum=1)
# A person's copy of their file (documents.exports): its ZIP is deleted this many days after the
# request (GDPR art. 12(3) gives the office one month to answer; the copy is not kept longer).
PERSONAL_DATA_EXPORT_DAYS = env_int("PERSONAL_DATA_EXPORT_DAYS", 30, minimum=1)

# E-mail: every e-mail is a row of the outbox (mailer/) first, sent by a worker after commit.
# Without EMAIL_BACKEND (the embedded default) e-mails are written as files under EMAIL_FILE_PATH;
# the production settings send over SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# by default there) to EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (or
# EMAIL_HOST_PASSWORD_FILE), EMAIL_USE_TLS; an unreachable server gives up after EMAIL_TIMEOUT.
EMAIL_BACKEND = (
    env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    or "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10  # seconds per connection and command: a send stays within the task's limit
DEFAULT_FROM_EMAIL = (
    env_str("DEFAULT_FROM_EMAIL", "Lanzarote <noreply@lanzarote.invalid>")
    or "Lanzarote <noreply@lanzarote.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An e-mail still pending or sending after this many seconds was lost or abandoned (its worker
# died): beat's sweep sends it again and the task may claim it. Longer than the task's limit (60).
EMAIL_SEND_STALE_SECONDS = env_int("EMAIL_SEND_STALE_SECONDS", 120, minimum=1)

# The cache holds counters only (API throttles, failed sign-ins). With Redis they hold across
# processes; while Redis is unreachable each process counts on its own (config/cache.py), and a
# call never waits more than a second for it.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCacheWithFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "legalaid.api.authentication.ThrottledTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "legalaid.api.pagination.Pagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50, minimum=1),
    "DEFAULT_FILTER_BACKENDS": [
        "legalaid.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "legalaid.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles answer 429 with Retry-After; they count in the default cache (Redis when
    # configured, so the limits hold across processes). Anonymous callers per address, signed-in
    # callers per user; failed tokens per address, counted by the token check itself, before the
    # token is looked up (legalaid.api.authentication). Signing in by session is allauth's page,
    # limited by ACCOUNT_RATE_LIMITS.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": f"{env_int('API_ANON_REQUESTS_PER_MINUTE', 30, minimum=1)}/min",
        "user": f"{env_int('API_USER_REQUESTS_PER_MINUTE', 300, minimum=1)}/min",
        "token_failures": f"{env_int('API_TOKEN_FAILURES_PER_MINUTE', 10, minimum=1)}/min",
    },
    # The caller's address: REMOTE_ADDR; behind N proxies that each append to X-Forwarded-For, the
    # N-th address from its right (set API_TRUSTED_PROXIES=N, or every caller shares the proxy's).
    "NUM_PROXIES": env_int("API_TRUSTED_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lanzarote API",
    "DESCRIPTION": (
        "Legal aid and compensation for minor victims of teen pimps. Every list is scoped to the "
        "caller; an object outside the caller's scope answers 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # `check --deploy` (make check-deploy) generates the schema too: a warning fails it
    # (tests/api_fuzz/test_schema.py says the same on every test run).
    "ENABLE_DJANGO_DEPLOY_CHECK": True,
    # Every operation documents the error body of its refusals (legalaid/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "legalaid.api.schema.error_responses",
    ],
    # Choice sets that share a field name ("kind", "status") across models get their own names.
    "ENUM_NAME_OVERRIDES": {
        "DamageKindEnum": "claims.models.DamageKind",
        "AwardKindEnum": "claims.models.AwardKind",
        "StateAidKindEnum": "claims.models.StateAidKind",
        "EnforcementKindEnum": "claims.models.EnforcementKind",
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "JudgmentStatusEnum": "claims.models.JudgmentStatus",
        "StateAidStatusEnum": "claims.models.StateAidStatus",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "DocumentStatusEnum": "documents.models.DocumentStatus",
        "CaseStatusEnum": "legalaid.models.CaseStatus",
        "DesignationStatusEnum": "legalaid.models.DesignationStatus",
        "EvidenceKindEnum": "legalaid.models.EvidenceKind",
    },
}

# Logs (config/logging.py): each line with the request's id (X-Request-ID) or the task's, and the
# user's id, never a name, a national number, an e-mail or an address, nor an exception's
# message. LOG_FORMAT: `json` (one object a line; the production default) or `readable` (text).
LOG_FORMAT = env_choice("LOG_FORMAT", "readable", ["readable", "json"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logging.ContextFilter"}},
    "formatters": {
        "readable": {"()": "config.logging.ReadableFormatter"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO") or "INFO"},
    # WeasyPrint's font subsetting (fontTools) logs every table at INFO, and its progress every
    # step: noise, not events. SQL is never logged (its parameters are the data). Django's own
    # handlers (its console in DEBUG, runserver's, mail to ADMINS with the traceback) are removed:
    # every line goes through the console handler above and its filter.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
# Celery's worker and beat log through the same configuration (not Celery's own format).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /metrics (portal/metrics.py): answered to a caller from these networks (REMOTE_ADDR, the
# peer's address) or that sends `Authorization: Bearer <METRICS_TOKEN>`; 404 to anyone else.
METRICS_ALLOWED_NETWORKS = env_networks("METRICS_ALLOWED_NETWORKS", ["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env_str("METRICS_TOKEN", "") or ""

# Errors to Sentry when SENTRY_DSN is set, without personal data (config/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN", "") or ""
if SENTRY_DSN:
    from config.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production") or "")

# Retention: `manage.py apply_retention` anonymises a person's identity and the narratives of
# their cases this many years after the last of their cases closed, keeping the figures (cases,
# stages, amounts, dates). The other apps anonymise their part through these functions
# `(*, case) -> dict[str, int]` (what they changed, by kind).
RETENTION_YEARS_AFTER_CLOSURE = env_int("RETENTION_YEARS_AFTER_CLOSURE", 10, minimum=1)
RETENTION_EXTENSIONS = ["claims.retention.case_anonymise", "documents.retention.case_anonymise"]

# Key rotation (`manage.py rotate_encryption_keys`): the other apps re-encrypt what they keep
# encrypted outside the database (documents' files) through these functions `() -> list[Stretch]`.
KEY_ROTATION_EXTENSIONS = ["documents.keys.stretches"]

# Backups (operations/, `manage.py backup` and `restore`): a set per run under BACKUP_ROOT, named
# by its UTC time; after each successful backup all but the newest BACKUP_KEEP sets are deleted.
# Beat runs one every day at BACKUP_HOUR (0-23, Europe/Brussels). The keys are never in a set.
BACKUP_ROOT = Path(env_str("BACKUP_ROOT", str(BASE_DIR / "var" / "backups")) or "")
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)
BACKUP_HOUR = env_int("BACKUP_HOUR", 2)

# Demo data (fictional lawyers, cases and users) is loaded only where this is true.
DEMO_DATA_ALLOWED = False
# Functions `load(*, stdout) -> None` that `load_demo_data` calls after its own data (dotted
# paths): the higher apps add their demo data without legalaid importing them.
DEMO_DATA_EXTENSIONS = ["claims.demo.load_demo_claims", "portal.demo.load_demo_second_factors"]

# Periodic tasks (run `celery -A config beat` next to the workers in production).
CELERY_BEAT_SCHEDULE = {
    "expire-overdue-designations": {
        "task": "legalaid.tasks.expire_overdue_designations",
        "schedule": env_int("DESIGNATION_EXPIRY_INTERVAL_SECONDS", 60, minimum=5),
    },
    "requeue-stuck-documents": {
        "task": "documents.tasks.requeue_stuck_documents",
        "schedule": env_int("DOCUMENT_REQUEUE_INTERVAL_SECONDS", 60, minimum=5),
    },
    "expire-personal-data-exports": {
        "task": "documents.tasks.expire_personal_data_exports",
        "schedule": 3600,
    },
    "requeue-stuck-emails": {
        "task": "mailer.tasks.requeue_stuck_emails",
        "schedule": 60,
    },
    "seal-audit-chain": {"task": "legalaid.tasks.seal_audit_chain", "schedule": 300},
    "backup": {"task": "operations.tasks.backup", "schedule": crontab(minute=0, hour=BACKUP_HOUR)},
    # Stamps the time: /metrics reports the age of beat's last run.
    "beat-heartbeat": {"task": "portal.tasks.beat_heartbeat", "schedule": 60},
}
