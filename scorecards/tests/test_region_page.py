"""The region scorecard's page (scorecards/region_page.py): sorted by the dealer record,
only the page's rows are built, and it shows exactly what building every row shows."""

import datetime
from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from accounts.tests.factories import RepFactory
from dealers.tests.factories import ContractFactory, DealerFactory
from scorecards import calculations
from scorecards.calculations import Period
from scorecards.region_page import RECORD_ORDERINGS, region_page
from scorecards.selectors import ScorecardFilters, region_scorecard
from scorecards.tests.world import TODAY, at, ship

pytestmark = pytest.mark.django_db
OCTOBER = Period(datetime.date(2026, 10, 1))


@pytest.fixture
def crowd(world):
    """The known world and seven more dealers of the region: ties of name, grades, reps,
    a target and sales of their own, and one without a rep."""
    from inventory.tests.factories import ProductFactory

    product = ProductFactory()
    other_rep = RepFactory(first_name="", last_name="", username="zz-rep")
    for number, (name, grade, rep) in enumerate([
        ("Delta Trading", "B", world.rep), ("delta trading", "C", other_rep), ("Echo", "", world.rep),
        ("Foxtrot", "A", None), ("Golf", "D", other_rep), ("Hotel", "B", world.rep), ("Alpha Trading", "", other_rep),
    ]):
        dealer = DealerFactory(name=name, region=world.region, rep=rep, current_grade=grade,
                               current_score=Decimal(number) if grade else None)
        if number % 2 == 0:
            ship(dealer, product, 10 + number, at(2026, 10, 5 + number))
            ContractFactory(dealer=dealer, annual_target_amount=Decimal("36500.00"),
                            start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31))
    return world


def _every_row_built(manager, filters, with_stock, per_page, number):
    rows = region_scorecard(user=manager, period=OCTOBER, filters=filters, today=TODAY.date(), with_stock=with_stock)
    page = Paginator(rows, per_page).get_page(number)
    totals = {"sales": sum((r.sales for r in rows), Decimal("0")), "target": sum((r.target for r in rows), Decimal("0")),
              "visits_planned": sum(r.visits_planned for r in rows),
              "visits_completed": sum(r.visits_completed for r in rows)}
    totals["achievement"] = calculations.achievement_percent(sales=totals["sales"], target=totals["target"])
    return list(page.object_list), page.number, len(rows), calculations.grade_distribution([r.grade for r in rows]), totals


@pytest.mark.parametrize("ordering", sorted(RECORD_ORDERINGS | {f"-{name}" for name in RECORD_ORDERINGS} | {""}))
def test_a_page_sorted_by_the_record_shows_what_every_row_built_shows(crowd, ordering):
    filters = ScorecardFilters(ordering=ordering)
    for number in (1, 2, 3, 4, "9", "x"):
        page = region_page(user=crowd.manager, period=OCTOBER, filters=filters, today=TODAY.date(), with_stock=True,
                           number=number, per_page=3)
        rows, page_number, count, distribution, totals = _every_row_built(crowd.manager, filters, True, 3, number)
        assert list(page.page.object_list) == rows and page.page.number == page_number
        assert (page.count, page.distribution, page.totals) == (count, distribution, totals)
    assert totals["sales"] > 0 and totals["target"] > 0 and count == 9


@pytest.mark.parametrize("filters", [
    ScorecardFilters(grade="B"), ScorecardFilters(grade="-", ordering="-name"), ScorecardFilters(rep_id=-1),
])
def test_filtered_pages_and_the_lean_view_agree_too(crowd, filters):
    page = region_page(user=crowd.manager, period=OCTOBER, filters=filters, today=TODAY.date(), with_stock=False,
                       number=1, per_page=2)
    rows, _number, count, distribution, totals = _every_row_built(crowd.manager, filters, False, 2, 1)
    assert (list(page.page.object_list), page.count, page.distribution, page.totals) == (rows, count, distribution, totals)


def test_sorted_by_a_figure_every_row_is_built(crowd):
    filters = ScorecardFilters(ordering="-sales")
    page = region_page(user=crowd.manager, period=OCTOBER, filters=filters, today=TODAY.date(), with_stock=False,
                       number=1, per_page=3)
    rows, _number, count, _distribution, totals = _every_row_built(crowd.manager, filters, False, 3, 1)
    assert [row.name for row in page.page.object_list] == [row.name for row in rows]
    assert rows[0].name == "Alpha Trading" and (page.count, page.totals) == (count, totals)


def test_a_page_of_the_record_reads_a_fixed_number_of_queries(crowd, django_assert_max_num_queries):
    crowd.manager.regions.all()  # the manager's regions are cached on the user after the first read
    with django_assert_max_num_queries(9):
        page = region_page(user=crowd.manager, period=OCTOBER, filters=ScorecardFilters(), today=TODAY.date(),
                           with_stock=False, number=2, per_page=3)
    assert len(page.page.object_list) == 3


def test_a_user_with_no_dealers_gets_an_empty_page(world):
    page = region_page(user=RepFactory(), period=OCTOBER, filters=ScorecardFilters(), today=TODAY.date(),
                       with_stock=True, number=1, per_page=50)
    assert (list(page.page.object_list), page.count, page.totals["sales"], page.totals["achievement"]) == (
        [], 0, Decimal("0"), None)


def test_a_manager_with_no_region_yet_gets_an_empty_page(client, world):
    from accounts.tests.factories import ManagerFactory

    manager = ManagerFactory(regions=[])
    page = region_page(user=manager, period=OCTOBER, filters=ScorecardFilters(), today=TODAY.date(),
                       with_stock=True, number=1, per_page=50)
    assert (page.count, page.totals["sales"]) == (0, Decimal("0"))
    client.force_login(manager)
    for path in ("/scorecards/", "/scorecards/dashboards/", "/scorecards/export/", "/api/v1/scorecards/region/"):
        assert client.get(path).status_code == 200, path
