"""period_figures adding the dealers up (per_dealer=False): the scorecard's totals."""

import dataclasses
import datetime

import pytest

from dealers.models import Dealer
from inventory.tests.factories import ProductFactory
from scorecards.calculations import Period
from scorecards.figures import Figures, period_figures
from scorecards.tests.world import at, ship

pytestmark = pytest.mark.django_db
SEPTEMBER, OCTOBER = Period(datetime.date(2026, 9, 1)), Period(datetime.date(2026, 10, 1))


@pytest.mark.parametrize("with_stock", [True, False])
def test_the_totals_are_every_dealers_figures_added_up_for_each_window(world, with_stock):
    ship(world.quiet, ProductFactory(), 7, at(2026, 10, 3))  # a second dealer with sales of its own
    dealers = Dealer.objects.all()  # the outsider too: its October shipment is counted
    each = period_figures(dealers=dealers, periods=[OCTOBER, SEPTEMBER], with_stock=with_stock)
    totals = period_figures(dealers=dealers, periods=[OCTOBER, SEPTEMBER], with_stock=with_stock, per_dealer=False)
    assert set(totals) == {(0, 0), (0, 1)}
    for index in (0, 1):
        for name in (item.name for item in dataclasses.fields(Figures)):
            added_up = sum(getattr(figures, name) for (_dealer, window), figures in each.items() if window == index)
            assert getattr(totals[(0, index)], name) == added_up, (index, name)
    october = totals[(0, 0)]
    assert october.sales > each[(world.dealer.pk, 0)].sales > 0
    assert (october.visits_planned, october.visits_completed, october.violations) == (5, 3, 1)
    assert (october.stockouts, october.near_expiry) == ((1, 1) if with_stock else (0, 0))


def test_no_dealer_no_totals():
    assert period_figures(dealers=Dealer.objects.none(), periods=[OCTOBER], per_dealer=False) == {}


def test_previous_evaluation_is_each_dealers_second_newest():
    """By when it was made, then by id (two made at the same moment); none for a dealer
    evaluated once or never; only the dealers asked for."""
    from decimal import Decimal

    from dealers.models import Evaluation
    from dealers.tests.factories import DealerFactory
    from scorecards.figures import previous_evaluations

    never, once, twice, thrice, tied, outside = (DealerFactory() for _ in range(6))
    made = {}
    for dealer, history in ((once, [("C", "2.10", 1)]), (twice, [("B", "3.40", 1), ("A", "4.20", 2)]),
                            (thrice, [("D", "1.00", 1), ("C", "2.55", 3), ("B", "3.05", 2)]),
                            (tied, [("C", "2.00", 5), ("B", "3.00", 5)]), (outside, [("A", "4.00", 1), ("B", "3.00", 2)])):
        for grade, total, day in history:
            made[(dealer.pk, grade)] = Evaluation.objects.create(
                dealer=dealer, grade=grade, total=Decimal(total), created_at=at(2026, 6, day))
    asked = Dealer.objects.exclude(pk=outside.pk)
    assert never.pk not in previous_evaluations(dealers=asked) and once.pk not in previous_evaluations(dealers=asked)
    assert previous_evaluations(dealers=asked) == {
        twice.pk: ("B", Decimal("3.40")),  # the newest is A
        thrice.pk: ("B", Decimal("3.05")),  # made on the 2nd: the newest (the 3rd) is C
        tied.pk: ("C", Decimal("2.00")),  # the same moment: the higher id is the newer
    }
    assert all(isinstance(total, Decimal) and total.as_tuple().exponent == -2
               for _grade, total in previous_evaluations(dealers=asked).values())
    assert previous_evaluations(dealers=Dealer.objects.none()) == {}
