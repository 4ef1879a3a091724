"""Test settings: the same database choice as local (DATABASE_URL or SQLite), fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# SQLite tests run in memory (Django's default test database for SQLite).
DEMO_DATA_ALLOWED = True
# Tasks run inline in tests; tests marked `redis` start a real worker against REDIS_URL instead.
CELERY_TASK_ALWAYS_EAGER = True
