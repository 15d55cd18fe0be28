"""The products a dealer carries, as the dealers import and the dealer upsert API
read and write them: through inventory's rule of what a dealer carries (shipments,
signed contracts' categories, rows added by hand; SPEC §3 "Counts in daily life").
An import only adds: listing a product carries it (again, if it was stopped)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from dealers.models import ContractStatus
from inventory.counting import dealer_products_add_many
from inventory.models import DealerProduct, Product, Shipment
from inventory.selectors import carried_products


def carried_skus(*, dealer_ids: Iterable[int]) -> dict[int, set[str]]:
    """{dealer id: SKUs it carries now, whatever made it carry them} for these dealers (two queries)."""
    carried = carried_products(dealer_ids=dealer_ids)
    product_ids = {product_id for products in carried.values() for product_id in products}
    skus = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "sku")) if product_ids else {}
    return {dealer_id: {skus[product_id] for product_id in products} for dealer_id, products in carried.items()}


def carried_products_add(*, pairs: Iterable[tuple[int, int]]) -> None:
    """Carry each (dealer id, product id) from today, added by HQ (source `manual`);
    pairs already carried are left as they are."""
    dealer_products_add_many(pairs=pairs)


def carries_something():
    """An Exists() for a Dealer queryset: the dealer carries at least one product —
    added by hand and not stopped, shipped to it, or in a signed contract's categories."""
    explicit = DealerProduct.objects.filter(dealer_id=OuterRef("pk"), stopped_at__isnull=True)
    shipped = Shipment.objects.filter(dealer_id=OuterRef("pk"))
    contracted = Product.objects.filter(
        Q(category__contracts__dealer_id=OuterRef("pk")) & Q(category__contracts__status=ContractStatus.SIGNED),
        is_active=True,
    )
    return Exists(explicit) | Exists(shipped) | Exists(contracted)
