"""What every portal view shares: the role check, the services' refusals put back on a form, and
a partial answer to htmx."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS as NON_FIELD
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse

from legalaid.errors import ApplicationError, NotFound
from legalaid.models import Role, User

View = TypeVar("View", bound=Callable[..., HttpResponse])


def for_roles(*roles: str) -> Callable[[View], View]:
    """Signed in (else to the sign-in page), one of `roles` (else 403); an object outside the
    user's scope, raised by a selector as NotFound, answers 404 like a missing one."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if cast(User, request.user).role not in roles:
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return cast(View, wrapped)

    return decorator


office_view = for_roles(Role.OFFICE, Role.ADMIN)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def apply_service_errors(form: BaseForm, error: ValidationError | ApplicationError) -> None:
    """A service's refusal, on the form: each message on its field when the form has that field,
    the others at the top (in the error summary)."""
    if isinstance(error, ValidationError):
        messages = (
            error.message_dict if hasattr(error, "error_dict") else {NON_FIELD: error.messages}
        )
    else:
        messages = error.fields or {NON_FIELD: [error.message]}
    for field, texts in messages.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def submit(
    request: HttpRequest,
    form: BaseForm,
    act: Callable[[dict[str, Any]], object],
    *,
    done: str,
    then: Callable[[], HttpResponse],
    refused: Callable[[], HttpResponse],
) -> HttpResponse:
    """A posted form: its shape, then one service (`act`). Done: a message and `then` (a
    redirect: post/redirect/get). Refused by the form or the service: `refused`, the page again
    with the form's messages (400); the service wrote nothing."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return then()
    return refused()
