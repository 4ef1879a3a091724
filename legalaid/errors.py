"""The one error vocabulary of the domain. Services raise these (or Django's ValidationError);
the API's exception handler turns them into one body shape with a status code.

Messages are for people: translated where they are raised (`gettext`, in the request's language),
or lazy constants (`gettext_lazy`) turned into text here, in the language active at that moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(
        self, message: StrOrPromise, *, fields: dict[str, list[StrOrPromise]] | None = None
    ) -> None:
        text = str(message)
        super().__init__(text)
        self.message = text
        self.fields: dict[str, list[str]] = {
            name: [str(item) for item in items] for name, items in (fields or {}).items()
        }


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
