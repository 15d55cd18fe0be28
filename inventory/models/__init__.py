"""Products, tier price lists, orders and what happens to them (SPEC §3).

Money is Decimal with two places; quantities are whole cases. Order totals and
the amount paid are kept on the order (denormalised, maintained by
inventory.services under a row lock) so that lists, receivables and the
credit check never sum lines or payments per row.

One module per sub-domain: the catalogue, products and tier prices (products),
orders, their lines, status changes, payments and shipments (orders), stock at
the dealers: the products carried, stock counts and their stored suggestions
(stock); the amounts they share in shared. Every model, choice and constant is
re-exported here, so `from inventory.models import Product` keeps working; the
models' app label stays `inventory` (no migration).
"""

from inventory.models.orders import (
    CLOSED_STATUSES,
    RECEIVABLE_STATUSES,
    SHIPPED_STATUSES,
    Order,
    OrderLine,
    OrderQuerySet,
    OrderSource,
    OrderStatus,
    OrderTransition,
    Payment,
    Shipment,
    ShipmentLine,
)
from inventory.models.products import (
    FLOOR_ABOVE_GUIDELINE,
    Product,
    ProductCategory,
    ProductQuerySet,
    ProductUnit,
    TierPrice,
)
from inventory.models.shared import (
    MONEY,
    PRICE,
    ZERO,
)
from inventory.models.stock import (
    LATEST_COUNT_FIRST,
    LATEST_COUNT_FIRST_SQL,
    CarrySource,
    CoefficientSource,
    DealerProduct,
    StockCount,
    StockCountLine,
    StockCountQuerySet,
    SuggestedOrderLine,
)

__all__ = [
    "CLOSED_STATUSES",
    "CarrySource",
    "CoefficientSource",
    "DealerProduct",
    "FLOOR_ABOVE_GUIDELINE",
    "LATEST_COUNT_FIRST",
    "LATEST_COUNT_FIRST_SQL",
    "MONEY",
    "Order",
    "OrderLine",
    "OrderQuerySet",
    "OrderSource",
    "OrderStatus",
    "OrderTransition",
    "PRICE",
    "Payment",
    "Product",
    "ProductCategory",
    "ProductQuerySet",
    "ProductUnit",
    "RECEIVABLE_STATUSES",
    "SHIPPED_STATUSES",
    "Shipment",
    "ShipmentLine",
    "StockCount",
    "StockCountLine",
    "StockCountQuerySet",
    "SuggestedOrderLine",
    "TierPrice",
    "ZERO",
]
