"""API tokens, with failed attempts counted per client address.

DRF checks throttles after authentication, so a request with a wrong token is refused (401/403)
before any throttle sees it: guessing tokens would never be slowed down. Here the token's own
check counts the failures of each address (the `token_failures` rate of
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], in the default cache) and, once an address has used up
its failures, refuses every token from it with 429 and Retry-After until the window has passed —
before looking the token up, so that the right token is refused too and guessing gains nothing.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenFailureThrottle(SimpleRateThrottle):
    """The failed tokens of one client address (REST_FRAMEWORK["NUM_PROXIES"] says which)."""

    scope = "token_failures"

    def __init__(self) -> None:
        super().__init__()
        self.allowed, self.window = self.parse_rate(self.rate)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request: Request) -> bool:
        """Whether the address has no failure left; reads its recent failures (kept for
        `record_failure`)."""
        if self.allowed is None or self.window is None:
            return False  # no rate: failures are not counted
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.window:
            self.history.pop()
        return len(self.history) >= self.allowed

    def record_failure(self) -> None:
        if self.allowed is not None:
            self.throttle_success()  # DRF's name: it records one more event in the window


class ThrottledTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused with 429 for an address that failed too often."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: another authentication's business
        throttle = TokenFailureThrottle()
        if throttle.exhausted(request):
            raise exceptions.Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure()
            raise
