"""The one error vocabulary of the domain. Services raise these (or Django's ValidationError);
the API's exception handler turns them into one body shape with a status code."""

from __future__ import annotations


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ApplicationError):
    """The object does not exist or lies outside the actor's scope (the two are not told apart)."""

    status_code = 404
    code = "not_found"


class Forbidden(ApplicationError):
    status_code = 403
    code = "forbidden"


class Conflict(ApplicationError):
    """The request is well formed but the object's state does not allow it (accepted twice…)."""

    status_code = 409
    code = "conflict"
