"""Factories for visits: plans, visits, market checks, observations, requests, comments.

`VisitFactory(dealer=d)` takes the dealer's rep; `checked_visit(...)` gives a
planned visit whose market check is recorded (ready to start)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    ObservationKind,
    PlanRule,
    RequestStatus,
    Visit,
    VisitComment,
    VisitPlan,
    VisitStatus,
)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local time on `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class VisitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitPlan

    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    rule = PlanRule.MONTHLY_DAYS
    month_days = factory.LazyFunction(lambda: [10, 25])
    weekdays = factory.LazyFunction(list)
    interval_days = None
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    visit_time = datetime.time(10, 0)
    cycle_days = 15


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    rep = factory.LazyAttribute(lambda visit: visit.dealer.rep)
    scheduled_for = factory.LazyFunction(lambda: at(timezone.localdate()))
    status = VisitStatus.PLANNED


class MarketCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketCheck

    visit = factory.SubFactory(VisitFactory)
    outlets_walked = 3
    notes = "Walked the market"
    recorded_by = factory.LazyAttribute(lambda check: check.visit.rep)


class MarketObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketObservation

    market_check = factory.SubFactory(MarketCheckFactory)
    kind = ObservationKind.PRICE
    outlet = "Corner shop"


class DealerRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerRequest

    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    description = factory.Sequence(lambda n: f"Request {n}: exchange damaged cases")
    owner = factory.LazyAttribute(lambda request: request.dealer.rep)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    status = RequestStatus.OPEN


class VisitCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitComment

    visit = factory.SubFactory(VisitFactory)
    author = factory.LazyAttribute(lambda comment: comment.visit.rep)
    body = "Good work"


def checked_visit(**kwargs) -> Visit:
    """A planned visit with its market check recorded."""
    visit = VisitFactory(**kwargs)
    MarketCheckFactory(visit=visit, checked_at=timezone.now() - datetime.timedelta(minutes=30))
    return visit
