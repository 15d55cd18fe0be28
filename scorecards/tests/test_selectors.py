import datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory
from scorecards import selectors
from scorecards.calculations import Period, parse_period
from scorecards.selectors import ScorecardFilters, dealer_kpis, region_scorecard
from scorecards.tests.world import TODAY

pytestmark = pytest.mark.django_db
OCTOBER = Period(datetime.date(2026, 10, 1))


def test_region_scorecard_known_world_every_figure_as_worked_by_hand(world):
    rows = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters())
    assert [row.name for row in rows] == ["Alpha Trading", "Beta Trading"]
    row = rows[0]
    assert row.sales == Decimal("6600.00")  # 100 + 20 cases × 55.00; 1 November left out
    assert row.target == Decimal("31000.00")  # 365,000 × 31 / 365, the draft contract left out
    assert row.achievement == Decimal("21.3")  # 6,600 / 31,000
    assert row.sales_previous == Decimal("2750.00")
    assert row.growth_previous == Decimal("140.0")  # (6,600 − 2,750) / 2,750
    assert row.sales_last_year == Decimal("2200.00")
    assert row.growth_last_year == Decimal("200.0")  # (6,600 − 2,200) / 2,200
    assert row.market_size == Decimal("66000.00")
    assert row.penetration == Decimal("0.1000")  # 6,600 / 66,000
    assert (row.grade, row.previous_grade, row.trend) == ("A", "B", "up")
    assert row.previous_score == Decimal("3.40")
    assert (row.visits_planned, row.visits_completed, row.visit_compliance) == (5, 3, Decimal("60.0"))
    assert (row.stockouts, row.near_expiry) == (1, 1)
    assert (row.suggested_quantity, row.ordered_quantity, row.suggestions_followed) == (30, 15, Decimal("50.0"))
    assert (row.overdue_orders, row.overdue_amount) == (1, Decimal("600.00"))
    assert row.violations == 1
    assert row.open_requests == 1
    assert row.rep_name == "Li Wang"
    quiet = rows[1]
    assert (quiet.sales, quiet.target, quiet.achievement, quiet.growth_previous) == (Decimal("0.00"), Decimal("0.00"), None, None)
    assert quiet.penetration == Decimal("0.0000")
    assert (quiet.visits_planned, quiet.visit_compliance, quiet.trend) == (0, None, "")


def test_region_scorecard_quarter_adds_up_the_months(world):
    after = datetime.date(2027, 1, 10)  # the quarter is over
    rows = region_scorecard(user=world.manager, period=parse_period("2026-Q4", today=after), today=after)
    row = rows[0]
    assert row.sales == Decimal("7150.00")  # October 6,600 + 1 November 550
    assert row.target == Decimal("92000.00")  # 365,000 × 92 / 365
    assert row.sales_previous == Decimal("2750.00")  # Q3
    assert row.market_size == Decimal("66000.00")


def test_region_scorecard_quarter_still_running_is_counted_to_date_like_for_like(world):
    with time_machine.travel(TODAY, tick=False):  # 2026-11-15
        rows = region_scorecard(user=world.manager, period=parse_period("2026-Q4", today=TODAY.date()))
    row = rows[0]
    assert (row.period_start, row.period_end) == (datetime.date(2026, 10, 1), datetime.date(2026, 11, 15))
    assert (row.previous_start, row.previous_end) == (datetime.date(2026, 7, 1), datetime.date(2026, 8, 15))
    assert row.sales == Decimal("7150.00")
    assert row.target == Decimal("46000.00")  # 365,000 × 46 days / 365
    assert row.sales_previous == Decimal("0.00")  # 1 July – 15 August: September's 2,750 is not the same days
    assert row.market_size == Decimal("66000.00")  # October whole (no market size for November)


def test_region_scorecard_manager_sees_only_their_regions(world):
    names = {row.name for row in region_scorecard(user=world.manager, period=OCTOBER)}
    assert "Gamma Trading" not in names
    admin_names = {row.name for row in region_scorecard(user=AdminFactory(), period=OCTOBER)}
    assert {"Alpha Trading", "Beta Trading", "Gamma Trading"} <= admin_names


def test_region_scorecard_rep_sees_own_dealers_dealer_user_none(world):
    assert {row.name for row in region_scorecard(user=world.rep, period=OCTOBER)} == {"Alpha Trading", "Beta Trading"}
    assert region_scorecard(user=RepFactory(), period=OCTOBER) == []
    assert region_scorecard(user=DealerUserFactory(dealer=world.dealer), period=OCTOBER) == []


def test_region_scorecard_filters_and_ordering(world):
    by_sales = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(ordering="-sales"))
    assert [row.name for row in by_sales] == ["Alpha Trading", "Beta Trading"]
    ascending = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(ordering="sales"))
    assert [row.name for row in ascending] == ["Beta Trading", "Alpha Trading"]
    graded = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(grade="A"))
    assert [row.name for row in graded] == ["Alpha Trading"]
    ungraded = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(grade="-"))
    assert [row.name for row in ungraded] == ["Beta Trading"]
    elsewhere = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(region_id=world.other_region.pk))
    assert elsewhere == []
    by_rep = region_scorecard(user=world.manager, period=OCTOBER, filters=ScorecardFilters(rep_id=world.rep.pk))
    assert len(by_rep) == 2


def test_dealer_kpis_twelve_months_with_grades_in_force(world):
    kpis = dealer_kpis(user=world.manager, dealer=world.dealer, period=OCTOBER)
    assert [period.key for period in kpis.periods][0] == "2025-11"
    assert [period.key for period in kpis.periods][-1] == "2026-10"
    assert len(kpis.rows) == 12
    assert kpis.rows[-1].sales == Decimal("6600.00")
    assert kpis.rows[-2].sales == Decimal("2750.00")
    assert kpis.grades[kpis.periods.index(Period(datetime.date(2026, 5, 1)))] == "B"
    assert kpis.grades[-1] == "A"
    assert kpis.grades[0] == ""


@pytest.mark.parametrize("size", [5, 50])
def test_region_scorecard_queries_bounded_whatever_the_number_of_dealers(size, django_assert_max_num_queries):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    sub = RegionFactory(parent=region)
    rep = RepFactory()
    DealerFactory.create_batch(size, region=sub, rep=rep)
    manager = type(manager).objects.get(pk=manager.pk)
    with django_assert_max_num_queries(9):
        rows = region_scorecard(user=manager, period=OCTOBER, filters=ScorecardFilters(region_id=sub.pk, ordering="-sales"))
    assert len(rows) == size


def test_scorecard_dealer_queryset_for_leaves_out_pipeline(world):
    from dealers.tests.factories import ProspectFactory

    ProspectFactory(region=world.region)
    assert selectors.scorecard_dealer_queryset_for(world.manager).count() == 2


def test_region_scorecard_month_to_date_counts_its_share_of_the_market_size(world):
    with time_machine.travel(datetime.datetime(2026, 10, 15, 12, tzinfo=TODAY.tzinfo), tick=False):
        rows = region_scorecard(user=world.manager, period=parse_period("2026-10", today=datetime.date(2026, 10, 15)))
    alpha = next(row for row in rows if row.name == "Alpha Trading")
    assert alpha.period_end == datetime.date(2026, 10, 15)
    assert alpha.market_size == Decimal("31935.48")  # 66,000 × 15/31
    assert alpha.sales == Decimal("5500.00")  # the 10th only; the 31st is yet to come


def _stock_sql_read(captured) -> bool:
    return any("inventory_stockcountline" in query["sql"] for query in captured.captured_queries)


def test_region_scorecard_without_stock_skips_the_stock_figures_and_keeps_the_others(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as with_stock:
        full = region_scorecard(user=world.manager, period=OCTOBER)
    with CaptureQueriesContext(connection) as without_stock:
        lean = region_scorecard(user=world.manager, period=OCTOBER, with_stock=False)
    assert _stock_sql_read(with_stock) and not _stock_sql_read(without_stock)
    alpha_full, alpha_lean = full[0], lean[0]
    assert (alpha_full.stockouts, alpha_full.near_expiry, alpha_full.suggestions_followed) == (1, 1, Decimal("50.0"))
    assert (alpha_lean.stockouts, alpha_lean.near_expiry, alpha_lean.suggestions_followed) == (0, 0, None)
    for name in ("sales", "target", "achievement", "growth_previous", "growth_last_year", "penetration", "grade",
                 "trend", "visits_planned", "visits_completed", "overdue_amount", "violations", "open_requests"):
        assert getattr(alpha_lean, name) == getattr(alpha_full, name), name
    assert len(without_stock.captured_queries) <= len(with_stock.captured_queries)  # the same statements, less SQL
