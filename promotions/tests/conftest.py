"""A small promotions world shared by the page and API tests."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from promotions.models import CampaignStatus, ObjectiveKind
from promotions.tests.factories import CampaignFactory
from regions.tests.factories import RegionFactory


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a page served in Chinese leaves its language
    active in the test thread (LocaleMiddleware does not reset it)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    """A province with a city; a manager over the province; two reps with a dealer each
    in the city, one dealer elsewhere; a running campaign over the city."""
    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    elsewhere = RegionFactory(name="Jiangsu")
    manager = ManagerFactory(username="manager", first_name="Min", last_name="Chen", regions=[province])
    other_manager = ManagerFactory(username="manager_js", regions=[elsewhere])
    rep, rep_2, outsider_rep = RepFactory(username="rep"), RepFactory(username="rep_2"), RepFactory(username="rep_js")
    dealer = DealerFactory(name="Baishun Trading", region=city, rep=rep)
    dealer_2 = DealerFactory(name="Xinda Foods", region=city, rep=rep_2)
    outsider = DealerFactory(name="Jinling Sugar", region=elsewhere, rep=outsider_rep)
    product = ProductFactory(sku="TEA-500", name="Green tea 500 ml")
    today = timezone.localdate()
    campaign = CampaignFactory(
        name="Autumn tasting", status=CampaignStatus.RUNNING, owner=manager, regions=[city], products=[product],
        start_date=today - datetime.timedelta(days=2), end_date=today + datetime.timedelta(days=2),
        objective_kind=ObjectiveKind.SELL_IN_VOLUME,
    )
    return SimpleNamespace(
        province=province, city=city, elsewhere=elsewhere, manager=manager, other_manager=other_manager,
        rep=rep, rep_2=rep_2, outsider_rep=outsider_rep, dealer=dealer, dealer_2=dealer_2, outsider=outsider,
        product=product, campaign=campaign, today=today, admin=AdminFactory(username="hq"),
        dealer_user=DealerUserFactory(username="dealer_user", dealer=dealer),
        outsider_user=DealerUserFactory(username="outsider_user", dealer=outsider),
    )
