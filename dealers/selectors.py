from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Role
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
from regions.models import Region, subtree_q
from regions.selectors import region_ancestor_ids, regions_managed_by


def dealer_queryset_for(user) -> QuerySet[Dealer]:
    """The dealers `user` may see: the one scope every dealer page, endpoint and
    export starts from (SPEC "Who uses it").

    HQ admin, finance and warehouse: all; manager: the dealers of their regions'
    subtrees; rep: the dealers assigned to them; dealer user: only its own company.
    """
    dealers = Dealer.objects.all()
    if not user.is_authenticated:
        return dealers.none()
    role = user.effective_role
    if role in (Role.ADMIN, Role.FINANCE, Role.WAREHOUSE):
        return dealers
    if role == Role.MANAGER:
        return dealers.filter(subtree_q(regions_managed_by(user), prefix="region__"))
    if role == Role.REP:
        return dealers.filter(rep=user)
    if role == Role.DEALER:
        return dealers.filter(pk=user.dealer_id)
    return dealers.none()


def _internal(user, queryset: QuerySet) -> QuerySet:
    """Internal records (evaluations, violations, contact log...) are for the
    manufacturer's staff, never a dealer's own users."""
    return queryset if can(user, Action.VIEW_INTERNAL) else queryset.none()


def contact_queryset_for(user) -> QuerySet[DealerContact]:
    """Contact people of the dealers the user may see (a dealer user sees its own company's)."""
    return DealerContact.objects.filter(dealer__in=dealer_queryset_for(user))


def contact_log_queryset_for(user) -> QuerySet[ContactLog]:
    return _internal(user, ContactLog.objects.filter(dealer__in=dealer_queryset_for(user)))


def contract_queryset_for(user) -> QuerySet[Contract]:
    """Contracts of the dealers in scope; a dealer user sees only its signed contracts."""
    contracts = Contract.objects.filter(dealer__in=dealer_queryset_for(user))
    if not can(user, Action.VIEW_DRAFT_CONTRACTS):
        contracts = contracts.filter(status=ContractStatus.SIGNED)
    return contracts


def evaluation_queryset_for(user) -> QuerySet[Evaluation]:
    return _internal(user, Evaluation.objects.filter(dealer__in=dealer_queryset_for(user)))


def violation_queryset_for(user) -> QuerySet[Violation]:
    return _internal(user, Violation.objects.filter(dealer__in=dealer_queryset_for(user)))


def violation_photo_queryset_for(user) -> QuerySet[ViolationPhoto]:
    return ViolationPhoto.objects.filter(violation__in=violation_queryset_for(user))


def prospect_queryset_for(user) -> QuerySet[Dealer]:
    """Dealers in the onboarding pipeline (prospect, negotiating) the user may see, with their onboarding."""
    return _internal(
        user, dealer_queryset_for(user).in_pipeline().filter(onboarding__isnull=False).select_related("onboarding")
    )


def application_queryset_for(user) -> QuerySet[DealerApplication]:
    """The dealer applications a user may see.

    - HQ admin: all.
    - Manager: applications from their regions' subtrees (the region the applicant chose).
    - Rep: applications from the area they work in — the region of any of their
      dealers, its sub-regions and the regions above it (an application "somewhere
      in Zhejiang" is near every rep working in Zhejiang) — and those they reviewed.
    - Everyone else: none.
    """
    applications = DealerApplication.objects.all()
    if not user.is_authenticated:
        return applications.none()
    role = user.effective_role
    if role == Role.ADMIN:
        return applications
    if role == Role.MANAGER:
        return applications.filter(subtree_q(regions_managed_by(user), prefix="region__"))
    if role == Role.REP:
        worked = list(Region.objects.filter(pk__in=Dealer.objects.filter(rep=user).values("region")).distinct())
        ancestors = {pk for region in worked for pk in region_ancestor_ids(region)}
        return applications.filter(
            subtree_q(worked, prefix="region__") | Q(region_id__in=ancestors) | Q(reviewed_by=user)
        )
    return applications.none()


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
    from accounts.models import User

    return User.objects.filter(role=Role.REP, is_active=True).order_by("first_name", "last_name", "username")


def regions_for_choice(*, user) -> QuerySet[Region]:
    """Regions a user may pick for a dealer: a manager's subtrees, all for everyone else."""
    regions = Region.objects.all()
    if user.is_authenticated and user.effective_role == Role.MANAGER:
        regions = regions.filter(subtree_q(regions_managed_by(user)))
    return regions.order_by("path")


def region_in_scope(*, user, region: Region) -> bool:
    """Whether a manager may place a dealer in `region` (always true for HQ admin and reps)."""
    if user.effective_role != Role.MANAGER:
        return True
    return any(region.path.startswith(root.path) for root in regions_managed_by(user))
