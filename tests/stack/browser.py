"""A small HTTP client for the smoke test of the stack (standard library only: neither requests
nor httpx is among the locked dependencies). It talks to gunicorn as the TLS-terminating proxy
would, with `X-Forwarded-Proto: https`, keeps cookies as a browser does (the production settings'
cookies are Secure: they are sent back although the last hop is plain HTTP), follows no redirect,
and sends the CSRF token and the Origin that Django checks on HTTPS."""

from __future__ import annotations

import json as jsonlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self) -> Any:
        return jsonlib.loads(self.body)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx comes back as the response


class _Inputs(HTMLParser):
    """Every <input>'s attributes, by id and by name."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.by_name: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        found = {key: value or "" for key, value in attrs}
        if "id" in found:
            self.by_id[found["id"]] = found
        if "name" in found:
            self.by_name[found["name"]] = found


def inputs(page: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(page)
    return parser


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = "https://" + urllib.parse.urlsplit(self.base_url).netloc
        # The cookies are Secure; the browser is behind TLS in the stack, this client is not.
        policy = DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.cookies = CookieJar(policy)
        self._opener = urllib.request.build_opener(
            _NoRedirects(), urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.server_headers: set[str] = set()

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json: Any = None,
        behind_tls: bool = True,
    ) -> Response:
        headers = {"Accept-Language": "en"}
        if behind_tls:
            headers["X-Forwarded-Proto"] = "https"
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            data = jsonlib.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        if method not in {"GET", "HEAD"}:
            headers["Origin"] = self.origin
            token = self.cookie("csrftoken")
            if token:
                headers["X-CSRFToken"] = token
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with self._opener.open(request, timeout=60) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = Response(error.code, error.headers, error.read())
        self.server_headers.add(response.headers.get("Server", ""))
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.request("POST", path, **kwargs)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def submit(
        self, path: str, fields: dict[str, str], *, page: Response | None = None
    ) -> Response:
        """Post `fields` with the CSRF token of the form at `path` (fetched, unless `page` is
        that page already: fetching it again may change it, as a new TOTP secret)."""
        if page is None:
            page = self.get(path)
        assert page.status == 200, (path, page.status)
        token = inputs(page.text).by_name["csrfmiddlewaretoken"]["value"]
        return self.post(path, form={"csrfmiddlewaretoken": token, **fields})
