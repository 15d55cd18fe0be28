"""Stock at the dealers for inventory's tests, without visits (inventory knows none):

    carry(dealer, [cola, tea])                        # DealerProduct rows (added by hand)
    count_at(dealer, at, {cola: 100, tea: 40})        # a stock count written directly (no suggestion stored)
    ship(dealer, at, {cola: 50})                      # an order shipped at `at`
    with cycles({dealer.pk: 14}): ...                 # the dealers' visit cycles (inventory.cycles)
"""

from __future__ import annotations

import contextlib
import datetime
import itertools

from inventory.cycles import register_cycle_provider, unregister_cycle_provider
from inventory.models import (
    CarrySource,
    DealerProduct,
    Order,
    OrderStatus,
    Shipment,
    ShipmentLine,
    StockCount,
    StockCountLine,
)
from inventory.services import shipment_values_refresh

_references = itertools.count(1)


def carry(dealer, products, *, source: str = CarrySource.MANUAL) -> None:
    DealerProduct.objects.bulk_create(
        [DealerProduct(dealer=dealer, product=product, source=source) for product in products], ignore_conflicts=True
    )


def count_at(dealer, at: datetime.datetime, quantities: dict, *, reference: str | None = None,
             production_dates: dict | None = None, counted_by=None) -> StockCount:
    """A stock count at `at` taken at `reference` (a fresh one by default), written directly."""
    count = StockCount.objects.create(
        dealer=dealer, reference=reference if reference is not None else f"test:{next(_references)}",
        counted_at=at, counted_by=counted_by or dealer.rep,
    )
    production_dates = production_dates or {}
    StockCountLine.objects.bulk_create([
        StockCountLine(stock_count=count, product=product, quantity=quantity,
                       production_date=production_dates.get(product))
        for product, quantity in quantities.items()
    ])
    return count


def ship(dealer, at: datetime.datetime, quantities: dict) -> Shipment:
    """An order of `quantities` shipped to `dealer` at `at` (prices do not matter here)."""
    order = Order.objects.create(dealer=dealer, placed_by=dealer.rep, status=OrderStatus.SHIPPED, submitted_at=at,
                                 shipped_at=at)
    shipment = Shipment.objects.create(order=order, dealer=dealer, shipped_at=at, shipped_by=dealer.rep)
    ShipmentLine.objects.bulk_create([
        ShipmentLine(shipment=shipment, product=product, quantity=quantity) for product, quantity in quantities.items()
    ])
    shipment_values_refresh(shipment_ids=[shipment.pk])
    return shipment


@contextlib.contextmanager
def cycles(days_by_dealer: dict[int, int]):
    """Within the block, these dealers have these visit cycles (and the registered providers' others)."""

    def provider(dealer_ids):
        return {dealer_id: days for dealer_id, days in days_by_dealer.items() if dealer_id in dealer_ids}

    register_cycle_provider(provider)
    try:
        yield
    finally:
        unregister_cycle_provider(provider)
