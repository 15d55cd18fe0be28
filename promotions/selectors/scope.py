"""The campaigns, attendees and leads a user may see, and who takes part in a campaign."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.policy import Area, ScopeKind, scope_kind
from common.scoping import register_scope
from dealers.models import Dealer
from dealers.scope import dealer_scope_q, scoped, territory_dealers, territory_q
from dealers.selectors import dealer_queryset_for
from promotions.models import (
    LIVE_STATUSES,
    Attendee,
    AttendeeQuerySet,
    Campaign,
    CampaignProduct,
    CampaignQuerySet,
    PreparationTask,
)
from regions.models import Region, subtree_q

CampaignDealer = Campaign.dealers.through
CampaignRegion = Campaign.regions.through


def _taking_part(dealers: QuerySet[Dealer]) -> Q:
    """Campaigns any of `dealers` takes part in: named, or through a region above theirs."""
    regions_above = Region.objects.filter(Exists(dealers.filter(region__path__startswith=OuterRef("path"))))
    return Q(pk__in=CampaignDealer.objects.filter(dealer__in=dealers).values("campaign_id")) | Q(
        pk__in=CampaignRegion.objects.filter(region__in=regions_above).values("campaign_id")
    )


def _campaign_in_scope(user) -> Q:
    """A campaign is in a manager's scope when it touches their territory (a campaign
    region in, above or below it) or names one of their dealers; in anyone else's
    when one of the dealers of their territory takes part (for a rep: the dealers
    given to them — a prospect of their own adds nothing; accounts.policy)."""
    if scope_kind(user) == ScopeKind.REGIONS:
        touching = CampaignRegion.objects.filter(territory_q(user, "region", with_ancestors=True))
        named = CampaignDealer.objects.filter(dealer_scope_q(user, "dealer"))
        return Q(pk__in=touching.values("campaign_id")) | Q(pk__in=named.values("campaign_id"))
    return _taking_part(territory_dealers(user))


def campaign_queryset_for(user) -> CampaignQuerySet:
    """The campaigns `user` may see (accounts.policy, Area.CAMPAIGNS): the scope every
    promotions page, endpoint and export starts from; anything else answers 404.

    HQ admin, finance and warehouse: all. A manager: campaigns touching their
    regions or naming their dealers. A rep: the campaigns their dealers take part
    in. Both also see the campaigns they own or created. A dealer user: the
    approved-or-later campaigns its company takes part in.
    """
    return scoped(
        user, Area.CAMPAIGNS, Campaign.objects.all(), in_scope=_campaign_in_scope,
        assigned=lambda user: Q(owner_id=user.pk) | Q(created_by_id=user.pk),
        published=lambda _user: Q(status__in=LIVE_STATUSES),
    )


def campaign_list(*, user) -> CampaignQuerySet:
    """The user's campaigns with what a list row shows, in a fixed number of queries."""
    return (
        campaign_queryset_for(user)
        .select_related("owner")
        .with_task_progress()
        .with_attendee_count()
    )


def campaign_detail(*, user, pk: int) -> Campaign:
    """One campaign in the user's scope with its people, places and products (Campaign.DoesNotExist outside)."""
    return (
        campaign_queryset_for(user)
        .select_related("owner", "created_by", "approved_by")
        .prefetch_related(
            "regions",
            Prefetch("dealers", queryset=Dealer.objects.select_related("region").order_by("name")),
            Prefetch("product_lines", queryset=CampaignProduct.objects.select_related("product").order_by("product__sku")),
            Prefetch("tasks", queryset=PreparationTask.objects.select_related("owner", "done_by")),
            "transitions__by",
        )
        .get(pk=pk)
    )


def campaigns_of_dealer(*, user, dealer: Dealer) -> CampaignQuerySet:
    """The campaigns `dealer` takes part in that `user` may see (the dealer page and the portal)."""
    return campaign_queryset_for(user).filter(_taking_part(Dealer.objects.filter(pk=dealer.pk)))


def attendee_queryset_for(user) -> AttendeeQuerySet:
    """Attendees and leads of the campaigns `user` may see, for staff who work them
    (HQ admin, managers, reps); finance, warehouse and dealer users see none."""
    return scoped(user, Area.ATTENDEES, Attendee.objects.all(),
                  in_scope=lambda user: Q(campaign__in=campaign_queryset_for(user)))


def lead_queryset_for(user) -> AttendeeQuerySet:
    """The leads `user` works: a rep the leads assigned to them; a manager and HQ
    admin every lead of the campaigns they may see."""
    return scoped(user, Area.LEADS, Attendee.objects.leads(),
                  in_scope=lambda user: Q(campaign__in=campaign_queryset_for(user)),
                  assigned=lambda user: Q(assigned_to_id=user.pk))


def lead_list(*, user) -> AttendeeQuerySet:
    return (
        lead_queryset_for(user)
        .select_related("campaign", "assigned_to", "thank_you")
        .with_follow_up_state()
        .annotate(follow_up_count=Count("follow_ups"))
    )


def campaign_participant_queryset(*, campaign: Campaign, user) -> QuerySet[Dealer]:
    """The dealers taking part in `campaign` (named or through its regions) that `user` may see.

    One query, or two when the campaign's regions are not prefetched.
    """
    return dealer_queryset_for(user).filter(
        Q(pk__in=CampaignDealer.objects.filter(campaign=campaign).values("dealer_id"))
        | subtree_q(list(campaign.regions.all()), prefix="region__")
    )


def campaign_regions_touched(*, campaign: Campaign) -> list[Region]:
    """The campaign's regions and the regions of its named dealers (who oversees it)."""
    regions = {region.pk: region for region in campaign.regions.all()}
    for dealer in campaign.dealers.all():
        regions.setdefault(dealer.region_id, dealer.region)
    return list(regions.values())
# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(Campaign, campaign_queryset_for)
register_scope(Attendee, attendee_queryset_for)
