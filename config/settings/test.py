"""Test settings: the same database choice as local (DATABASE_URL or SQLite), fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR, REST_FRAMEWORK

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# SQLite tests run in memory (Django's default test database for SQLite), said explicitly:
# pytest-django knows that default only under Django's own engine name, and under ours
# (legalaid.db.sqlite3) would give each xdist worker a "test_<path>_gw0" file that cannot open.
if DATABASES["default"]["ENGINE"] == "legalaid.db.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
DEMO_DATA_ALLOWED = True
# Tasks run inline in tests; tests marked `redis` start a real worker against REDIS_URL instead.
CELERY_TASK_ALWAYS_EAGER = True
# No throttling in tests, where one user makes hundreds of requests a minute and runners may share
# one Redis; the throttle tests set their own rates (tests/legalaid/test_api_throttles.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token_failures": None},
}
