"""A small world whose scorecard figures are worked out by hand (test_selectors).

Period 2026-10 (October 2026), today 2026-11-15 (Asia/Shanghai).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from accounts.tests.factories import ManagerFactory, RepFactory
from dealers.models import Contract, Dealer, Evaluation
from dealers.tests.factories import ContractFactory, DealerFactory, ViolationFactory
from inventory.models import Order, OrderStatus, StockCount, StockCountLine, SuggestedOrderLine
from inventory.tests.factories import (
    OrderFactory,
    ProductCategoryFactory,
    ProductFactory,
    ShipmentFactory,
    ShipmentLineFactory,
)
from regions.tests.factories import RegionFactory
from scorecards.tests.factories import MarketSizeFactory
from visits.models import DealerRequest, Visit, VisitStatus

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2026, 11, 15, 10, 0, tzinfo=TZ)


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


@dataclass
class World:
    region: object
    other_region: object
    manager: object
    rep: object
    dealer: Dealer
    quiet: Dealer
    outsider: Dealer


def ship(dealer, product, quantity, when):
    order = OrderFactory(dealer=dealer, lines=[(product, quantity)])
    shipment = ShipmentFactory(order=order, dealer=dealer, shipped_at=when)
    ShipmentLineFactory(shipment=shipment, product=product, quantity=quantity)


def build_world() -> World:
    region = RegionFactory(name="North")
    other_region = RegionFactory(name="South")
    manager = ManagerFactory(username="north-manager", regions=[region])
    rep = RepFactory(username="north-rep", first_name="Li", last_name="Wang")
    dealer = DealerFactory(name="Alpha Trading", region=region, rep=rep, current_grade="A", current_score=Decimal("4.20"))
    quiet = DealerFactory(name="Beta Trading", region=region, rep=rep)
    outsider = DealerFactory(name="Gamma Trading", region=other_region)

    # Target: 365,000 a year for 2026 → October (31 days) 31,000.00.
    ContractFactory(dealer=dealer, annual_target_amount=Decimal("365000.00"),
                    start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31))
    ContractFactory(dealer=dealer, annual_target_amount=Decimal("999999.00"), status="draft",
                    start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31))

    # Sales at the city tier price 55.00 a case.
    category = ProductCategoryFactory(name="Drinks")
    p1 = ProductFactory(category=category, shelf_life_days=365)
    p2 = ProductFactory(category=category, shelf_life_days=365)
    p3 = ProductFactory(category=category, shelf_life_days=365)
    ship(dealer, p1, 100, at(2026, 10, 10))          # 5,500.00 in October
    ship(dealer, p1, 20, at(2026, 10, 31, 23, 30))   # 1,100.00 in October (last half hour)
    ship(dealer, p1, 10, at(2026, 11, 1, 0, 30))     # November: not counted
    ship(dealer, p2, 50, at(2026, 9, 15))            # 2,750.00 in September
    ship(dealer, p2, 40, at(2025, 10, 5))            # 2,200.00 in October 2025
    ship(outsider, p1, 100, at(2026, 10, 10))        # not in the manager's scope

    # Market: 30,000 + 36,000 = 66,000 for North in October; September's does not count.
    MarketSizeFactory(region=region, period_start=datetime.date(2026, 10, 1), category=category, amount=Decimal("30000"))
    MarketSizeFactory(region=region, period_start=datetime.date(2026, 10, 1), category=ProductCategoryFactory(name="Snacks"),
                      amount=Decimal("36000"))
    MarketSizeFactory(region=region, period_start=datetime.date(2026, 9, 1), category=category, amount=Decimal("1"))

    # Visits in October: 3 completed, 1 missed, 1 planned, 1 cancelled → planned 5, done 3.
    visits = []
    for day, status in [(2, "completed"), (9, "completed"), (16, "completed"), (20, "missed"), (28, "planned"),
                        (30, "cancelled")]:
        visits.append(Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=at(2026, 10, day), status=status))
    Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=at(2026, 9, 20), status=VisitStatus.COMPLETED)

    # A count on 16 October: p1 out of stock, p2 produced 2026-01-01 (73 of 365 days left: near
    # expiry), p3 fresh.
    count = StockCount.objects.create(reference=visits[2].stock_count_reference, dealer=dealer, counted_at=at(2026, 10, 16), counted_by=rep)
    StockCountLine.objects.create(stock_count=count, product=p1, quantity=0)
    StockCountLine.objects.create(stock_count=count, product=p2, quantity=10, production_date=datetime.date(2026, 1, 1))
    StockCountLine.objects.create(stock_count=count, product=p3, quantity=10, production_date=datetime.date(2026, 10, 1))
    # Suggested 20 + 10 (+ 0, left out), ordered 15 → 50.0 % followed.
    for product, suggested, ordered in [(p1, 20, 15), (p2, 0, 0), (p3, 10, None)]:
        SuggestedOrderLine.objects.create(stock_count=count, product=product, current_stock=0, coefficient=Decimal("1.5"),
                                          suggested_quantity=suggested, ordered_quantity=ordered)

    # Overdue today: one order confirmed with 600.00 still due since 2026-11-01.
    Order.objects.create(dealer=dealer, placed_by=rep, status=OrderStatus.CONFIRMED, total=Decimal("1000.00"),
                         amount_paid=Decimal("400.00"), payment_due_date=datetime.date(2026, 11, 1))
    Order.objects.create(dealer=dealer, placed_by=rep, status=OrderStatus.CONFIRMED, total=Decimal("500.00"),
                         amount_paid=Decimal("0.00"), payment_due_date=datetime.date(2026, 11, 30))

    ViolationFactory(dealer=dealer, found_at=at(2026, 10, 12))
    ViolationFactory(dealer=dealer, found_at=at(2026, 9, 12))
    DealerRequest.objects.create(dealer=dealer, description="More display racks", owner=rep, due_on=datetime.date(2026, 11, 20))
    DealerRequest.objects.create(dealer=dealer, description="Done already", owner=rep, due_on=datetime.date(2026, 10, 20),
                                 status="done")

    # Grades: B in May, A in August → trend up.
    Evaluation.objects.create(dealer=dealer, created_at=at(2026, 5, 1), total=Decimal("3.40"), grade="B")
    Evaluation.objects.create(dealer=dealer, created_at=at(2026, 8, 1), total=Decimal("4.20"), grade="A")
    assert Contract.objects.count() == 2
    return World(region=region, other_region=other_region, manager=manager, rep=rep, dealer=dealer, quiet=quiet,
                 outsider=outsider)
