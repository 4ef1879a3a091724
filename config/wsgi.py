"""The WSGI application (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from config.memory import collecting_after_responses

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# Garbage is collected after each response is sent, never in the middle of one, and what
# start-up loaded is frozen (config/memory.py says why and what it measured).
application = collecting_after_responses(get_wsgi_application())
