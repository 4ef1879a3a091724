from django.urls import path

from . import exports, views

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
    # A person's copy of their file (GDPR articles 15 and 20).
    path(
        "cases/<int:pk>/personal-data-exports/",
        exports.CasePersonalDataExportsView.as_view(),
        name="case-personal-data-exports",
    ),
    path(
        "personal-data-exports/<int:pk>/",
        exports.PersonalDataExportDetailView.as_view(),
        name="personal-data-export-detail",
    ),
    path(
        "personal-data-exports/<int:pk>/download/",
        exports.PersonalDataExportDownloadView.as_view(),
        name="personal-data-export-download",
    ),
]
