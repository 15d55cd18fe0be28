from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from common.audit import audit_register
        from inventory.models import Product, TierPrice

        # Prices and price lists (issue #12): old and new value, when, by whom.
        audit_register(Product, key="product", fields=["guideline_price", "floor_price", "safety_coefficient", "is_active"])
        audit_register(TierPrice, key="tier_price", fields=["tier", "product", "price"])
