"""The campaigns waiting for a user (the menu's figure) are exactly those to approve and
those to review, and each list follows the rules as the Python permissions state them."""

import pytest

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from promotions import permissions
from promotions.models import Campaign, CampaignStatus
from promotions.selectors import (
    campaign_queryset_for,
    campaigns_to_approve,
    campaigns_to_review,
    campaigns_waiting_for,
)
from promotions.tests.factories import CampaignFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns():
    """A manager of North (and its city), a rep, an admin, a manager without regions, and
    campaigns of every status lying inside, across or outside North, owned or not."""
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    city = RegionFactory(name="North City", parent=north)
    manager, rep, admin = ManagerFactory(regions=[north]), RepFactory(), AdminFactory()
    landless = ManagerFactory(regions=[])
    inside, outside = DealerFactory(region=city), DealerFactory(region=south)
    other = ManagerFactory(regions=[south])
    places = {
        "city": {"regions": [city]}, "north dealer": {"dealers": [inside]}, "across": {"regions": [north, south]},
        "north and a south dealer": {"regions": [north], "dealers": [outside]}, "south": {"regions": [south]},
        "nowhere": {},
    }
    for status in (CampaignStatus.DRAFT, CampaignStatus.APPROVED, CampaignStatus.ENDED, CampaignStatus.REVIEWED):
        for owner in (manager, rep, other):
            for place in places.values():
                CampaignFactory(status=status, owner=owner, created_by=owner, **place)
    return {"manager": manager, "rep": rep, "admin": admin, "landless": landless, "other": other}


def _expected(user):
    seen = campaign_queryset_for(user).prefetch_related("regions__parent", "dealers__region")
    approve = {c.pk for c in seen if c.status == CampaignStatus.DRAFT and permissions.can_approve(user, c)}
    review = {
        c.pk for c in seen if c.status == CampaignStatus.ENDED and (
            user.is_hq_admin or c.owner_id == user.pk
            or (user.effective_role == "manager" and _wholly_within(user, c))
        )
    }
    return approve, review


def _wholly_within(user, campaign: Campaign) -> bool:
    """Every region and named dealer in the manager's regions (true of a campaign with none)."""
    return (not campaign.regions.all() and not campaign.dealers.all()) or permissions.within_managed_regions(user, campaign)


@pytest.mark.parametrize("who", ["manager", "rep", "admin", "landless", "other"])
def test_waiting_is_to_approve_and_to_review_and_each_follows_the_rules(campaigns, who):
    user = campaigns[who]
    approve, review = _expected(user)
    got_approve = set(campaigns_to_approve(user=user).values_list("pk", flat=True))
    got_review = set(campaigns_to_review(user=user).values_list("pk", flat=True))
    waiting = list(campaigns_waiting_for(user=user).values_list("pk", flat=True))
    assert (got_approve, got_review) == (approve, review)
    assert sorted(waiting) == sorted(approve | review) and not approve & review
    if who in ("manager", "admin"):
        assert approve and review  # the world has some of each for them
