"""Factories of scorecards and the small world its tests check by hand."""

from __future__ import annotations

from decimal import Decimal

import factory

from scorecards.models import MarketSize


class MarketSizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketSize

    region = factory.SubFactory("regions.tests.factories.RegionFactory")
    period_start = factory.Faker("date_this_year")
    category = factory.SubFactory("inventory.tests.factories.ProductCategoryFactory")
    amount = Decimal("100000.00")
