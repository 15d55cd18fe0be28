import datetime
from decimal import Decimal
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
from inventory.tests.factories import ProductFactory
from rebates.tests.factories import RebateAssignmentFactory, TieredPlanFactory
from regions.tests.factories import RegionFactory


@pytest.fixture
def world(db):
    """Two dealers in two regions with their people, a tiered quarterly plan assigned to both,
    and a product at ¥100 a case for the city tier.

    `world.dealer` is the one the tests act on; `world.other` belongs to another rep, region and manager.
    """
    region, elsewhere = RegionFactory(name="Hangzhou"), RegionFactory(name="Nanjing")
    rep, other_rep = RepFactory(username="rep"), RepFactory(username="other_rep")
    dealer = DealerFactory(name="Baishun Trading", code="ZJ-001", region=region, rep=rep, tier="city")
    other = DealerFactory(name="Jinling Sugar", code="JS-001", region=elsewhere, rep=other_rep, tier="city")
    plan = TieredPlanFactory(name="Quarterly volume")
    RebateAssignmentFactory(plan=plan, dealer=dealer)
    RebateAssignmentFactory(plan=plan, dealer=other)
    return SimpleNamespace(
        region=region, dealer=dealer, other=other, rep=rep, other_rep=other_rep, plan=plan,
        manager=ManagerFactory(username="manager", regions=[region]),
        other_manager=ManagerFactory(username="other_manager", regions=[elsewhere]),
        dealer_user=DealerUserFactory(username="dealer_user", dealer=dealer, email="dealer@example.com"),
        other_dealer_user=DealerUserFactory(username="other_dealer_user", dealer=other),
        finance=FinanceFactory(username="finance"),
        warehouse=WarehouseFactory(username="warehouse"),
        admin=AdminFactory(username="hq"),
        product=ProductFactory(sku="BEV-001", name="Cola 500ml", prices={"city": Decimal("100.00")}),
    )


def user_for(world, role: str):
    return {
        "admin": world.admin, "manager": world.manager, "rep": world.rep, "finance": world.finance,
        "warehouse": world.warehouse, "dealer": world.dealer_user,
    }[role]


Q1_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
