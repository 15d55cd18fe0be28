"""dealer_queryset_for: the one scope every dealer page and endpoint starts from."""

import pytest

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
    WarehouseFactory,
)
from dealers.selectors import dealer_queryset_for
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    east = RegionFactory(name="East")
    east_city = RegionFactory(name="East City", parent=east)
    west = RegionFactory(name="West")
    rep_a, rep_b = RepFactory(), RepFactory()
    return {
        "east": east, "west": west, "rep_a": rep_a, "rep_b": rep_b,
        "in_east": DealerFactory(region=east, rep=rep_a),
        "in_east_city": DealerFactory(region=east_city, rep=rep_b),
        "in_west": DealerFactory(region=west, rep=rep_a),
    }


def codes(queryset):
    return sorted(dealer.code for dealer in queryset)


def test_scope_admin_sees_every_dealer(world):
    assert dealer_queryset_for(AdminFactory()).count() == 3


@pytest.mark.parametrize("factory", [FinanceFactory, WarehouseFactory])
def test_scope_finance_and_warehouse_see_every_dealer(world, factory):
    assert dealer_queryset_for(factory()).count() == 3


def test_scope_manager_sees_their_regions_subtree(world):
    manager = ManagerFactory(regions=[world["east"]])
    assert codes(dealer_queryset_for(manager)) == codes([world["in_east"], world["in_east_city"]])


def test_scope_manager_without_regions_sees_nothing(world):
    assert not dealer_queryset_for(ManagerFactory()).exists()


def test_scope_rep_sees_assigned_dealers_only(world):
    assert codes(dealer_queryset_for(world["rep_a"])) == codes([world["in_east"], world["in_west"]])


def test_scope_dealer_user_sees_only_its_own_company(world):
    user = DealerUserFactory(dealer=world["in_west"])
    assert list(dealer_queryset_for(user)) == [world["in_west"]]


def test_scope_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not dealer_queryset_for(AnonymousUser()).exists()
