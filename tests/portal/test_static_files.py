"""Static files are served by WhiteNoise from the application itself, so the pages, the admin
and the API docs are styled under gunicorn too (not only under `runserver`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.portal.conftest import HOST

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    "path",
    [
        "/static/portal/site.css",
        "/static/portal/htmx-2.0.11.min.js",
        "/static/admin/css/base.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ],
)
def test_static_files_are_served_by_the_application(path: str) -> None:
    response = Client(HTTP_HOST=HOST).get(path)
    assert response.status_code == 200
    assert type(response).__name__ == "WhiteNoiseFileResponse"  # not Django's debug view
    assert response["Cache-Control"].startswith("max-age=")


def test_the_vendored_htmx_is_the_pinned_version() -> None:
    source = (ROOT / "portal/static/portal/htmx-2.0.11.min.js").read_text(encoding="utf-8")
    assert re.search(r'version:"2\.0\.11"', source)
    base = (ROOT / "portal/templates/portal/base.html").read_text(encoding="utf-8")
    assert "portal/htmx-2.0.11.min.js" in base


def test_no_template_carries_an_inline_script() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal/templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
