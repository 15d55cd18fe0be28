"""Scope is given, never taken (SPEC; issue #12's reproductions, written first as
regression tests): a rep recording a prospect or a dealer somewhere sees nothing
more there; aggregates count only the caller's dealers; the policy table is complete."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.policy import ROLE_SCOPE, VISIBILITY, Area, ScopeKind, Visibility, scope_kind
from accounts.tests.factories import DealerUserFactory, ManagerFactory, RepFactory
from dealers.models import Dealer, RepAssignment
from dealers.scope import region_in_territory, territory_regions
from dealers.services import REGION_OUT_OF_SCOPE
from dealers.tests.factories import DealerApplicationFactory, DealerFactory, ProspectFactory
from inventory.tests.factories import OrderFactory, ProductFactory, ShipmentFactory, ShipmentLineFactory
from promotions.models import CampaignStatus
from promotions.tests.factories import AttendeeFactory, CampaignFactory
from regions.tests.factories import RegionFactory
from scorecards.tests.factories import MarketSizeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def china():
    """rep_wang works in Jiangsu; rep_zhang in Zhejiang, with a campaign and its attendees."""
    root = RegionFactory(name="China")
    jiangsu, zhejiang = RegionFactory(name="Jiangsu", parent=root), RegionFactory(name="Zhejiang", parent=root)
    nanjing, hangzhou = RegionFactory(name="Nanjing", parent=jiangsu), RegionFactory(name="Hangzhou", parent=zhejiang)
    rep_wang, rep_zhang = RepFactory(username="rep_wang"), RepFactory(username="rep_zhang")
    wang_dealer = DealerFactory(region=nanjing, rep=rep_wang)
    zhang_dealer = DealerFactory(region=hangzhou, rep=rep_zhang)
    campaign = CampaignFactory(status=CampaignStatus.RUNNING, regions=[zhejiang])
    AttendeeFactory.create_batch(3, campaign=campaign)
    return {
        "root": root, "jiangsu": jiangsu, "zhejiang": zhejiang, "nanjing": nanjing, "hangzhou": hangzhou,
        "rep_wang": rep_wang, "rep_zhang": rep_zhang, "wang_dealer": wang_dealer, "zhang_dealer": zhang_dealer,
        "campaign": campaign, "application": DealerApplicationFactory(region=zhejiang),
    }


def test_rep_prospect_in_a_foreign_region_is_refused_and_widens_nothing(china, api_as):
    client = api_as(china["rep_wang"])
    campaign = china["campaign"]
    for region in ("zhejiang", "root"):
        response = client.post("/api/v1/prospects/", {"name": "x", "region": china[region].pk, "source": "referral"},
                               format="json")
        assert response.status_code == 400 and response.json()["region"] == [str(REGION_OUT_OF_SCOPE)]
    assert not Dealer.objects.filter(name="x").exists()
    assert client.get(f"/api/v1/promotions/{campaign.pk}/").status_code == 404
    assert client.get(f"/api/v1/promotions/{campaign.pk}/attendees/").status_code == 404
    assert client.get("/api/v1/dealer-applications/").json()["count"] == 0


def test_rep_dealer_in_a_foreign_region_is_refused(china, api_as):
    response = api_as(china["rep_wang"]).post("/api/v1/dealers/", {"name": "y", "region": china["zhejiang"].pk},
                                              format="json")
    assert response.status_code == 400 and response.json()["region"] == [str(REGION_OUT_OF_SCOPE)]


def test_rep_prospect_inside_their_territory_is_recorded_and_theirs(china, api_as):
    response = api_as(china["rep_wang"]).post(
        "/api/v1/prospects/", {"name": "Nanjing lead", "region": china["nanjing"].pk, "source": "referral"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Dealer.objects.get(name="Nanjing lead").rep == china["rep_wang"]


def test_rep_prospect_page_offers_only_regions_of_their_territory(china, client):
    client.force_login(china["rep_wang"])
    response = client.get("/dealers/prospects/new/")
    offered = {region.pk for region in response.context["form"].fields["region"].queryset}
    assert offered == {china["nanjing"].pk}
    refused = client.post("/dealers/prospects/new/", {"name": "z", "region": china["zhejiang"].pk, "source": "referral"})
    assert refused.status_code == 200 and not Dealer.objects.filter(name="z").exists()


def test_a_prospect_of_their_own_elsewhere_widens_nothing(china, api_as, client):
    """Even a prospect the rep recorded in Zhejiang (say, before this rule) gives them
    nothing of Zhejiang: not its campaigns, attendees, applications or market sizes."""
    rep = china["rep_wang"]
    prospect = ProspectFactory(region=china["zhejiang"], rep=rep)
    RepAssignment.objects.create(dealer=prospect, to_rep=rep, assigned_by=rep, reason="Created")
    MarketSizeFactory(region=china["zhejiang"])
    api = api_as(rep)
    assert api.get(f"/api/v1/prospects/{prospect.pk}/").status_code == 200  # theirs to work
    assert api.get(f"/api/v1/promotions/{china['campaign'].pk}/").status_code == 404
    assert api.get(f"/api/v1/promotions/{china['campaign'].pk}/attendees/").status_code == 404
    assert api.get("/api/v1/promotions/").json()["count"] == 0
    assert api.get("/api/v1/dealer-applications/").json()["count"] == 0
    assert api.get("/api/v1/scorecards/market-sizes/").json()["count"] == 0
    assert [region.pk for region in territory_regions(rep)] == [china["nanjing"].pk]
    assert not region_in_territory(user=rep, region=china["hangzhou"])


def test_a_prospect_given_by_a_manager_is_part_of_the_territory(china):
    """A manager assigning a prospect gives the rep its region (an assignment, not a creation)."""
    rep, manager = china["rep_wang"], ManagerFactory(regions=[china["zhejiang"]])
    prospect = ProspectFactory(region=china["hangzhou"], rep=rep)
    RepAssignment.objects.create(dealer=prospect, to_rep=rep, assigned_by=manager, reason="Yours")
    assert region_in_territory(user=rep, region=china["hangzhou"])


def test_rep_sees_applications_near_their_territory_only(china, api_as):
    near = DealerApplicationFactory(region=china["jiangsu"])  # "somewhere in Jiangsu": above their city
    DealerApplicationFactory(region=china["hangzhou"])
    rows = api_as(china["rep_wang"]).get("/api/v1/dealer-applications/").json()["results"]
    assert [row["id"] for row in rows] == [near.pk]


@pytest.fixture
def shared_campaign(china):
    """A national campaign both reps' dealers take part in, with sell-in on each side."""
    product = ProductFactory()
    today = datetime.date.today()
    campaign = CampaignFactory(status=CampaignStatus.RUNNING, regions=[china["root"]], products=[product],
                               start_date=today - datetime.timedelta(days=3), end_date=today + datetime.timedelta(days=3))
    from django.utils import timezone

    for dealer, quantity in ((china["wang_dealer"], 3), (china["zhang_dealer"], 254)):
        order = OrderFactory(dealer=dealer, lines=[(product, quantity)])
        ShipmentLineFactory(shipment=ShipmentFactory(dealer=dealer, order=order, shipped_at=timezone.now()),
                            product=product, quantity=quantity)
    return campaign


def test_effect_api_counts_only_the_callers_dealers(china, shared_campaign, api_as):
    body = api_as(china["rep_wang"]).get(f"/api/v1/promotions/{shared_campaign.pk}/effect/").json()
    assert {row["dealer"] for row in body["rows"]} == {china["wang_dealer"].pk}
    assert Decimal(str(body["totals"]["quantity"]["during"])) == 3


def test_effect_page_counts_only_the_callers_dealers(china, shared_campaign, client):
    client.force_login(china["rep_wang"])
    response = client.get(f"/promotions/{shared_campaign.pk}/effect/")
    assert response.status_code == 200
    assert china["zhang_dealer"].name not in response.content.decode()
    assert response.context["totals"].quantity.during == 3


def test_dealer_user_order_for_another_dealer_is_404_and_saves_nothing(china, api_as):
    user = DealerUserFactory(dealer=china["wang_dealer"])
    product = ProductFactory()
    response = api_as(user).post("/api/v1/orders/", {"dealer": china["zhang_dealer"].pk,
                                                     "lines": [{"product": product.pk, "quantity": 1}]}, format="json")
    assert response.status_code == 404
    assert not china["zhang_dealer"].orders.exists()


# --- the table itself ------------------------------------------------------------------------
def test_policy_every_role_has_a_scope_kind_and_a_visibility_in_every_area():
    assert set(ROLE_SCOPE) == set(Role.values)
    for area in Area:
        assert set(VISIBILITY[area]) == set(Role.values), area


def test_policy_dealer_users_never_see_internal_records_visits_or_attendees():
    for area in (Area.DEALER_INTERNAL, Area.VISITS, Area.ATTENDEES, Area.LEADS, Area.APPLICATIONS, Area.SCORECARDS):
        assert VISIBILITY[area][Role.DEALER] == Visibility.NONE


def test_policy_a_deactivated_user_has_no_scope():
    rep = RepFactory(is_active=False)
    assert scope_kind(rep) == ScopeKind.NOTHING
