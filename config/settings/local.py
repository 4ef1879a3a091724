"""The embedded default: SQLite file, tasks inline unless REDIS_URL is set, demo data allowed."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
DEMO_DATA_ALLOWED = True
