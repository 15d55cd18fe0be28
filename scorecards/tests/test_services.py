"""Market sizes one by one through the services (the API and the admin call them):
checked in full before anything is saved, the editor recorded."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import AdminFactory
from inventory.tests.factories import ProductCategoryFactory
from regions.tests.factories import RegionFactory
from scorecards import services
from scorecards.models import MarketSize
from scorecards.tests.factories import MarketSizeFactory

pytestmark = pytest.mark.django_db
NOV = datetime.date(2026, 11, 1)


def test_market_size_create_records_the_editor():
    admin, region, category = AdminFactory(), RegionFactory(), ProductCategoryFactory()
    size = services.market_size_create(region=region, period_start=NOV, category=category, amount=Decimal("5000"), by=admin)
    size.refresh_from_db()
    assert (size.amount, size.updated_by) == (Decimal("5000.00"), admin)


def test_market_size_create_refuses_a_second_for_the_same_month_and_a_mid_month_day():
    size = MarketSizeFactory(period_start=NOV)
    with pytest.raises(ValidationError):
        services.market_size_create(region=size.region, period_start=NOV, category=size.category,
                                    amount=Decimal("1"), by=None)
    with pytest.raises(ValidationError) as error:
        services.market_size_create(region=size.region, period_start=datetime.date(2026, 12, 15),
                                    category=size.category, amount=Decimal("1"), by=None)
    assert "period_start" in error.value.message_dict
    assert MarketSize.objects.count() == 1


def test_market_size_update_changes_the_amount_and_refuses_a_negative_one():
    size, admin = MarketSizeFactory(period_start=NOV, amount=Decimal("100")), AdminFactory()
    updated = services.market_size_update(market_size=size, by=admin, amount=Decimal("250"))
    assert (updated.amount, updated.updated_by) == (Decimal("250"), admin)
    with pytest.raises(ValidationError):
        services.market_size_update(market_size=size, by=admin, amount=Decimal("-1"))
    assert MarketSize.objects.get(pk=size.pk).amount == Decimal("250.00")


def test_market_size_delete_removes_it():
    size = MarketSizeFactory(period_start=NOV)
    services.market_size_delete(market_size=size, by=AdminFactory())
    assert not MarketSize.objects.filter(pk=size.pk).exists()
