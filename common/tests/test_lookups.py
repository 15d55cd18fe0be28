"""`fk__in_array=queryset` (common.lookups): the same rows as `fk__in`, as one array on PostgreSQL."""

import pytest
from django.db import connection

from dealers.models import Dealer
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory
from visits.models import DealerRequest
from visits.tests.factories import DealerRequestFactory

pytestmark = pytest.mark.django_db


def test_in_array_gives_the_rows_in_gives():
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    ours = [DealerFactory(region=north) for _ in range(3)]
    theirs = DealerFactory(region=south)
    for dealer in [*ours, theirs, ours[0]]:
        DealerRequestFactory(dealer=dealer)
    for dealers in (Dealer.objects.filter(region=north), Dealer.objects.filter(region=south),
                    Dealer.objects.filter(pk__in=[]), Dealer.objects.none(), Dealer.objects.all()):
        ids = dealers.order_by().values("pk")
        expected = sorted(DealerRequest.objects.filter(dealer__in=ids).values_list("pk", flat=True))
        assert sorted(DealerRequest.objects.filter(dealer__in_array=ids).values_list("pk", flat=True)) == expected
        assert sorted(DealerRequest.objects.exclude(dealer__in_array=ids).values_list("pk", flat=True)) == sorted(
            DealerRequest.objects.exclude(dealer__in=ids).values_list("pk", flat=True))
    assert DealerRequest.objects.filter(dealer__in_array=[ours[0].pk, theirs.pk]).count() == 3  # plain values: IN


def test_in_array_is_one_array_on_postgresql_and_in_elsewhere():
    sql = str(DealerRequest.objects.filter(dealer__in_array=Dealer.objects.values("pk")).query)
    if connection.vendor == "postgresql":
        assert '"dealer_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"dealer_id" IN (SELECT' in sql
