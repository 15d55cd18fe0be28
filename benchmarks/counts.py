"""A synthetic world for benchmarking the suggested order: `dealers` dealers each
carrying `products` products, `counts` stock counts per dealer two weeks apart
and a shipment between consecutive counts. Built with bulk_create for the few
thousand rows and INSERT … SELECT for the millions of lines (PostgreSQL).

    from benchmarks.counts import build_world, measure
    build_world(dealers=2000, products=200, counts=4)
    print(measure())
"""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.utils import timezone

PREFIX = "BENCHSO"


@transaction.atomic
def build_world(*, dealers: int = 2000, products: int = 200, counts: int = 4) -> None:
    from accounts.models import Role, User
    from dealers.models import Dealer, DealerStatus, DealerTier
    from inventory.models import (
        DealerProduct,
        Order,
        OrderStatus,
        Product,
        ProductCategory,
        Shipment,
        ShipmentLine,
        StockCount,
        StockCountLine,
    )
    from regions.models import Region
    from regions.services import region_create
    from visits.models import Visit, VisitPlan, VisitStatus

    rep, _ = User.objects.get_or_create(username=f"{PREFIX.lower()}-rep", defaults={"role": Role.REP})
    region = Region.objects.filter(name=PREFIX).first() or region_create(name=PREFIX)
    category, _ = ProductCategory.objects.get_or_create(name=PREFIX)
    Product.objects.bulk_create([
        Product(sku=f"{PREFIX}{n:04d}", name=f"Bench product {n}", category=category, shelf_life_days=180 + n,
                guideline_price=5, floor_price=4)
        for n in range(products)
    ], ignore_conflicts=True)
    product_ids = list(Product.objects.filter(sku__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    Dealer.objects.bulk_create([
        Dealer(code=f"{PREFIX}{n:05d}", name=f"Bench dealer {n}", region=region, tier=DealerTier.CITY,
               status=DealerStatus.ACTIVE, rep=rep)
        for n in range(dealers)
    ], ignore_conflicts=True)
    dealer_ids = list(Dealer.objects.filter(code__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    if StockCount.objects.filter(dealer_id__in=dealer_ids[:1]).exists():
        return
    VisitPlan.objects.bulk_create([
        VisitPlan(dealer_id=dealer_id, rule="every_n_days", interval_days=14, cycle_days=14)
        for dealer_id in dealer_ids[::2]
    ])
    DealerProduct.objects.bulk_create([
        DealerProduct(dealer_id=dealer_id, product_id=product_id) for dealer_id in dealer_ids for product_id in product_ids
    ], batch_size=20000)
    now = timezone.now()
    first = now - datetime.timedelta(days=14 * counts)
    visits = Visit.objects.bulk_create([
        Visit(dealer_id=dealer_id, rep=rep, scheduled_for=first + datetime.timedelta(days=14 * k),
              status=VisitStatus.COMPLETED)
        for dealer_id in dealer_ids for k in range(counts)
    ], batch_size=5000)
    StockCount.objects.bulk_create([
        StockCount(reference=visit.stock_count_reference, dealer_id=visit.dealer_id, counted_at=visit.scheduled_for,
                   counted_by=rep)
        for visit in visits
    ], batch_size=5000)
    orders = Order.objects.bulk_create([
        Order(dealer_id=dealer_id, placed_by=rep, status=OrderStatus.SHIPPED, submitted_at=first)
        for dealer_id in dealer_ids
    ], batch_size=5000)
    Shipment.objects.bulk_create([
        Shipment(order=order, dealer_id=order.dealer_id, shipped_by=rep,
                 shipped_at=first + datetime.timedelta(days=14 * k + 7))
        for order in orders for k in range(counts - 1)
    ], batch_size=5000)
    lines, shipments, shipment_lines = (
        StockCountLine._meta.db_table, Shipment._meta.db_table, ShipmentLine._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {lines} (stock_count_id, product_id, quantity, production_date, batch)
            SELECT c.id, p.id, (c.id * 7 + p.id * 13) %% 120, CURRENT_DATE - CAST((p.id * 11) %% 300 AS integer), ''
            FROM {StockCount._meta.db_table} c CROSS JOIN {Product._meta.db_table} p
            WHERE c.dealer_id = ANY(%s) AND p.id = ANY(%s)
        """, [dealer_ids, product_ids])
        cursor.execute(f"""
            INSERT INTO {shipment_lines} (shipment_id, product_id, quantity)
            SELECT s.id, p.id, 20 + (s.id + p.id) %% 60
            FROM {shipments} s CROSS JOIN {Product._meta.db_table} p
            WHERE s.dealer_id = ANY(%s) AND p.id = ANY(%s) AND (s.id + p.id) %% 3 = 0
        """, [dealer_ids, product_ids])
        cursor.execute("ANALYZE")


def measure(*, dealer_ids=None) -> dict:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    from inventory.selectors import suggested_orders_for_latest_counts

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = suggested_orders_for_latest_counts(dealer_ids=dealer_ids)
        elapsed = time.perf_counter() - started
    return {
        "suggested_orders_all_dealers_s": round(elapsed, 3),
        "dealers": len(result),
        "lines": sum(len(lines) for lines in result.values()),
        "queries": len(queries),
    }
