"""`manage.py runserver` (`make run`) as WhiteNoise's, naming no software or version.

Django's development server writes `Server: WSGIServer/0.2 CPython/3.11.x` into every response
(wsgiref's `server_software`) and into the answers it gives itself to a malformed request
(`BaseHTTPRequestHandler.version_string`). It says `web` instead, as gunicorn does in production
(deploy/gunicorn.conf.py)."""

from __future__ import annotations

from typing import Any

from django.core.servers import basehttp
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as NoStaticRunserver,
)

SERVER_HEADER = "web"


class _Handler(basehttp.WSGIRequestHandler):
    def version_string(self) -> str:
        return SERVER_HEADER


class Command(NoStaticRunserver):
    def inner_run(self, *args: Any, **options: Any) -> None:
        basehttp.ServerHandler.server_software = SERVER_HEADER
        basehttp.WSGIRequestHandler = _Handler  # type: ignore[misc]
        super().inner_run(*args, **options)
