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
def campaigns_to_approve(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Drafts `user` may approve: all drafts for HQ admin; for a manager the drafts
    lying wholly within their regions (the rule of permissions.can_approve, in SQL).
    `campaigns`: the user's campaign_queryset_for, when the caller already built it."""
    drafts = (campaign_queryset_for(user) if campaigns is None else campaigns).filter(status=CampaignStatus.DRAFT)
    if not user.is_authenticated:
        return drafts.none()
    if user.is_hq_admin:
        return drafts
    if user.effective_role != Role.MANAGER:
        return drafts.none()
    managed = list(regions_managed_by(user))
    if not managed:
        return drafts.none()
    region_outside = CampaignRegion.objects.filter(campaign=OuterRef("pk")).exclude(subtree_q(managed, prefix="region__"))
    dealer_outside = CampaignDealer.objects.filter(campaign=OuterRef("pk")).exclude(
        subtree_q(managed, prefix="dealer__region__")
    )
    has_participants = Exists(CampaignRegion.objects.filter(campaign=OuterRef("pk"))) | Exists(
        CampaignDealer.objects.filter(campaign=OuterRef("pk"))
    )
    return drafts.filter(has_participants).exclude(Exists(region_outside)).exclude(Exists(dealer_outside))


def campaigns_to_review(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Ended campaigns whose review is not written yet, that `user` manages (owner,
    approver, HQ admin): "no promotion without a review" (seed 002). `campaigns`: as
    for campaigns_to_approve."""
    ended = (campaign_queryset_for(user) if campaigns is None else campaigns).filter(status=CampaignStatus.ENDED)
    if not user.is_authenticated or user.effective_role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return ended.none()
    if user.is_hq_admin:
        return ended
    if user.effective_role == Role.REP:
        return ended.filter(owner=user)
    managed = list(regions_managed_by(user))
    region_outside = CampaignRegion.objects.filter(campaign=OuterRef("pk")).exclude(subtree_q(managed, prefix="region__"))
    dealer_outside = CampaignDealer.objects.filter(campaign=OuterRef("pk")).exclude(
        subtree_q(managed, prefix="dealer__region__")
    )
    return ended.filter(Q(owner=user) | (~Exists(region_outside) & ~Exists(dealer_outside)))


def campaigns_waiting_for(*, user) -> CampaignQuerySet:
    """Campaigns waiting for `user`: to approve or to review."""
    return campaign_queryset_for(user).filter(
        Q(pk__in=campaigns_to_approve(user=user).values("pk")) | Q(pk__in=campaigns_to_review(user=user).values("pk"))
    )


def leads_to_follow_up(*, user) -> AttendeeQuerySet:
    """The leads assigned to `user` (a rep) with no follow-up logged by them yet."""
    if not user.is_authenticated or user.effective_role != Role.REP:
        return Attendee.objects.none()
    return lead_queryset_for(user).followed_up(False)
