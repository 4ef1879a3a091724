from django.urls import include, path

from .views import common, fairness, guardian, lawyer, office, panel

app_name = "portal"

office_patterns = [
    path("", office.home, name="home"),
    path("fairness/", fairness.fairness, name="fairness"),
    path("fairness.csv", fairness.fairness_csv, name="fairness_csv"),
    path("panel/", panel.panel, name="panel"),
    path("panel/<int:pk>/", panel.lawyer_detail, name="lawyer"),
    path("panel/<int:pk>/edit/", panel.lawyer_edit, name="lawyer_edit"),
    path("panel/<int:pk>/leave/", panel.lawyer_leave, name="lawyer_leave"),
    path("panel/import/", panel.panel_import, name="panel_import"),
    path("panel/import/confirm/", panel.panel_import_confirm, name="panel_import_confirm"),
    path("panel/import/template.csv", panel.panel_template, name="panel_template"),
    path("intake/", office.intake, name="intake"),
    path("intake/language/", office.intake_language, name="intake_language"),
    path("cases/<int:pk>/", office.case_detail, name="case"),
    path("cases/<int:pk>/notes/", office.case_note, name="case_note"),
    path("cases/<int:pk>/designate/", office.designate, name="designate"),
    path("cases/<int:pk>/close/", office.close, name="close"),
    path(
        "cases/<int:pk>/personal-data-exports/",
        office.personal_data_export,
        name="personal_data_export",
    ),
    path("cases/<int:pk>/guardians/", office.guardian_grant, name="guardian_grant"),
    path(
        "cases/<int:pk>/guardians/<int:access_pk>/revoke/",
        office.guardian_revoke,
        name="guardian_revoke",
    ),
]

urlpatterns = [
    path("", common.landing, name="landing"),
    path("language/", common.language_set, name="language"),
    path("healthz", common.healthz, name="healthz"),
    path("readyz", common.readyz, name="readyz"),
    path("office/", include((office_patterns, "office"))),
    path("lawyer/", include(([path("", lawyer.home, name="home")], "lawyer"))),
    path("guardian/", include(([path("", guardian.home, name="home")], "guardian"))),
]
