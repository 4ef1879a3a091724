from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.metrics import metrics_view

# The admin signs in through the same pages as everyone (password, then the second factor).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# A URL under /api/ that no route matches answers the API's JSON error body, not the page.
handler404 = "legalaid.api.handlers.page_not_found"

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("legalaid.api.urls")),
    path("api/v1/", include("claims.api.urls")),
    path("api/v1/", include("documents.api.urls")),
    # Prometheus, for the internal network or a token only (portal/metrics.py).
    path("metrics", metrics_view, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as its own request: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # The browsable API's own sign-in would skip the second factor: it sends to the real one.
    path(
        "api-auth/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="api-login",
    ),
]
