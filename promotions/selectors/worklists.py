"""Who can be given leads, and the worklists of the home page and the menu's figures."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Campaigns whose every region and every named dealer lie in the `managed` regions' subtrees.
    NOT EXISTS, not NOT IN: PostgreSQL plans it as an anti-join, which stays fast however
    many campaign dealers there are (NOT IN falls back to a scan per row past work_mem)."""
    region_outside = CampaignRegion.objects.filter(campaign=OuterRef("pk")).exclude(subtree_q(managed, prefix="region__"))
    dealer_outside = CampaignDealer.objects.filter(campaign=OuterRef("pk")).exclude(
        subtree_q(managed, prefix="dealer__region__")
    )
    return ~Exists(region_outside) & ~Exists(dealer_outside)


@dataclass(frozen=True)
class _Waiting:
    """What makes a campaign wait for a user, in parts (None: never), so that "to approve",
    "to review" and their union are each written from the same conditions:

    - to approve = `approvable` and `within`;
    - to review = `own_review`, or `reviewable` and `within`;
    - waiting (either) = `own_review`, or `within` and (`approvable` or `reviewable`):
      the same campaigns, with the costly `within` (every region and dealer) said once.
    """

    approvable: Q | None = None  # a draft this user may approve, regions aside
    reviewable: Q | None = None  # an ended campaign, regions aside
    own_review: Q | None = None  # an ended campaign the user owns: its review is theirs
    within: Q | None = None  # wholly within the user's regions (None: no such condition)

    def _within(self, condition: Q | None) -> Q | None:
        if condition is None or self.within is None:
            return condition
        return condition & self.within

    def to_approve(self) -> Q | None:
        return self._within(self.approvable)

    def to_review(self) -> Q | None:
        return _either(self.own_review, self._within(self.reviewable))

    def either(self) -> Q | None:
        return _either(self.own_review, self._within(_either(self.approvable, self.reviewable)))


def _either(*conditions: Q | None) -> Q | None:
    given = [condition for condition in conditions if condition is not None]
    if not given:
        return None
    combined = given[0]
    for condition in given[1:]:
        combined |= condition
    return combined


def _waiting(user) -> _Waiting:
    """The rules of permissions.can_approve and of whose review it is, in SQL: HQ admin
    approves every draft and reviews every ended campaign; a manager approves the drafts
    with participants lying wholly within their regions, and reviews the ended campaigns
    they own or lying wholly within their regions; a rep reviews those they own."""
    if not user.is_authenticated:
        return _Waiting()
    if user.is_hq_admin:
        return _Waiting(approvable=Q(status=CampaignStatus.DRAFT), reviewable=Q(status=CampaignStatus.ENDED))
    ended_and_own = Q(status=CampaignStatus.ENDED, owner=user)
    if user.effective_role == Role.REP:
        return _Waiting(own_review=ended_and_own)
    if user.effective_role != Role.MANAGER:
        return _Waiting()
    managed = list(regions_managed_by(user))
    has_participants = Exists(CampaignRegion.objects.filter(campaign=OuterRef("pk"))) | Exists(
        CampaignDealer.objects.filter(campaign=OuterRef("pk"))
    )
    return _Waiting(
        approvable=(Q(status=CampaignStatus.DRAFT) & Q(has_participants)) if managed else None,
        reviewable=Q(status=CampaignStatus.ENDED), own_review=ended_and_own, within=_wholly_within(managed),
    )


def _campaigns_where(user, campaigns: CampaignQuerySet | None, condition: Q | None) -> CampaignQuerySet:
    """The user's campaigns (`campaigns`, their campaign_queryset_for, when the caller
    already built it) meeting `condition` (None: none)."""
    campaigns = campaign_queryset_for(user) if campaigns is None else campaigns
    return campaigns.none() if condition is None else campaigns.filter(condition)


def campaigns_to_approve(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Drafts `user` may approve: all drafts for HQ admin; for a manager the drafts
    lying wholly within their regions (the rule of permissions.can_approve, in SQL).
    `campaigns`: the user's campaign_queryset_for, when the caller already built it."""
    return _campaigns_where(user, campaigns, _waiting(user).to_approve())


def campaigns_to_review(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Ended campaigns whose review is not written yet, that `user` manages (owner,
    approver, HQ admin): "no promotion without a review" (seed 002). `campaigns`: as
    for campaigns_to_approve."""
    return _campaigns_where(user, campaigns, _waiting(user).to_review())


def campaigns_waiting_for(*, user, campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    """Campaigns waiting for `user`: to approve or to review (drafts and ended campaigns
    never overlap), in one queryset: the menu's figure, one scope and one count."""
    return _campaigns_where(user, campaigns, _waiting(user).either())


def leads_to_follow_up(*, user) -> AttendeeQuerySet:
    """The leads assigned to `user` (a rep) with no follow-up logged by them yet."""
    if not user.is_authenticated or user.effective_role != Role.REP:
        return Attendee.objects.none()
    return lead_queryset_for(user).followed_up(False)
