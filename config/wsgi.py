"""The WSGI application (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Everything loaded at start-up lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise walk it all every few dozen requests (measured in
# benchmarks/ledger.py: a 60-70 ms pause, one call in 18).
gc.freeze()
