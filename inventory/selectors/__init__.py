"""Reads of products, prices, orders, shipments and stock at the dealers, always
scoped to the user: the set-based deliveries selector, the products a dealer
carries, and the suggested order's inputs gathered for any number of counts.

One module per sub-domain: what each user may see (scope, which also registers
the scopes with common.scoping), orders, prices and the orders' worklists
(orders), the deliveries in given windows (deliveries), the products a dealer
carries (carried), the plausibility of a count (plausibility), the suggested
order of many counts (suggestions) and the suggestion stored with a count, its
flags and the stock warnings (stored); small helpers in shared. Every public
name is re-exported here, so `from inventory import selectors` and
`from inventory.selectors import suggested_orders` keep working.
"""

from inventory.selectors.carried import (
    Carried,
    carried_product_list,
    carried_products,
)
from inventory.selectors.deliveries import (
    DeliveryWindow,
    deliveries_between,
    deliveries_by_window,
)
from inventory.selectors.orders import (
    dealer_open_receivables,
    order_detail,
    order_list,
    orderable_products,
    orders_waiting_for,
    tier_prices_for,
)
from inventory.selectors.plausibility import (
    plausibility_references,
    plausibility_settings,
)
from inventory.selectors.scope import (
    order_queryset_for,
    payment_queryset_for,
    product_queryset_for,
    shipment_queryset_for,
    stock_count_queryset_for,
    tier_price_queryset_for,
    tiers_visible_to,
)
from inventory.selectors.stored import (
    PROBLEM_FLAGS,
    SUGGESTION_FLAG_TEXT,
    WARNING_FLAGS,
    StockWarning,
    flag_texts,
    latest_suggestion,
    stock_warnings,
    stored_suggestion,
    suggestion_summary,
    suggestion_working,
)
from inventory.selectors.suggestions import (
    SuggestedLine,
    default_coefficient,
    default_coefficient_text,
    latest_stock_count_ids,
    suggested_orders,
    suggested_orders_for_latest_counts,
    suggestion_settings,
)

__all__ = [
    "Carried",
    "DeliveryWindow",
    "PROBLEM_FLAGS",
    "SUGGESTION_FLAG_TEXT",
    "StockWarning",
    "SuggestedLine",
    "WARNING_FLAGS",
    "carried_product_list",
    "carried_products",
    "dealer_open_receivables",
    "default_coefficient",
    "default_coefficient_text",
    "deliveries_between",
    "deliveries_by_window",
    "flag_texts",
    "latest_stock_count_ids",
    "latest_suggestion",
    "order_detail",
    "order_list",
    "order_queryset_for",
    "orderable_products",
    "orders_waiting_for",
    "payment_queryset_for",
    "plausibility_references",
    "plausibility_settings",
    "product_queryset_for",
    "shipment_queryset_for",
    "stock_count_queryset_for",
    "stock_warnings",
    "stored_suggestion",
    "suggested_orders",
    "suggested_orders_for_latest_counts",
    "suggestion_settings",
    "suggestion_summary",
    "suggestion_working",
    "tier_price_queryset_for",
    "tier_prices_for",
    "tiers_visible_to",
]
