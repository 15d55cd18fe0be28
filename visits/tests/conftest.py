"""A small visits world shared by the page, API and service tests."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from regions.tests.factories import RegionFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    """A province with a city and a manager over the province; two reps with a
    dealer each in the city; a third dealer in another province with its own
    manager and rep."""
    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    elsewhere = RegionFactory(name="Jiangsu")
    manager = ManagerFactory(username="manager", first_name="Min", last_name="Chen", regions=[province])
    other_manager = ManagerFactory(username="manager_js", regions=[elsewhere])
    rep, rep_2, outsider_rep = RepFactory(username="rep"), RepFactory(username="rep_2"), RepFactory(username="rep_js")
    dealer = DealerFactory(name="Baishun Trading", region=city, rep=rep,
                           latitude=Decimal("30.274085"), longitude=Decimal("120.155070"))
    dealer_2 = DealerFactory(name="Xinda Foods", region=city, rep=rep_2)
    outsider = DealerFactory(name="Jinling Sugar", region=elsewhere, rep=outsider_rep)
    product = ProductFactory(sku="TEA-500", name="Green tea 500 ml", guideline_price=Decimal("4.50"))
    return SimpleNamespace(
        province=province, city=city, elsewhere=elsewhere, manager=manager, other_manager=other_manager,
        rep=rep, rep_2=rep_2, outsider_rep=outsider_rep, dealer=dealer, dealer_2=dealer_2, outsider=outsider,
        product=product, today=timezone.localdate(), admin=AdminFactory(username="hq"),
        dealer_user=DealerUserFactory(username="dealer_user", dealer=dealer),
        tomorrow=timezone.localdate() + datetime.timedelta(days=1),
    )
