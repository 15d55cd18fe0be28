from decimal import Decimal

import factory

from dealers.models import Dealer, DealerStatus, DealerTier


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer

    code = factory.Sequence(lambda n: f"D{n:05d}")
    name = factory.Sequence(lambda n: f"Dealer {n} Trading Co.")
    region = factory.SubFactory("regions.tests.factories.RegionFactory")
    tier = DealerTier.CITY
    status = DealerStatus.ACTIVE
    rep = factory.SubFactory("accounts.tests.factories.RepFactory")
    credit_limit = Decimal("100000.00")
