from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.policy import Area
from common.scoping import register_scope
from dealers.models import (
    ApplicationStatus,
    ContactLog,
    Contract,
    ContractStatus,
    Dealer,
    DealerApplication,
    DealerContact,
    Evaluation,
    EvaluationCriterion,
    Violation,
    ViolationPhoto,
)
from dealers.permissions import Action, can
from dealers.scope import region_in_territory, scoped, territory_q, territory_regions
from regions.models import Region, subtree_q


def dealer_queryset_for(user) -> QuerySet[Dealer]:
    """The dealers `user` may see: the one scope every dealer page, endpoint and
    export starts from (SPEC "Who uses it"; the policy is accounts.policy).

    HQ admin, finance and warehouse: all; manager: the dealers of their regions'
    subtrees; rep: the dealers assigned to them; dealer user: only its own company.
    """
    return scoped(user, Area.DEALERS, Dealer.objects.all(), dealer="")


def contact_queryset_for(user) -> QuerySet[DealerContact]:
    """Contact people of the dealers the user may see (a dealer user sees its own company's)."""
    return scoped(user, Area.DEALERS, DealerContact.objects.all(), dealer="dealer")


def contact_log_queryset_for(user) -> QuerySet[ContactLog]:
    return scoped(user, Area.DEALER_INTERNAL, ContactLog.objects.all(), dealer="dealer")


def contract_queryset_for(user) -> QuerySet[Contract]:
    """Contracts of the dealers in scope; a dealer user sees only its signed contracts."""
    return scoped(user, Area.CONTRACTS, Contract.objects.all(), dealer="dealer",
                  published=lambda _user: Q(status=ContractStatus.SIGNED))


def evaluation_queryset_for(user) -> QuerySet[Evaluation]:
    return scoped(user, Area.DEALER_INTERNAL, Evaluation.objects.all(), dealer="dealer")


def violation_queryset_for(user) -> QuerySet[Violation]:
    return scoped(user, Area.DEALER_INTERNAL, Violation.objects.all(), dealer="dealer")


def violation_photo_queryset_for(user) -> QuerySet[ViolationPhoto]:
    return scoped(user, Area.DEALER_INTERNAL, ViolationPhoto.objects.all(), dealer="violation__dealer")


def prospect_queryset_for(user) -> QuerySet[Dealer]:
    """Dealers in the onboarding pipeline (prospect, negotiating) the user may see, with their onboarding."""
    return (
        scoped(user, Area.DEALER_INTERNAL, Dealer.objects.all(), dealer="")
        .in_pipeline().filter(onboarding__isnull=False).select_related("onboarding")
    )


def application_queryset_for(user) -> QuerySet[DealerApplication]:
    """The dealer applications a user may see (placed by the region the applicant chose).

    - HQ admin: all.
    - Manager: applications from their regions' subtrees.
    - Rep: applications from their territory (accounts.policy: the regions of the
      dealers given to them), its sub-regions and the regions above it (an
      application "somewhere in Zhejiang" is near every rep working in Zhejiang),
      and those they reviewed.
    - Everyone else: none.
    """
    return scoped(
        user, Area.APPLICATIONS, DealerApplication.objects.all(),
        in_scope=lambda user: territory_q(user, "region"),
        above=lambda user: territory_q(user, "region", with_ancestors=True) | Q(reviewed_by_id=user.pk),
    )


def open_application_count(*, user) -> int:
    """Applications waiting on this user's step: first review for reps, approval for managers."""
    if can(user, Action.DECIDE_APPLICATION):
        waiting = [ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED]
    elif can(user, Action.REVIEW_APPLICATION):
        waiting = [ApplicationStatus.SUBMITTED]
    else:
        return 0
    return application_queryset_for(user).filter(status__in=waiting).count()


# --- the dealer list ----------------------------------------------------------------
DEALER_ORDERINGS = {
    "name": "name", "code": "code", "status": "status", "tier": "tier", "region": "region__name",
    "rep": "rep__username", "grade": "current_grade", "score": "current_score",
    "credit_limit": "credit_limit", "created": "created_at",
}


@dataclass
class DealerFilters:
    search: str = ""
    region: Region | None = None
    status: list[str] | None = None
    tier: str = ""
    grade: str = ""
    rep: object = None
    ordering: str = "name"


def dealer_list(*, user, filters: DealerFilters | None = None) -> QuerySet[Dealer]:
    """The dealers in the user's scope, searched, filtered and sorted, ready for a list or an export."""
    filters = filters or DealerFilters()
    dealers = dealer_queryset_for(user).select_related("region", "rep")
    if filters.search:
        term = filters.search.strip()
        dealers = dealers.filter(
            Q(name__icontains=term) | Q(code__icontains=term) | Q(legal_entity__icontains=term)
            | Q(decision_maker__icontains=term) | Q(phone__icontains=term) | Q(address__icontains=term)
        )
    if filters.region is not None:
        dealers = dealers.filter(subtree_q([filters.region], prefix="region__"))
    if filters.status:
        dealers = dealers.filter(status__in=filters.status)
    if filters.tier:
        dealers = dealers.filter(tier=filters.tier)
    if filters.grade:
        dealers = dealers.filter(current_grade="" if filters.grade == "none" else filters.grade)
    if filters.rep is not None:
        dealers = dealers.filter(rep=filters.rep)
    field = filters.ordering.lstrip("-")
    order = DEALER_ORDERINGS.get(field, "name")
    descending = filters.ordering.startswith("-")
    return dealers.order_by(f"-{order}" if descending else order, "pk")


# --- a dealer's page ----------------------------------------------------------------
@dataclass
class HistoryEntry:
    at: datetime
    kind: str  # "status" or "rep"
    by: object
    before: str
    after: str
    reason: str


def dealer_history(*, dealer: Dealer) -> list[HistoryEntry]:
    """Status changes and rep assignments of a dealer, newest first (two queries)."""
    entries = [
        HistoryEntry(change.changed_at, "status", change.changed_by,
                     change.get_from_status_display() if change.from_status else "",
                     change.get_to_status_display(), change.reason)
        for change in dealer.status_changes.select_related("changed_by")
    ]
    entries += [
        HistoryEntry(assignment.assigned_at, "rep", assignment.assigned_by,
                     str(assignment.from_rep or ""), str(assignment.to_rep or ""), assignment.reason)
        for assignment in dealer.rep_assignments.select_related("from_rep", "to_rep", "assigned_by")
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def evaluation_list(*, user, dealer: Dealer) -> QuerySet[Evaluation]:
    """A dealer's evaluations, newest first, with their scores and criteria."""
    return (
        evaluation_queryset_for(user).filter(dealer=dealer)
        .select_related("evaluator").prefetch_related("scores__criterion")
    )


def evaluation_trend(*, dealer: Dealer, limit: int = 24) -> dict:
    """The weighted totals over time, oldest first, for the dealer page's chart."""
    rows = list(dealer.evaluations.order_by("-created_at", "-id").values_list("created_at", "total", "grade")[:limit])
    rows.reverse()
    from django.utils import timezone

    return {
        "labels": [timezone.localtime(at).date().isoformat() for at, _total, _grade in rows],
        "totals": [float(total) for _at, total, _grade in rows],
        "grades": [grade for _at, _total, grade in rows],
    }


def active_criteria() -> QuerySet[EvaluationCriterion]:
    return EvaluationCriterion.objects.filter(active=True).order_by("order", "code")


def current_contract(*, dealer: Dealer, contracts=None) -> Contract | None:
    """The signed contract in force today, else the latest signed one, else the latest draft."""
    from django.utils import timezone

    today = timezone.localdate()
    contracts = list(contracts if contracts is not None else dealer.contracts.all())
    signed = [contract for contract in contracts if contract.status == ContractStatus.SIGNED]
    in_force = [contract for contract in signed if contract.start_date <= today <= contract.end_date]
    for group in (in_force, signed, contracts):
        if group:
            return max(group, key=lambda contract: (contract.start_date, contract.pk))
    return None


def reps_for_assignment() -> QuerySet:
    """Active reps a dealer may be assigned to."""
    return User.objects.filter(role=Role.REP, is_active=True).order_by("first_name", "last_name", "username")


def regions_for_choice(*, user) -> QuerySet[Region]:
    """Regions a user may pick for a dealer or prospect: their territory's subtrees
    (HQ admin: all; a manager: their regions; a rep: the regions of the dealers
    given to them, see accounts.policy)."""
    roots = territory_regions(user)
    regions = Region.objects.all() if roots is None else Region.objects.filter(subtree_q(roots))
    return regions.order_by("path")


def region_in_scope(*, user, region: Region) -> bool:
    """Whether the user may place a dealer or a prospect in `region`: inside their territory.

    A rep records prospects only inside the regions of the dealers given to them
    (accounts.policy); a prospect elsewhere is a manager's to create and assign."""
    return region_in_territory(user=user, region=region)


def applications_to_approve(*, user) -> QuerySet[DealerApplication]:
    """Open applications in scope a manager may decide now: reviewed by a rep, or
    still unreviewed (a manager may approve those directly)."""
    return application_queryset_for(user).filter(status__in=[ApplicationStatus.REVIEWED, ApplicationStatus.SUBMITTED])


# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(Dealer, dealer_queryset_for)
register_scope(DealerContact, contact_queryset_for)
register_scope(ContactLog, contact_log_queryset_for)
register_scope(Contract, contract_queryset_for)
register_scope(Evaluation, evaluation_queryset_for)
register_scope(Violation, violation_queryset_for)
register_scope(ViolationPhoto, violation_photo_queryset_for)
register_scope(DealerApplication, application_queryset_for)
