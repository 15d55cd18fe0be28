"""Who may see which orders, payments, shipments, products, tier prices and stock counts (registered with common.scoping)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.policy import Area, Visibility, visibility
from common.scoping import register_scope
from dealers.models import DealerTier
from dealers.scope import scoped
from inventory.models import (
    Order,
    OrderQuerySet,
    Payment,
    Product,
    ProductQuerySet,
    Shipment,
    StockCount,
    StockCountQuerySet,
    TierPrice,
)


# --- Scope ---------------------------------------------------------------------------
def order_queryset_for(user) -> OrderQuerySet:
    """The orders `user` may see: those of the dealers in their scope
    (accounts.policy, Area.ORDERS). Every order page, endpoint, export and slip
    starts here; anything else answers 404."""
    return scoped(user, Area.ORDERS, Order.objects.all(), dealer="dealer")


def payment_queryset_for(user) -> QuerySet[Payment]:
    return scoped(user, Area.ORDERS, Payment.objects.all(), dealer="order__dealer")


def shipment_queryset_for(user) -> QuerySet[Shipment]:
    return scoped(user, Area.ORDERS, Shipment.objects.all(), dealer="dealer")


def product_queryset_for(user) -> ProductQuerySet:
    """Every product for staff; only products on sale for a dealer user."""
    return scoped(user, Area.PRODUCTS, Product.objects.select_related("category"),
                  published=lambda _user: Q(is_active=True))


def tier_price_queryset_for(user) -> QuerySet[TierPrice]:
    """All tier prices for staff; a dealer user sees only its own tier's prices of products on sale (SPEC §3)."""
    return scoped(
        user, Area.TIER_PRICES, TierPrice.objects.select_related("product", "product__category"),
        published=lambda user: Q(tier=user.dealer.tier, product__is_active=True) if user.dealer_id else Q(pk__in=[]),
    )


def tiers_visible_to(user) -> list[str]:
    """The price tiers `user` may look at: its dealer's own, or all for staff."""
    seen = visibility(user, Area.TIER_PRICES)
    if seen == Visibility.PUBLISHED:
        return [user.dealer.tier] if user.dealer_id else []
    return list(DealerTier.values) if seen != Visibility.NONE else []


def stock_count_queryset_for(user) -> StockCountQuerySet:
    """The stock counts `user` may see: those of the dealers in their scope
    (accounts.policy, Area.STOCK_COUNTS) — staff who see visits, and a dealer user
    its own company's (the portal shows its latest suggestion). Replaced counts
    included (`.current()` leaves them out)."""
    return scoped(user, Area.STOCK_COUNTS, StockCount.objects.all(), dealer="dealer")


# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(Order, order_queryset_for)
register_scope(Payment, payment_queryset_for)
register_scope(Shipment, shipment_queryset_for)
register_scope(Product, product_queryset_for)
register_scope(TierPrice, tier_price_queryset_for)
register_scope(StockCount, stock_count_queryset_for)
