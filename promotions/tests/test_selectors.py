"""Set-based reads: the sell-in effect on known data, promotion windows for the
suggested order, and who sees which campaign."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
)
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import OrderFactory, ProductFactory, ShipmentFactory, ShipmentLineFactory
from promotions import selectors
from promotions.models import CampaignStatus, ObjectiveKind
from promotions.selectors import (
    campaign_effect,
    campaign_effect_summary,
    campaign_effect_totals,
    campaign_participant_queryset,
    campaign_queryset_for,
    campaign_windows_for_dealers,
    campaigns_of_dealer,
    lead_queryset_for,
    objective_result,
)
from promotions.tests.factories import AttendeeFactory, CampaignFactory, PreparationTaskFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: D, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def ship(dealer, product, quantity, when):
    """A shipment of `quantity` cases of `product` to `dealer` at `when`, from an order priced at the tier (55.00)."""
    order = OrderFactory(dealer=dealer, lines=[(product, quantity)])
    shipment = ShipmentFactory(dealer=dealer, order=order, shipped_at=when)
    ShipmentLineFactory(shipment=shipment, product=product, quantity=quantity)
    return shipment


@pytest.fixture
def effect_world():
    """Campaign 10–16 Nov (7 days), so the period before is 3–9 Nov."""
    east = RegionFactory(name="East")
    east_city = RegionFactory(name="East City", parent=east)
    named = DealerFactory(name="Named Dealer")
    in_region = DealerFactory(name="Region Dealer", region=east_city)
    outsider = DealerFactory(name="Outsider")
    promoted, other = ProductFactory(sku="P-PROMO"), ProductFactory(sku="P-OTHER")
    campaign = CampaignFactory(
        status=CampaignStatus.ENDED, start_date=D(2026, 11, 10), end_date=D(2026, 11, 16),
        dealers=[named], regions=[east], products=[promoted],
    )
    ship(named, promoted, 10, at(D(2026, 11, 5)))          # before
    ship(named, promoted, 30, at(D(2026, 11, 12)))         # during
    ship(named, promoted, 5, at(D(2026, 11, 2), 23, 59))   # before the period before: left out
    ship(named, promoted, 7, at(D(2026, 11, 17), 0, 0))    # after the campaign: left out
    ship(named, other, 50, at(D(2026, 11, 12)))            # not a campaign product: left out
    ship(in_region, promoted, 20, at(D(2026, 11, 16), 23, 59))  # the campaign's last minute
    ship(in_region, promoted, 8, at(D(2026, 11, 3), 0, 0))      # the first minute of the period before
    ship(outsider, promoted, 100, at(D(2026, 11, 12)))     # not taking part
    return {"campaign": campaign, "named": named, "in_region": in_region, "outsider": outsider, "promoted": promoted}


def test_campaign_effect_on_known_data_compares_with_the_same_length_period_before(effect_world):
    effect = campaign_effect(campaign=effect_world["campaign"], user=None)
    assert effect.before == (D(2026, 11, 3), D(2026, 11, 9))
    rows = {(row.dealer.name, row.product.sku): row for row in effect.rows}
    assert set(rows) == {("Named Dealer", "P-PROMO"), ("Region Dealer", "P-PROMO")}
    named = rows["Named Dealer", "P-PROMO"]
    assert (named.quantity.before, named.quantity.during) == (10, 30)
    assert (named.amount.before, named.amount.during) == (Decimal("550.00"), Decimal("1650.00"))
    in_region = rows["Region Dealer", "P-PROMO"]
    assert (in_region.quantity.before, in_region.quantity.during) == (8, 20)
    totals = effect.totals
    assert (totals.quantity.before, totals.quantity.during, totals.quantity.change) == (18, 50, 32)
    assert totals.quantity.ratio == Decimal("1.7778")
    assert totals.amount.during == Decimal("2750.00")


def test_campaign_effect_is_one_aggregate_query(effect_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        campaign_effect(campaign=effect_world["campaign"], user=None, with_names=False)


def test_campaign_effect_without_products_counts_every_product(effect_world):
    campaign = effect_world["campaign"]
    campaign.product_lines.all().delete()
    totals = campaign_effect(campaign=campaign, user=None).totals
    assert totals.quantity.during == 30 + 50 + 20


def test_campaign_effect_totals_for_many_campaigns_in_one_query(effect_world, django_assert_num_queries):
    quiet = CampaignFactory(dealers=[effect_world["outsider"]], start_date=D(2025, 1, 1), end_date=D(2025, 1, 2))
    with django_assert_num_queries(1):
        totals = campaign_effect_totals(campaigns=[effect_world["campaign"], quiet], user=None)
    assert totals[effect_world["campaign"].pk].quantity.during == 50
    assert totals[quiet.pk].quantity.during == 0 and totals[quiet.pk].quantity.ratio is None


def test_objective_actual_of_a_volume_objective_is_filled_from_shipments(effect_world):
    result = objective_result(campaign=effect_world["campaign"], user=None)
    assert result.measured and result.actual == 50 and result.achievement == Decimal("0.5000")


def test_objective_actual_of_an_amount_objective_is_the_sell_in_amount(effect_world):
    campaign = effect_world["campaign"]
    campaign.objective_kind, campaign.objective_target = ObjectiveKind.SELL_IN_AMOUNT, Decimal("5500")
    assert objective_result(campaign=campaign, user=None).actual == Decimal("2750.00")


def test_objective_actual_of_leads_counts_interested_attendees():
    campaign = CampaignFactory(status=CampaignStatus.RUNNING, objective_kind=ObjectiveKind.LEADS, objective_target=4,
                               dealers=[DealerFactory()])
    AttendeeFactory.create_batch(2, campaign=campaign, interest="hot")
    AttendeeFactory(campaign=campaign, interest="none")
    result = objective_result(campaign=campaign, user=None)
    assert result.actual == 2 and result.achievement == Decimal("0.5000")


def test_objective_of_new_dealers_has_no_actual_before_the_review():
    campaign = CampaignFactory(objective_kind=ObjectiveKind.NEW_DEALERS, objective_target=3, dealers=[DealerFactory()])
    result = objective_result(campaign=campaign, user=None)
    assert not result.measured and result.actual is None and result.achievement is None


def test_campaign_effect_summary_lists_live_campaigns_in_scope_with_bounded_queries(
    effect_world, django_assert_max_num_queries
):
    manager = ManagerFactory(regions=[effect_world["in_region"].region.parent])
    CampaignFactory(status=CampaignStatus.DRAFT, regions=[effect_world["in_region"].region],
                    start_date=D(2026, 11, 10), end_date=D(2026, 11, 11))
    with django_assert_max_num_queries(5):
        summary = campaign_effect_summary(user=manager, start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert [line.campaign for line in summary] == [effect_world["campaign"]]
    # Only the manager's own dealer counts (SPEC "Scope is given, never taken"): the
    # named dealer elsewhere is outside their regions.
    assert summary[0].effect.quantity.during == 20 and summary[0].objective.actual == 20
    everything = campaign_effect_summary(user=AdminFactory(), start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert everything[0].effect.quantity.during == 50 and everything[0].objective.actual == 50


def test_campaign_effect_counts_only_the_dealers_in_the_callers_scope(effect_world):
    rep = effect_world["named"].rep
    effect = campaign_effect(campaign=effect_world["campaign"], user=rep)
    assert {row.dealer_id for row in effect.rows} == {effect_world["named"].pk}
    assert effect.totals.quantity.during == 30 and effect.totals.amount.during == Decimal("1650.00")
    outsider = effect_world["outsider"].rep
    assert campaign_effect(campaign=effect_world["campaign"], user=outsider).rows == []


def test_participants_are_named_dealers_and_the_dealers_of_the_regions_subtree(effect_world):
    dealers = set(campaign_participant_queryset(campaign=effect_world["campaign"], user=AdminFactory()))
    assert dealers == {effect_world["named"], effect_world["in_region"]}


# --- campaign_windows_for_dealers -------------------------------------------------------------
@pytest.fixture
def windows_world():
    china = RegionFactory(name="China")
    province = RegionFactory(name="Province", parent=china)
    city = RegionFactory(name="City", parent=province)
    named, in_city, elsewhere = DealerFactory(), DealerFactory(region=city), DealerFactory()
    CampaignFactory(status=CampaignStatus.APPROVED, dealers=[named], start_date=D(2026, 3, 1), end_date=D(2026, 3, 7))
    CampaignFactory(status=CampaignStatus.REVIEWED, regions=[province], start_date=D(2026, 2, 1), end_date=D(2026, 2, 3))
    CampaignFactory(status=CampaignStatus.RUNNING, regions=[china], dealers=[named],
                    start_date=D(2026, 2, 20), end_date=D(2026, 3, 2))
    CampaignFactory(status=CampaignStatus.DRAFT, dealers=[named, in_city], start_date=D(2026, 3, 1), end_date=D(2026, 3, 2))
    CampaignFactory(status=CampaignStatus.ENDED, dealers=[named], start_date=D(2025, 1, 1), end_date=D(2025, 1, 5))
    return {"named": named, "in_city": in_city, "elsewhere": elsewhere}


def test_campaign_windows_for_dealers_named_and_through_regions_overlapping_the_range(windows_world):
    named, in_city = windows_world["named"], windows_world["in_city"]
    windows = campaign_windows_for_dealers(
        dealer_ids=[named.pk, in_city.pk, windows_world["elsewhere"].pk], start=D(2026, 2, 3), end=D(2026, 3, 31)
    )
    assert windows == {
        named.pk: [(D(2026, 2, 20), D(2026, 3, 2)), (D(2026, 3, 1), D(2026, 3, 7))],
        in_city.pk: [(D(2026, 2, 1), D(2026, 2, 3)), (D(2026, 2, 20), D(2026, 3, 2))],
    }


def test_campaign_windows_for_dealers_leave_out_drafts_and_other_dates(windows_world):
    windows = campaign_windows_for_dealers(dealer_ids=[windows_world["named"].pk], start=D(2026, 3, 3), end=D(2026, 3, 3))
    assert windows == {windows_world["named"].pk: [(D(2026, 3, 1), D(2026, 3, 7))]}
    assert campaign_windows_for_dealers(dealer_ids=[windows_world["elsewhere"].pk], start=D(2026, 1, 1), end=D(2026, 12, 31)) == {}
    assert campaign_windows_for_dealers(dealer_ids=[], start=D(2026, 1, 1), end=D(2026, 12, 31)) == {}


def test_campaign_windows_for_dealers_is_one_query(windows_world, django_assert_num_queries):
    ids = [DealerFactory().pk for _ in range(20)] + [windows_world["named"].pk]
    with django_assert_num_queries(1):
        campaign_windows_for_dealers(dealer_ids=ids, start=D(2026, 1, 1), end=D(2026, 12, 31))


# --- Scope ------------------------------------------------------------------------------------
@pytest.fixture
def scope_world():
    china = RegionFactory(name="China")
    east = RegionFactory(name="East", parent=china)
    east_city = RegionFactory(name="East City", parent=east)
    west = RegionFactory(name="West", parent=china)
    rep_east, rep_west = RepFactory(), RepFactory()
    east_dealer = DealerFactory(region=east_city, rep=rep_east)
    west_dealer = DealerFactory(region=west, rep=rep_west)
    author = ManagerFactory(regions=[china])
    return {
        "china": china, "east": east, "west": west, "rep_east": rep_east, "rep_west": rep_west,
        "east_dealer": east_dealer, "west_dealer": west_dealer,
        "national": CampaignFactory(name="National", status=CampaignStatus.RUNNING, regions=[china], owner=author),
        "east_city": CampaignFactory(name="East city", status=CampaignStatus.APPROVED, regions=[east_city], owner=author),
        "west_named": CampaignFactory(name="West named", status=CampaignStatus.RUNNING, dealers=[west_dealer], owner=author),
        "east_draft": CampaignFactory(name="East draft", status=CampaignStatus.DRAFT, dealers=[east_dealer], owner=author),
    }


def names(queryset):
    return sorted(campaign.name for campaign in queryset)


def test_scope_admin_and_finance_see_every_campaign(scope_world):
    assert campaign_queryset_for(AdminFactory()).count() == 4
    assert campaign_queryset_for(FinanceFactory()).count() == 4


def test_scope_manager_sees_campaigns_touching_their_regions(scope_world):
    manager = ManagerFactory(regions=[scope_world["east"]])
    assert names(campaign_queryset_for(manager)) == ["East city", "East draft", "National"]


def test_scope_rep_sees_the_campaigns_of_their_dealers_and_their_own(scope_world):
    rep = scope_world["rep_east"]
    assert names(campaign_queryset_for(rep)) == ["East city", "East draft", "National"]
    assert names(campaign_queryset_for(scope_world["rep_west"])) == ["National", "West named"]
    CampaignFactory(name="Own draft", owner=rep, dealers=[scope_world["west_dealer"]])
    assert "Own draft" in names(campaign_queryset_for(rep))


def test_scope_dealer_user_sees_only_live_campaigns_it_takes_part_in(scope_world):
    user = DealerUserFactory(dealer=scope_world["east_dealer"])
    assert names(campaign_queryset_for(user)) == ["East city", "National"]
    assert names(campaign_queryset_for(DealerUserFactory(dealer=scope_world["west_dealer"]))) == ["National", "West named"]


def test_scope_campaigns_of_dealer_follow_the_viewer_scope(scope_world):
    rep = scope_world["rep_east"]
    assert names(campaigns_of_dealer(user=rep, dealer=scope_world["east_dealer"])) == ["East city", "East draft", "National"]
    assert names(campaigns_of_dealer(user=rep, dealer=scope_world["west_dealer"])) == ["National"]


def test_scope_rep_leads_are_those_assigned_to_them(scope_world):
    rep = scope_world["rep_east"]
    mine = AttendeeFactory(campaign=scope_world["national"], assigned_to=rep)
    AttendeeFactory(campaign=scope_world["national"], assigned_to=scope_world["rep_west"])
    AttendeeFactory(campaign=scope_world["national"])
    assert list(lead_queryset_for(rep)) == [mine]
    assert lead_queryset_for(AdminFactory()).count() == 3
    assert not lead_queryset_for(DealerUserFactory(dealer=scope_world["east_dealer"])).exists()


def test_checklist_counts_done_tasks_and_whole_percent(world):
    tasks = [PreparationTaskFactory(campaign=world.campaign) for _ in range(3)]
    tasks[0].done_at = timezone.now()
    tasks[0].save()
    progress = selectors.checklist(selectors.campaign_tasks(campaign=world.campaign))
    assert (len(progress["tasks"]), progress["tasks_done"], progress["tasks_percent"]) == (3, 1, 33)
    assert selectors.checklist([])["tasks_percent"] == 0
