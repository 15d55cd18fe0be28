"""The products each dealer carries (SPEC §3), known without any setup, for any number of dealers in one query."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from dealers.models import Contract, ContractStatus, Dealer
from inventory.models import (
    CarrySource,
    DealerProduct,
    Product,
    Shipment,
    ShipmentLine,
)
from inventory.selectors.shared import _as_date, _as_datetime, _ids_sql


# --- The products each dealer carries (SPEC §3) ----------------------------------------------
@dataclass(frozen=True, slots=True)
class Carried:
    """A product a dealer carries: since when, and how it came to be carried (a CarrySource)."""

    product_id: int
    since: datetime.date
    source: str


# Of several sources, the one that made the product carried first is named; on one day, in this order.
_SOURCE_ORDER = {CarrySource.SHIPMENT: 0, CarrySource.CONTRACT: 1, CarrySource.COUNT: 2, CarrySource.MANUAL: 3}


def carried_products(*, dealer_ids: Iterable[int]) -> dict[int, dict[int, Carried]]:
    """The products each dealer carries now, {dealer_id: {product_id: Carried}}
    (SPEC §3 "Counts in daily life"), known without any setup:

    - every active product shipped to the dealer, since its first shipment;
    - every active product of the categories of the dealer's signed contracts,
      since the contract's start date;
    - the rows of DealerProduct: a product added by hand or found on the shelf
      during a count (its own date and source win), or a stop, which hides the
      product whatever the source (history stays; shipping it again or adding it
      again carries it again).

    One query for any number of dealers.
    """
    ids = sorted({int(dealer_id) for dealer_id in dealer_ids})
    result: dict[int, dict[int, Carried]] = {dealer_id: {} for dealer_id in ids}
    if not ids:
        return result
    derived: dict[tuple[int, int], Carried] = {}

    def offer(dealer_id: int, product_id: int, since: datetime.date, source: str) -> None:
        known = derived.get((dealer_id, product_id))
        if known is None or (since, _SOURCE_ORDER[source]) < (known.since, _SOURCE_ORDER[known.source]):
            derived[(dealer_id, product_id)] = Carried(product_id, since, source)

    explicit = []
    for kind, dealer_id, product_id, day, source, moment in _carried_rows(ids):
        if kind == "s":  # shipped: carried since the (local) day of the first shipment
            offer(dealer_id, product_id, timezone.localdate(_as_datetime(moment)), CarrySource.SHIPMENT)
        elif kind == "c":  # in a signed contract's categories: since its start
            offer(dealer_id, product_id, _as_date(day), CarrySource.CONTRACT)
        else:
            explicit.append((dealer_id, product_id, _as_date(day), source, moment))
    for dealer_id, product_id, since, source, stopped_at in explicit:
        derived.pop((dealer_id, product_id), None)
        if stopped_at is None:
            result[dealer_id][product_id] = Carried(product_id, since, source)
    for (dealer_id, product_id), carried in derived.items():
        result[dealer_id][product_id] = carried
    return result


def _carried_rows(dealer_ids: list[int]) -> list[tuple]:
    """The evidence of what the dealers carry, one query: (kind, dealer_id,
    product_id, day, source, moment) rows — "r" a DealerProduct row (day = since,
    moment = stopped_at), "s" a product shipped (moment = first shipment), "c" a
    product of a signed contract's categories (day = earliest start)."""
    ids = _ids_sql(dealer_ids)
    carried, shipments, lines = DealerProduct._meta.db_table, Shipment._meta.db_table, ShipmentLine._meta.db_table
    products, contracts = Product._meta.db_table, Contract._meta.db_table
    categories = Contract.product_categories.through._meta.db_table
    sql = f"""
        SELECT 'r', dp.dealer_id, dp.product_id, dp.since, dp.source, dp.stopped_at
        FROM {carried} dp WHERE dp.dealer_id IN ({ids})
        UNION ALL
        SELECT 's', s.dealer_id, sl.product_id, CAST(NULL AS date), NULL, MIN(s.shipped_at)
        FROM {shipments} s JOIN {lines} sl ON sl.shipment_id = s.id
        JOIN {products} p ON p.id = sl.product_id AND p.is_active
        WHERE s.dealer_id IN ({ids}) GROUP BY s.dealer_id, sl.product_id
        UNION ALL
        SELECT 'c', c.dealer_id, p.id, MIN(c.start_date), NULL, NULL
        FROM {contracts} c JOIN {categories} cc ON cc.contract_id = c.id
        JOIN {products} p ON p.category_id = cc.productcategory_id AND p.is_active
        WHERE c.dealer_id IN ({ids}) AND c.status = %s GROUP BY c.dealer_id, p.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ContractStatus.SIGNED.value])
        return cursor.fetchall()


def carried_product_list(*, dealer: Dealer, carried: dict[int, Carried] | None = None) -> list[tuple[Product, Carried]]:
    """What `dealer` carries with each product, in SKU order (two queries; one when
    `carried`, its carried_products, is given): the count form's lines, the dealer
    page and `dealers/{id}/products/`."""
    if carried is None:
        carried = carried_products(dealer_ids=[dealer.pk])[dealer.pk]
    products = Product.objects.filter(pk__in=list(carried)).select_related("category").order_by("sku", "pk")
    return [(product, carried[product.pk]) for product in products]
