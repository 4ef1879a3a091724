from django.urls import path

from . import views

urlpatterns = [
    path("documents/", views.DocumentRequestView.as_view(), name="document-request"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        "documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        "cases/<int:pk>/documents/",
        views.CaseDocumentListView.as_view(),
        name="case-documents",
    ),
]
