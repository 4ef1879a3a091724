"""gunicorn's settings for the web process (`deploy/web` starts it with this file).

Sync workers, each handling one request at a time: put a buffering reverse proxy (the TLS
terminator) in front, so that a slow client never holds a worker. The environment:

    PORT             the port to listen on, on every interface (8000)
    WEB_CONCURRENCY  worker processes (2: one per core; the web processes are stateless)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import gunicorn.http.wsgi

# Prometheus' multiprocess mode (config/metrics.py): each worker writes its latency histograms to
# files in this directory, made afresh at each start of the web, and /metrics adds them all up (a
# replaced worker's files stay: its counts remain in the totals). Set before anything imports
# prometheus_client, which reads it once.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="lanzarote-metrics-"))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_int

wsgi_app = "config.wsgi:application"
bind = [f"0.0.0.0:{env_int('PORT', 8000, minimum=1)}"]
workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
timeout = 60  # a request still running after this long is killed, its worker replaced
graceful_timeout = 30
# Workers are replaced after a thousand requests or so (spread, so never all at once): whatever a
# long run accumulates is given back.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files in memory, not on the container's overlay file system.
SHM = "/dev/shm"  # noqa: S108 - gunicorn makes its files there with mkstemp
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# No runtime control socket (gunicornc): nothing uses it, and the image's user has no home.
control_socket_disable = True

# Logs on stdout/stderr. The access log names the method, the path without its query string
# (a search may carry a name), the status, the size and the time taken: no personal data.
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# gunicorn names itself in every response: `Server: gunicorn` (gunicorn 27 writes the module
# constant gunicorn.http.wsgi.SERVER, read when each response starts, HTTP/2's too; there is no
# setting for it, and a Server header from the application would be sent beside it, not instead).
# Replacing the constant here, before any worker starts, names no software and no version.
SERVER_HEADER = "web"
if not isinstance(getattr(gunicorn.http.wsgi, "SERVER", None), str):
    raise RuntimeError(
        "deploy/gunicorn.conf.py: this gunicorn no longer names itself through "
        "gunicorn.http.wsgi.SERVER; look again at how it writes the Server header."
    )
gunicorn.http.wsgi.SERVER = SERVER_HEADER
