"""Settings of benchmarks/api_load.py, for its own process (which seeds the data and counts the
queries) and for the gunicorn it starts: the settings every environment shares, read from the
same environment (the same database and keys), DEBUG off, and a URLconf that serves the floor's
bare views beside the project's URLs (benchmarks/_api_floor.py)."""

from config.settings.base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "_api_floor"
