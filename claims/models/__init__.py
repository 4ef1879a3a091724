from .claims import (
    CONSTITUTED_STATUSES,
    CivilClaim,
    ClaimStage,
    ClaimStatus,
    DamageHead,
    DamageKind,
)
from .judgments import (
    Award,
    AwardKind,
    ImputationOrder,
    InterestKind,
    Judgment,
    JudgmentStatus,
    imputation_sequence,
)
from .payments import PayerKind, Payment, PaymentDestination, PaymentImmutable
from .recovery import (
    EnforcementKind,
    EnforcementStep,
    StateAidApplication,
    StateAidKind,
    StateAidStatus,
)
from .reference import (
    IndicativeTableEdition,
    IndicativeTableItem,
    IndicativeTableRate,
    LegalInterestRate,
    RateUnit,
    StateAidRule,
)

__all__ = [
    "CONSTITUTED_STATUSES",
    "Award",
    "AwardKind",
    "CivilClaim",
    "ClaimStage",
    "ClaimStatus",
    "DamageHead",
    "DamageKind",
    "EnforcementKind",
    "EnforcementStep",
    "ImputationOrder",
    "IndicativeTableEdition",
    "IndicativeTableItem",
    "IndicativeTableRate",
    "InterestKind",
    "Judgment",
    "JudgmentStatus",
    "LegalInterestRate",
    "PayerKind",
    "Payment",
    "PaymentDestination",
    "PaymentImmutable",
    "RateUnit",
    "StateAidApplication",
    "StateAidKind",
    "StateAidRule",
    "StateAidStatus",
    "imputation_sequence",
]
