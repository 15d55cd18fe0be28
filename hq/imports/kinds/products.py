"""The products import (by SKU) and the tier prices import (by tier + SKU), saved by inventory.catalogue."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dealers.models import DealerTier
from hq.imports import cells
from hq.imports.kinds.base import Column, Kind, _text
from hq.models import ImportKind
from inventory.catalogue import products_upsert, tier_prices_upsert
from inventory.models import Product, ProductUnit, TierPrice
from inventory.selectors import default_coefficient_text


class ProductsKind(Kind):
    kind = ImportKind.PRODUCTS
    key_column = "sku"
    list_url_name = "hq:products"
    columns = (
        Column("sku", _("The product's code (SKU), as in your ERP."), "BEV-001", required=True),
        Column("name", _("The product's name."), "Iced tea 500ml", required=True),
        Column("category", _("The category's name; a new name makes a new category (empty: uncategorised)."), "Drinks"),
        Column("specification", _("Pack size, e.g. 500 ml × 24."), "500 ml × 24"),
        Column("unit", _("What one ordered quantity is: case, pack, bag or barrel (empty: case)."), "case"),
        Column("units_per_case", _("Pieces per unit (a whole number, at least 1)."), "24"),
        Column("shelf_life_days", _("Shelf life in days."), "270", required=True),
        Column("guideline_price", _("Guideline retail price of one piece."), "4.50", required=True),
        Column("floor_price", _("Floor resale price of one piece (not above the guideline price)."), "3.80",
               required=True),
        Column("safety_coefficient", format_lazy(_("This product's safety-stock coefficient (empty: the default {default})."),
                                                 default=default_coefficient_text), ""),
        Column("active", _("yes or no (empty: yes). Inactive products cannot be ordered."), "yes"),
    )
    units = cells.choice_index(ProductUnit.choices)

    def parse(self, values, ctx, result):
        row = {"sku": result.key, "name": values["name"].strip()}
        self.cell(values, "category", _text, result, row, target="category_name")
        self.cell(values, "specification", _text, result, row)
        self.cell(values, "unit", cells.choice, result, row, index=self.units)
        self.cell(values, "units_per_case", cells.integer, result, row)
        self.cell(values, "shelf_life_days", cells.integer, result, row)
        self.cell(values, "guideline_price", cells.decimal, result, row)
        self.cell(values, "floor_price", cells.decimal, result, row)
        self.cell(values, "safety_coefficient", cells.decimal, result, row)
        self.cell(values, "active", cells.boolean, result, row, target="is_active")
        return row

    def save(self, rows, ctx, *, dry_run):
        results = self._save_via(products_upsert, rows, dry_run=dry_run, by=ctx.by)
        for result in results:  # the service names the model's field; the file has a column
            if "is_active" in result.errors:
                result.errors["active"] = result.errors.pop("is_active")
        return results

    def export_rows(self):
        for product in Product.objects.select_related("category").order_by("sku").iterator(chunk_size=2000):
            yield {
                "sku": product.sku, "name": product.name, "category": product.category.name,
                "specification": product.specification, "unit": product.unit, "units_per_case": product.units_per_case,
                "shelf_life_days": product.shelf_life_days, "guideline_price": product.guideline_price,
                "floor_price": product.floor_price, "safety_coefficient": product.safety_coefficient,
                "active": product.is_active,
            }


class TierPricesKind(Kind):
    kind = ImportKind.TIER_PRICES
    key_column = "sku"
    list_url_name = "hq:prices"
    columns = (
        Column("tier", _("The dealer tier: province, city or county."), "city", required=True),
        Column("sku", _("The product's SKU (the product must exist)."), "BEV-001", required=True),
        Column("price", _("Price of one unit (case) for dealers of this tier, above zero."), "33.00", required=True),
    )
    tiers = cells.choice_index(DealerTier.choices)

    def key(self, values, ctx):
        try:
            tier = cells.choice(values.get("tier", ""), self.tiers) or ""
        except cells.CellError as error:
            error.column = "tier"
            raise
        return f"{tier}/{values.get('sku', '').strip()}"

    def parse(self, values, ctx, result):
        row = {"tier": result.key.split("/", 1)[0], "sku": values["sku"].strip()}
        self.cell(values, "price", cells.decimal, result, row)
        return row

    def save(self, rows, ctx, *, dry_run):
        return self._save_via(tier_prices_upsert, rows, dry_run=dry_run, by=ctx.by)

    def export_rows(self):
        prices = TierPrice.objects.order_by("tier", "product__sku").values_list("tier", "product__sku", "price")
        for tier, sku, price in prices.iterator(chunk_size=5000):
            yield {"tier": tier, "sku": sku, "price": price}
