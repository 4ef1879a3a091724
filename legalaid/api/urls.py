from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

# No `.json` suffixes: one URL per resource, as the schema documents (actions took no `format`).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("districts", views.DistrictViewSet, basename="district")
router.register("lawyers", views.LawyerViewSet, basename="lawyer")
router.register("cases", views.CaseViewSet, basename="case")
router.register("guardian-access", views.GuardianAccessViewSet, basename="guardian-access")
router.register("designations", views.DesignationViewSet, basename="designation")
router.register("escalations", views.EscalationViewSet, basename="escalation")
router.register("evidence-items", views.EvidenceItemViewSet, basename="evidence-item")
router.register(
    "nonpunishment-records", views.NonPunishmentRecordViewSet, basename="nonpunishment-record"
)
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("intake/", views.IntakeView.as_view(), name="intake"),
    path("me/", views.MeView.as_view(), name="me"),
    path("fairness/", views.FairnessView.as_view(), name="fairness"),
    path(
        "nonpunishment-reference/",
        views.NonPunishmentReferenceView.as_view(),
        name="nonpunishment-reference",
    ),
    path(
        "cases/<int:pk>/guardian-notice/",
        views.GuardianNoticeView.as_view(),
        name="case-guardian-notice",
    ),
    *router.urls,
]
