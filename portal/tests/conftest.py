from types import SimpleNamespace

import pytest

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
    WarehouseFactory,
)
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory


@pytest.fixture
def world(db):
    """Two dealers in two regions (one a sub-region of the manager's), each with its rep and dealer user."""
    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    elsewhere = RegionFactory(name="Nanjing")
    rep, other_rep = RepFactory(username="rep"), RepFactory(username="other_rep")
    dealer = DealerFactory(name="Baishun Trading", code="ZJ-001", region=city, rep=rep)
    other = DealerFactory(name="Jinling Sugar", code="JS-001", region=elsewhere, rep=other_rep)
    return SimpleNamespace(
        dealer=dealer, other=other, rep=rep, other_rep=other_rep,
        manager=ManagerFactory(username="manager", regions=[province]),
        other_manager=ManagerFactory(username="other_manager", regions=[elsewhere]),
        dealer_user=DealerUserFactory(username="dealer_user", dealer=dealer, first_name="Lan"),
        colleague=DealerUserFactory(username="colleague", dealer=dealer),
        other_dealer_user=DealerUserFactory(username="other_dealer_user", dealer=other),
        finance=FinanceFactory(username="finance"),
        warehouse=WarehouseFactory(username="warehouse"),
        admin=AdminFactory(username="hq"),
    )


def user_for(world, role: str):
    return {
        "admin": world.admin, "manager": world.manager, "rep": world.rep, "finance": world.finance,
        "warehouse": world.warehouse, "dealer": world.dealer_user,
        "other_rep": world.other_rep, "other_manager": world.other_manager, "other_dealer": world.other_dealer_user,
    }[role]
