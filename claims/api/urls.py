"""The civil-claims ledger's routes under /api/v1/ (ids only in URLs)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/claims/", views.CaseClaimsView.as_view(), name="case-claims"),
    path(
        "cases/<int:pk>/compensation/",
        views.CaseCompensationView.as_view(),
        name="case-compensation",
    ),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/file/", views.ClaimFileView.as_view(), name="claim-file"),
    path(
        "claims/<int:pk>/status-change/",
        views.ClaimStatusChangeView.as_view(),
        name="claim-status-change",
    ),
    path(
        "claims/<int:pk>/damage-heads/", views.DamageHeadsView.as_view(), name="claim-damage-heads"
    ),
    path("claims/<int:pk>/judgments/", views.JudgmentsView.as_view(), name="claim-judgments"),
    path("claims/<int:pk>/balances/", views.BalancesView.as_view(), name="claim-balances"),
    path(
        "claims/<int:pk>/state-aid-eligibility/",
        views.StateAidEligibilityView.as_view(),
        name="claim-state-aid-eligibility",
    ),
    path(
        "claims/<int:pk>/state-aid-applications/",
        views.StateAidApplicationsView.as_view(),
        name="claim-state-aid-applications",
    ),
    path(
        "claims/<int:pk>/enforcement-steps/",
        views.EnforcementStepsView.as_view(),
        name="claim-enforcement-steps",
    ),
    path("judgments/<int:pk>/", views.JudgmentDetailView.as_view(), name="judgment-detail"),
    path(
        "judgments/<int:pk>/status-change/",
        views.JudgmentStatusChangeView.as_view(),
        name="judgment-status-change",
    ),
    path("judgments/<int:pk>/awards/", views.AwardsView.as_view(), name="judgment-awards"),
    path("judgments/<int:pk>/payments/", views.PaymentsView.as_view(), name="judgment-payments"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment-reverse"),
    path(
        "state-aid-applications/<int:pk>/decision/",
        views.StateAidDecisionView.as_view(),
        name="state-aid-decision",
    ),
    path(
        "state-aid-applications/<int:pk>/payment/",
        views.StateAidPaymentView.as_view(),
        name="state-aid-payment",
    ),
    path(
        "enforcement-steps/<int:pk>/outcome/",
        views.EnforcementOutcomeView.as_view(),
        name="enforcement-step-outcome",
    ),
]
