"""The dealers app's models, one module per sub-domain: dealers, their status
changes and rep assignments (dealers), contacts and the contact log (contacts),
the onboarding pipeline and its staged documents (onboarding), contracts
(contracts), evaluations, their criteria and the grade thresholds (evaluations),
market violations (violations) and self-registration (applications). Every
model, choice and constant is re-exported here, so `from dealers.models import
Dealer` keeps working; the models' app label stays `dealers`.
"""

from dealers.models.applications import (
    ApplicationStatus,
    DealerApplication,
    DealerInvitation,
)
from dealers.models.contacts import (
    ContactChannel,
    ContactLog,
    DealerContact,
)
from dealers.models.contracts import (
    CONTRACT_ENDS_BEFORE_START,
    Contract,
    ContractQuerySet,
    ContractStatus,
)
from dealers.models.dealers import (
    DUPLICATE_CHANNEL_TYPE,
    UNKNOWN_CHANNEL_TYPE,
    ChannelType,
    Dealer,
    DealerQuerySet,
    DealerStatus,
    DealerStatusChange,
    DealerTier,
    Grade,
    OperatingModel,
    RepAssignment,
    validate_channel_types,
)
from dealers.models.evaluations import (
    THRESHOLDS_NOT_DESCENDING,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    GradeSettings,
)
from dealers.models.onboarding import (
    DOCUMENT_MODELS,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    CommunicationMemo,
    CooperationProposal,
    InvitationKind,
    Onboarding,
    OnboardingDocument,
    OnboardingStage,
    ProspectSource,
    SamplesInvitation,
)
from dealers.models.violations import (
    FINE_NEEDS_AMOUNT,
    Severity,
    Violation,
    ViolationOutcome,
    ViolationPhoto,
    ViolationType,
)

__all__ = [
    "ApplicationStatus",
    "CONTRACT_ENDS_BEFORE_START",
    "ChannelType",
    "CommunicationMemo",
    "ContactChannel",
    "ContactLog",
    "Contract",
    "ContractQuerySet",
    "ContractStatus",
    "CooperationProposal",
    "DOCUMENT_MODELS",
    "DUPLICATE_CHANNEL_TYPE",
    "Dealer",
    "DealerApplication",
    "DealerContact",
    "DealerInvitation",
    "DealerQuerySet",
    "DealerStatus",
    "DealerStatusChange",
    "DealerTier",
    "Evaluation",
    "EvaluationCriterion",
    "EvaluationScore",
    "FINE_NEEDS_AMOUNT",
    "Grade",
    "GradeSettings",
    "InvitationKind",
    "Onboarding",
    "OnboardingDocument",
    "OnboardingStage",
    "OperatingModel",
    "ProspectSource",
    "RepAssignment",
    "STAGE_DATE_FIELD",
    "STAGE_ORDER",
    "SamplesInvitation",
    "Severity",
    "THRESHOLDS_NOT_DESCENDING",
    "UNKNOWN_CHANNEL_TYPE",
    "Violation",
    "ViolationOutcome",
    "ViolationPhoto",
    "ViolationType",
    "validate_channel_types",
]
