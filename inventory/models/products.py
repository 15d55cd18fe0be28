"""The catalogue: product categories, products and their tier prices (SPEC §3 "Products and prices")."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dealers.models import DealerTier
from inventory.calculations import DEFAULT_COEFFICIENT
from inventory.models.shared import PRICE, ZERO

FLOOR_ABOVE_GUIDELINE = _("The floor resale price (%(floor)s) cannot be above the guideline retail price (%(guideline)s).")


# --- Products and prices ---------------------------------------------------------------
class ProductUnit(models.TextChoices):
    """What one ordered quantity is: orders are counted in whole units of this (SPEC: case 箱)."""

    CASE = "case", _("case")
    PACK = "pack", _("pack")
    BAG = "bag", _("bag")
    BARREL = "barrel", _("barrel")


class ProductCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet):
    def active(self) -> ProductQuerySet:
        return self.filter(is_active=True)


class Product(models.Model):
    """A SKU the manufacturer sells to dealers (SPEC §3 "Products and prices").

    Orders and stock counts are in whole `unit`s (cases); `guideline_price` and
    `floor_price` are per piece on the shelf (what a rep compares in a market
    check); tier prices (TierPrice) are per unit ordered.
    """

    sku = models.CharField(_("SKU"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    specification = models.CharField(
        _("specification"), max_length=100, blank=True, help_text=_("Pack size, e.g. 500 ml × 24.")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=ProductUnit.choices, default=ProductUnit.CASE)
    units_per_case = models.PositiveIntegerField(
        _("units per case"), default=1, validators=[MinValueValidator(1)]
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), validators=[MinValueValidator(1)])
    guideline_price = models.DecimalField(
        _("guideline retail price"), **PRICE, validators=[MinValueValidator(ZERO)],
        help_text=_("Suggested retail price of one piece."),
    )
    floor_price = models.DecimalField(
        _("floor resale price"), **PRICE, validators=[MinValueValidator(ZERO)],
        help_text=_("Lowest price a dealer may resell one piece at; below it is price dumping."),
    )
    safety_coefficient = models.DecimalField(
        _("safety coefficient"), max_digits=4, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=format_lazy(
            _("Overrides the default safety-stock coefficient ({default}) for this product; empty: the default."),
            default=DEFAULT_COEFFICIENT,
        ),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive products cannot be ordered."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=Q(units_per_case__gt=0), name="product_units_per_case_positive"),
            models.CheckConstraint(condition=Q(shelf_life_days__gt=0), name="product_shelf_life_positive"),
            models.CheckConstraint(condition=Q(guideline_price__gte=0), name="product_guideline_price_not_negative"),
            models.CheckConstraint(condition=Q(floor_price__gte=0), name="product_floor_price_not_negative"),
            models.CheckConstraint(
                condition=Q(safety_coefficient__isnull=True) | Q(safety_coefficient__gt=0),
                name="product_safety_coefficient_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def clean(self) -> None:
        super().clean()
        floor, guideline = self.floor_price, self.guideline_price
        if isinstance(floor, Decimal) and isinstance(guideline, Decimal) and floor > guideline:
            raise ValidationError({"floor_price": ValidationError(
                FLOOR_ABOVE_GUIDELINE, code="floor_above_guideline", params={"floor": floor, "guideline": guideline},
            )})


class TierPrice(models.Model):
    """The price of one unit (case) of a product for dealers of one tier (SPEC §3)."""

    tier = models.CharField(_("tier"), max_length=16, choices=DealerTier.choices)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="tier_prices"
    )
    price = models.DecimalField(_("price"), **PRICE, validators=[MinValueValidator(Decimal("0.01"))])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tier price")
        verbose_name_plural = _("tier prices")
        ordering = ["tier", "product__sku"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "product"], name="tier_price_unique_per_tier_product"),
            models.CheckConstraint(condition=Q(price__gt=0), name="tier_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} · {self.product.sku}: {self.price}"
