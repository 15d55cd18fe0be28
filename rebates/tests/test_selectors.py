"""Figures other pages read: a dealer's overview, rebate totals per dealer, the dealer page section, the admin."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from dealers.selectors import dealer_queryset_for
from dealers.tests.factories import DealerFactory
from rebates.models import StatementStatus
from rebates.selectors import RebateTotals, dealer_rebate_overview, rebate_totals_by_dealer
from rebates.tests.factories import (
    CampaignPlanFactory,
    FlatPlanFactory,
    RebateAssignmentFactory,
    RebateStatementFactory,
    TieredPlanFactory,
)

pytestmark = pytest.mark.django_db
MAY_2026 = datetime.datetime(2026, 5, 20, 3, tzinfo=datetime.UTC)


def statement(dealer, plan, start, end, amount, status=StatementStatus.ACCRUED, **fields):
    return RebateStatementFactory(
        dealer=dealer, plan=plan, period_start=datetime.date.fromisoformat(start), period_end=datetime.date.fromisoformat(end),
        amount=Decimal(amount), status=status,
        settled_at=None if status == StatementStatus.ACCRUED else datetime.datetime(2026, 4, 5, tzinfo=datetime.UTC),
        **fields,
    )


@time_machine.travel(MAY_2026, tick=False)
def test_dealer_rebate_overview_splits_running_pending_settled_and_shows_the_current_tier(django_assert_max_num_queries):
    dealer = DealerFactory()
    tiered, flat = TieredPlanFactory(name="Volume"), FlatPlanFactory(name="Yearly", period_kind="year")
    RebateAssignmentFactory(plan=tiered, dealer=dealer)
    RebateAssignmentFactory(plan=flat, dealer=dealer)
    RebateAssignmentFactory(plan=CampaignPlanFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 31)), dealer=dealer)
    statement(dealer, tiered, "2025-10-01", "2025-12-31", "900.00", StatementStatus.SETTLED)
    statement(dealer, tiered, "2026-01-01", "2026-03-31", "1200.00")  # ended: pending
    statement(dealer, tiered, "2026-04-01", "2026-06-30", "1500.00", basis=Decimal("150000.00"), rate=Decimal("1"))
    statement(dealer, flat, "2026-01-01", "2026-12-31", "10.00", basis=Decimal("400.00"))
    with django_assert_max_num_queries(4):
        overview = dealer_rebate_overview(dealer=dealer)
    assert (overview.running, overview.pending, overview.settled) == (Decimal("1510.00"), Decimal("1200.00"), Decimal("900.00"))
    volume, yearly = overview.progress  # the January campaign is over: not "now"
    assert (volume.plan, volume.period.start, volume.outcome.rate) == (tiered, datetime.date(2026, 4, 1), Decimal("1"))
    assert volume.outcome.amount_to_next_tier == Decimal("50000.00") and volume.progress_percent == 75
    assert yearly.outcome.amount == Decimal("10.00") and yearly.progress_percent == 100


@time_machine.travel(MAY_2026, tick=False)
def test_dealer_rebate_overview_without_shipments_shows_the_distance_to_the_first_tier():
    dealer = DealerFactory()
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=dealer)
    (progress,) = dealer_rebate_overview(dealer=dealer).progress
    assert progress.statement is None and progress.outcome.amount_to_next_tier == Decimal("100000.00")


@time_machine.travel(MAY_2026, tick=False)
def test_rebate_totals_by_dealer_sums_statements_overlapping_the_range_in_one_query(django_assert_num_queries):
    plan = FlatPlanFactory()
    first, second, elsewhere = DealerFactory(), DealerFactory(), DealerFactory()
    statement(first, plan, "2026-01-01", "2026-03-31", "100.00", StatementStatus.SETTLED)
    statement(first, plan, "2026-04-01", "2026-06-30", "50.00")
    statement(first, plan, "2025-10-01", "2025-12-31", "999.00")  # before the range
    statement(second, plan, "2026-01-01", "2026-03-31", "70.00")
    statement(elsewhere, plan, "2026-01-01", "2026-03-31", "5.00")
    with django_assert_num_queries(1):
        totals = rebate_totals_by_dealer(
            dealers=[first.pk, second.pk], period_from=datetime.date(2026, 1, 1), period_to=datetime.date(2026, 5, 31),
        )
    assert totals == {
        first.pk: RebateTotals(running=Decimal("50.00"), pending=Decimal("0.00"), settled=Decimal("100.00")),
        second.pk: RebateTotals(running=Decimal("0.00"), pending=Decimal("70.00"), settled=Decimal("0.00")),
    }
    assert totals[first.pk].accrued == Decimal("150.00")


def test_rebate_totals_by_dealer_takes_a_scoped_dealer_queryset(world):
    plan = FlatPlanFactory()
    statement(world.dealer, plan, "2026-01-01", "2026-03-31", "10.00")
    statement(world.other, plan, "2026-01-01", "2026-03-31", "20.00")
    totals = rebate_totals_by_dealer(dealers=dealer_queryset_for(world.rep), period_from=datetime.date(2026, 1, 1),
                                     period_to=datetime.date(2026, 12, 31))
    assert list(totals) == [world.dealer.pk]


def test_dealer_page_section_is_for_staff_who_see_rebates(rf, world):
    from rebates.sections import dealer_detail

    request = rf.get("/")
    request.user = world.rep
    (section,) = dealer_detail(request=request, dealer=world.dealer)
    assert section.context["overview"].progress[0].plan == world.plan
    request.user = world.warehouse
    assert dealer_detail(request=request, dealer=world.dealer) == []


def test_admin_pages_of_rebates_load(admin_client, world):
    for url in ("/admin/rebates/rebateplan/", f"/admin/rebates/rebateplan/{world.plan.pk}/change/",
                "/admin/rebates/rebatestatement/", "/admin/rebates/rebateassignment/", "/admin/portal/question/"):
        assert admin_client.get(url).status_code == 200, url


def test_admin_of_rebates_writes_nothing(admin_client, world):
    """The admin shows rebate plans and assignments but has no write of its own: HQ
    changes them in the app, through rebates.services."""
    assert admin_client.get("/admin/rebates/rebateassignment/add/").status_code == 403
    response = admin_client.post(f"/admin/rebates/rebateplan/{world.plan.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.name != "Renamed"
