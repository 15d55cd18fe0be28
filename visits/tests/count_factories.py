"""Factories for the stock count and the suggested order of visits (visits made
directly with the ORM, so these tests do not depend on the visit flow's services).

    visit = InProgressVisitFactory(dealer=dealer)            # rep = dealer.rep
    carry(dealer, [cola, tea])                               # DealerProduct rows
    past_count(dealer, at, {cola: 100, tea: 40})            # a count on a completed visit
    ship(dealer, at, {cola: 50})                             # an order shipped at `at`
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from dealers.tests.factories import DealerFactory
from inventory.models import StockCount
from inventory.tests.factories import ProductFactory
from inventory.tests.stock_factories import carry, count_at, ship
from visits.models import Visit, VisitPlan, VisitStatus

__all__ = ["CountVisitFactory", "InProgressVisitFactory", "carry", "cola_and_tea_world", "past_count", "plan", "ship"]


class CountVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    dealer = factory.SubFactory(DealerFactory)
    rep = factory.LazyAttribute(lambda visit: visit.dealer.rep)
    scheduled_for = factory.LazyFunction(timezone.now)
    status = VisitStatus.PLANNED


class InProgressVisitFactory(CountVisitFactory):
    status = VisitStatus.IN_PROGRESS
    started_at = factory.LazyFunction(timezone.now)


def plan(dealer, cycle_days: int) -> VisitPlan:
    return VisitPlan.objects.create(dealer=dealer, rule="every_n_days", interval_days=cycle_days,
                                    cycle_days=cycle_days)


def past_count(dealer, at: datetime.datetime, quantities: dict, *, production_dates: dict | None = None) -> StockCount:
    """A stock count at `at` on a completed visit, written directly (no suggestion stored)."""
    visit = CountVisitFactory(dealer=dealer, scheduled_for=at, status=VisitStatus.COMPLETED, started_at=at,
                              completed_at=at)
    return count_at(dealer, at, quantities, reference=visit.stock_count_reference, production_dates=production_dates)


def cola_and_tea_world() -> dict:
    """A dealer carrying cola and tea, counted 14 days ago (100 and 80 cases), shipped
    50 and 40 cases 7 days ago, and a visit of its rep in progress now."""
    now = timezone.now()
    dealer = DealerFactory()
    cola, tea = ProductFactory(name="Cola"), ProductFactory(name="Tea")
    carry(dealer, [cola, tea])
    past_count(dealer, now - datetime.timedelta(days=14), {cola: 100, tea: 80})
    ship(dealer, now - datetime.timedelta(days=7), {cola: 50, tea: 40})
    visit = InProgressVisitFactory(dealer=dealer)
    return dict(now=now, dealer=dealer, cola=cola, tea=tea, visit=visit, rep=dealer.rep)
