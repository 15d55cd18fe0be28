"""Who can be given leads, and the worklists of the home page and the menu's figures."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User
from dealers.selectors import dealer_queryset_for
from promotions.models import Attendee, AttendeeQuerySet, Campaign, CampaignQuerySet, CampaignStatus
from promotions.selectors.scope import CampaignDealer, CampaignRegion, campaign_queryset_for, lead_queryset_for
from regions.models import subtree_q
from regions.selectors import regions_managed_by


# --- Who can be given leads ------------------------------------------------------------------
def assignable_reps(*, user, campaign: Campaign) -> QuerySet:
    """The reps `user` may assign a campaign's leads to: for HQ admin every active rep;
    otherwise the reps of the dealers in the user's scope, and the owner if a rep."""
    reps = User.objects.filter(role=Role.REP, is_active=True)
    if user.is_hq_admin:
        return reps.order_by("first_name", "last_name", "username")
    in_scope = Q(pk__in=dealer_queryset_for(user).filter(rep__isnull=False).values("rep_id"))
    return reps.filter(in_scope | Q(pk=campaign.owner_id)).order_by("first_name", "last_name", "username")


# --- Worklists (the home page and the menu's figures) ---------------------------------------
def _wholly_within(managed) -> Q:
    """Campaigns whose every region and every named dealer lie in the `managed` regions' subtrees."""
    region_outside = CampaignRegion.objects.filter(campaign=OuterRef("pk")).exclude(subtree_q(managed, prefix="region__"))
    dealer_outside = CampaignDealer.objects.filter(campaign=OuterRef("pk")).exclude(
        subtree_q(managed, prefix="dealer__region__")
    )
    return ~Exists(region_outside) & ~Exists(dealer_outside)


def _to_approve(user) -> Q | None:
    """The condition on a campaign of "`user` may approve this draft" (the rule of
    permissions.can_approve, in SQL): every draft for HQ admin; for a manager the drafts
    with participants lying wholly within their regions. None: nothing."""
    if not user.is_authenticated:
        return None
    if user.is_hq_admin:
        return Q(status=CampaignStatus.DRAFT)
    if user.effective_role != Role.MANAGER:
        return None
    managed = list(regions_managed_by(user))
    if not managed:
        return None
    has_participants = Exists(CampaignRegion.objects.filter(campaign=OuterRef("pk"))) | Exists(
        CampaignDealer.objects.filter(campaign=OuterRef("pk"))
    )
    return Q(status=CampaignStatus.DRAFT) & Q(has_participants) & _wholly_within(managed)


def _to_review(user) -> Q | None:
    """The condition on a campaign of "its review is `user`'s to write": ended, and
    `user` HQ admin, its owner, or (a manager) over every region and dealer it has."""
    if not user.is_authenticated or user.effective_role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return None
    if user.is_hq_admin:
        return Q(status=CampaignStatus.ENDED)
    if user.effective_role == Role.REP:
        return Q(status=CampaignStatus.ENDED, owner=user)
    return Q(status=CampaignStatus.ENDED) & (Q(owner=user) | _wholly_within(list(regions_managed_by(user))))


def _campaigns_where(user, campaigns: CampaignQuerySet | None, *conditions: Q | None) -> CampaignQuerySet:
    """The user's campaigns (`campaigns`, their campaign_queryset_for, when the caller
    already built it) meeting any of `conditions` (None meaning none)."""
    campaigns = campaign_queryset_for(user) if campaigns is None else campaigns
    given = [condition for condition in conditions if condition is not None]
    if not given:
        return campaigns.none()
    combined = given[0]
    for condition in given[1:]:
        combined |= condition
    return campaigns.filter(combined)


def campaigns_to_approve(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Drafts `user` may approve: all drafts for HQ admin; for a manager the drafts
    lying wholly within their regions (the rule of permissions.can_approve, in SQL).
    `campaigns`: the user's campaign_queryset_for, when the caller already built it."""
    return _campaigns_where(user, campaigns, _to_approve(user))


def campaigns_to_review(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Ended campaigns whose review is not written yet, that `user` manages (owner,
    approver, HQ admin): "no promotion without a review" (seed 002). `campaigns`: as
    for campaigns_to_approve."""
    return _campaigns_where(user, campaigns, _to_review(user))


def campaigns_waiting_for(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Campaigns waiting for `user`: to approve or to review (drafts and ended campaigns
    never overlap), in one queryset: the menu's figure, one scope and one count."""
    return _campaigns_where(user, campaigns, _to_approve(user), _to_review(user))


def leads_to_follow_up(*, user) -> AttendeeQuerySet:
    """The leads assigned to `user` (a rep) with no follow-up logged by them yet."""
    if not user.is_authenticated or user.effective_role != Role.REP:
        return Attendee.objects.none()
    return lead_queryset_for(user).followed_up(False)
