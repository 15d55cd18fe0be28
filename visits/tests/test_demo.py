"""seed_demo's visits part: plans, months of visits with market checks, findings,
products carried, requests in every state, coming visits; idempotent."""

import pytest
from django.core.management import call_command

from dealers.models import Dealer, DealerStatus
from inventory.models import DealerProduct
from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    Visit,
    VisitComment,
    VisitPlan,
    VisitStatus,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return (VisitPlan.objects.count(), Visit.objects.count(), MarketCheck.objects.count(),
            MarketObservation.objects.count(), DealerProduct.objects.count(), DealerRequest.objects.count(),
            VisitComment.objects.count())


def test_seed_demo_visits_tell_the_story_and_twice_changes_nothing():
    call_command("seed_demo", "--quiet-logins")
    active = Dealer.objects.filter(status=DealerStatus.ACTIVE, rep__isnull=False)
    assert VisitPlan.objects.count() == active.count() > 0
    statuses = set(Visit.objects.values_list("status", flat=True))
    assert {VisitStatus.COMPLETED, VisitStatus.MISSED, VisitStatus.CANCELLED, VisitStatus.PLANNED} <= statuses
    assert Visit.objects.filter(status=VisitStatus.COMPLETED).count() > Visit.objects.filter(status=VisitStatus.MISSED).count()
    assert MarketObservation.objects.filter(kind="cross_territory", violation__isnull=False).exists()
    assert MarketObservation.objects.filter(kind="price_dumping").exists()
    for dealer in active:
        assert 8 <= dealer.carried_products.count() <= 15
    assert len(set(DealerRequest.objects.values_list("status", flat=True))) >= 3
    before = snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert snapshot() == before
