"""Production: PostgreSQL, Redis and a secret key are required; demo data is never loaded."""

from config.env import env_bool, env_choice, env_database, env_int, env_required, env_str

from .base import *  # noqa: F403
from .base import BASE_DIR, LOGGING

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
env_required("DATABASE_URL")
env_required("REDIS_URL")
# Dedicated keys for identity data at rest (see base.py); the development keys are refused.
FIELD_ENCRYPTION_KEYS = env_required("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env_required("BLIND_INDEX_KEY")
AUDIT_CHAIN_KEY = env_required("AUDIT_CHAIN_KEY")
DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "unused.sqlite3")}
DEMO_DATA_ALLOWED = False
# E-mail leaves over SMTP (the embedded default writes files).
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Logs as one JSON object a line (config/logging.py); LOG_FORMAT=readable for text.
LOG_FORMAT = env_choice("LOG_FORMAT", "json", ["readable", "json"])
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # type: ignore[index]
# Prometheus scrapes /metrics over the internal network, in plain HTTP (a token or an allowed
# address is still required: portal/metrics.py).
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
