"""The product's URLs plus one view that fails with a victim's file loaded, its message quoting the
victim's name: what a bug in a view would look like to the logs and to Sentry."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404
from config.urls import urlpatterns as product_urlpatterns
from legalaid.models import Case

__all__ = ["handler404", "urlpatterns"]


def failing_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = Case.objects.select_related("victim").get(pk=pk)
    victim = case.victim
    secret_of_the_frame = (victim.given_names, victim.family_name, victim.national_number)
    raise ValueError(f"Cannot handle {secret_of_the_frame} born {victim.date_of_birth}")


urlpatterns = [*product_urlpatterns, path("test-failure/<int:pk>/", failing_view, name="failing")]
