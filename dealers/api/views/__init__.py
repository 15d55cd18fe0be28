"""The dealers REST API (API.md: dealers, and the project's own endpoints for status,
assignments, contacts, the contact log, prospects and their documents, contracts,
violations and applications), one module per sub-domain the way dealers/views/ is:
dealers, evaluations (and their criteria), contacts (and the contact log),
prospects, contracts, violations and applications; the role check and the region
filter they share are in shared. Every view set is re-exported here, so
dealers/api/urls.py keeps `views.DealerViewSet`.

Order of checks, as everywhere: the role (dealers.permissions → 403), then the
scope (querysets from dealers.selectors → 404), then the input (→ 400), then
the state (→ 409).
"""

from dealers.api.views.applications import (
    ApplicationFilter,
    DealerApplicationViewSet,
)
from dealers.api.views.contacts import (
    ContactFilter,
    ContactLogFilter,
    ContactLogViewSet,
    DealerContactViewSet,
)
from dealers.api.views.contracts import (
    ContractFilter,
    ContractViewSet,
)
from dealers.api.views.dealers import (
    DealerFilter,
    DealerViewSet,
)
from dealers.api.views.evaluations import (
    DealerEvaluationViewSet,
    EvaluationCriterionViewSet,
)
from dealers.api.views.prospects import (
    DOCUMENT_DESCRIPTION,
    DOCUMENT_KINDS,
    ProspectFilter,
    ProspectViewSet,
)
from dealers.api.views.shared import (
    RegionSubtreeFilter,
    RolePermission,
)
from dealers.api.views.violations import (
    ViolationFilter,
    ViolationViewSet,
)

__all__ = [
    "ApplicationFilter",
    "ContactFilter",
    "ContactLogFilter",
    "ContactLogViewSet",
    "ContractFilter",
    "ContractViewSet",
    "DOCUMENT_DESCRIPTION",
    "DOCUMENT_KINDS",
    "DealerApplicationViewSet",
    "DealerContactViewSet",
    "DealerEvaluationViewSet",
    "DealerFilter",
    "DealerViewSet",
    "EvaluationCriterionViewSet",
    "ProspectFilter",
    "ProspectViewSet",
    "RegionSubtreeFilter",
    "RolePermission",
    "ViolationFilter",
    "ViolationViewSet",
]
