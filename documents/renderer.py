"""HTML → PDF/A-3b, the one place that calls WeasyPrint (pinned in pyproject.toml / the locks).

- Templates are Django templates (autoescaped), one per kind and language:
  `documents/templates/documents/<kind>/<language>.html`, extending `documents/base.html`.
- PDF/A-3b (`pdf_variant="pdf/a-3b"`) with title, language and author metadata from the HTML
  head; the data snapshot is embedded as the attachment `snapshot.json`, so the document is
  machine-readable.
- One `FontConfiguration` and one parsed stylesheet per worker process (a new configuration per
  call is slower and leaks memory, STYLE.md item 11); the fonts ship with the app
  (`documents/static/documents/fonts`, DejaVu, with their licence), so the output does not depend
  on the machine's fonts.
- The `url_fetcher` serves our own static files under `documents/static/documents` and refuses
  everything else (no network, no other file): a refused URL stops the render.
"""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (Path(__file__).resolve().parent / "static" / "documents").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"
PDF_VARIANT = "pdf/a-3b"
SNAPSHOT_ATTACHMENT = "snapshot.json"
_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml"}


class RefusedURL(ValueError):
    """A template or stylesheet asked for something that is not one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under STATIC_DIR by `file:` URL; refuses every other URL (fatal)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Only the documents' own static files may be loaded, not {url!r}.")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise RefusedURL(f"Only the documents' own static files may be loaded, not {url!r}.")
        content_type = _TYPES.get(path.suffix, "application/octet-stream")
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@lru_cache(maxsize=1)
def fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher()


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One per process: WeasyPrint registers the @font-face fonts in it once."""
    return FontConfiguration()


@lru_cache(maxsize=1)
def stylesheet() -> CSS:
    """The shared stylesheet, parsed once per process (its @font-face rules load our fonts)."""
    return CSS(
        string=(STATIC_DIR / "document.css").read_text(encoding="utf-8"),
        base_url=BASE_URL,
        url_fetcher=fetcher(),
        font_config=font_config(),
    )


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def template_name(kind: str, language: str) -> str:
    return f"documents/{kind}/{language}.html"


def render_html(kind: str, language: str, context: dict[str, Any]) -> str:
    """The document's HTML (autoescaped), with month names and the like in `language`."""
    with translation.override(language):
        return render_to_string(template_name(kind, language), {**context, "lang": language})


def snapshot_bytes(snapshot: dict[str, Any]) -> bytes:
    """The canonical JSON of a snapshot: what is hashed and what is embedded."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def html_to_pdf(html: str, *, snapshot: dict[str, Any] | None = None) -> Rendered:
    """PDF/A-3b of `html` with the shared stylesheet and fonts; `snapshot` as an attachment."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher()).render(
        stylesheets=[stylesheet()], font_config=font_config(), pdf_variant=PDF_VARIANT
    )
    attachments = []
    if snapshot is not None:
        attachments.append(
            Attachment(
                string=snapshot_bytes(snapshot),
                base_url=BASE_URL,
                url_fetcher=fetcher(),
                name=SNAPSHOT_ATTACHMENT,
                description="The data this document was made from (JSON)",
                relationship="Data",
            )
        )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments)
    assert pdf is not None
    return Rendered(pdf=pdf, pages=len(document.pages))


def warm_up() -> None:
    """Load what every render shares (the stylesheet, the fonts, WeasyPrint's own caches) by
    rendering one line, then keep all of it out of the garbage collector's full passes: they
    would otherwise walk it every few documents (measured: about 90 ms each, one document in
    four). A worker calls this once when it starts."""
    html_to_pdf('<html lang="nl"><head><title>.</title></head><body><p>Lanzarote</p></body></html>')
    gc.collect()
    gc.freeze()


def render(kind: str, language: str, snapshot: dict[str, Any]) -> Rendered:
    """The whole document: the template filled from the snapshot, then the PDF."""
    return html_to_pdf(render_html(kind, language, {"data": snapshot}), snapshot=snapshot)
