"""Products, tier price lists, orders and what happens to them (SPEC §3).

Money is Decimal with two places; quantities are whole cases. Order totals and
the amount paid are kept on the order (denormalised, maintained by
inventory.services under a row lock) so that lists, receivables and the
credit check never sum lines or payments per row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealers.models import DealerTier

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
PRICE = {"max_digits": 12, "decimal_places": 2}


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
        help_text=_("Overrides the default safety-stock coefficient (1.5) for this product; empty: the default."),
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


# --- Orders ------------------------------------------------------------------------------
class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("order status", "Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    PAID = "paid", _("Paid")
    PICKED = "picked", _("Picked")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# Confirmed or later, not rejected or cancelled: the order is owed to us until paid.
RECEIVABLE_STATUSES = (
    OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.PICKED, OrderStatus.SHIPPED, OrderStatus.RECEIVED,
)
# Goods have left the warehouse: what rebates accrue on (SPEC §3 "Rebates").
SHIPPED_STATUSES = (OrderStatus.SHIPPED, OrderStatus.RECEIVED)
CLOSED_STATUSES = (OrderStatus.RECEIVED, OrderStatus.REJECTED, OrderStatus.CANCELLED)


class OrderSource(models.TextChoices):
    PORTAL = "portal", _("Dealer portal")
    ON_BEHALF = "on_behalf", _("On the dealer's behalf")
    SUGGESTION = "suggestion", _("Suggested order")


class OrderQuerySet(models.QuerySet):
    def receivable(self) -> OrderQuerySet:
        """Orders owed to us: confirmed or later, neither rejected nor cancelled."""
        return self.filter(status__in=RECEIVABLE_STATUSES)

    def open_receivables(self) -> Decimal:
        """Unpaid amount of the receivable orders in this queryset (one aggregate)."""
        result = self.receivable().aggregate(due=Coalesce(Sum(F("total") - F("amount_paid")), ZERO))
        return Decimal(result["due"]).quantize(Decimal("0.01"))

    def overdue(self, on: datetime.date | None = None) -> OrderQuerySet:
        """Receivable orders not fully paid whose payment due date is before `on` (default today)."""
        on = on or timezone.localdate()
        return self.receivable().filter(payment_due_date__lt=on, amount_paid__lt=F("total"))

    def shipped(self) -> OrderQuerySet:
        return self.filter(status__in=SHIPPED_STATUSES)


class Order(models.Model):
    """A dealer's order of products (SPEC §3 "Orders").

    Workflow (inventory.workflow): submitted → confirmed → paid → picked →
    shipped → received, or rejected / cancelled with a reason. Prices are the
    dealer's tier prices at submission, kept on the lines. `total` and
    `amount_paid` are maintained by the services under a row lock.
    """

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="orders"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="orders_placed"
    )
    source = models.CharField(_("source"), max_length=16, choices=OrderSource.choices, default=OrderSource.PORTAL)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    total = models.DecimalField(_("total"), **MONEY, default=ZERO)
    amount_paid = models.DecimalField(_("amount paid"), **MONEY, default=ZERO)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    payment_due_date = models.DateField(
        _("payment due"), null=True, blank=True,
        help_text=_("Set on confirmation: the confirmation date plus the payment terms."),
    )
    paid_at = models.DateTimeField(_("paid in full at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)],
        help_text=_("Why the order was rejected or cancelled."),
    )
    note = models.TextField(_("note"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["dealer", "-submitted_at"], name="order_dealer_submitted_idx"),
            models.Index(fields=["status", "payment_due_date"], name="order_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="order_amount_paid_not_negative"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("total")), name="order_not_overpaid"),
            models.CheckConstraint(
                condition=~Q(status__in=[OrderStatus.REJECTED, OrderStatus.CANCELLED]) | ~Q(reason=""),
                name="order_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The order number printed on slips, e.g. SO000042."""
        return f"SO{self.pk:06d}" if self.pk else "SO-"

    @property
    def amount_due(self) -> Decimal:
        return self.total - self.amount_paid

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status in RECEIVABLE_STATUSES and self.payment_due_date
            and self.amount_paid < self.total and self.payment_due_date < timezone.localdate()
        )


class OrderLine(models.Model):
    """One product on an order, priced from the dealer's tier when the order was submitted."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), **PRICE)
    line_total = models.DecimalField(_("line total"), **MONEY)
    # From a suggested order (visits): what the rule suggested, and why the rep changed it.
    suggested_quantity = models.PositiveIntegerField(_("suggested quantity"), null=True, blank=True)
    change_reason = models.CharField(_("reason for the change"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="order_line_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="order_line_unit_price_positive"),
            models.CheckConstraint(condition=Q(line_total__gte=0), name="order_line_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class OrderTransition(models.Model):
    """One step of an order's history: who moved it from which status to which, and when."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=OrderStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="order_transitions"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])

    class Meta:
        verbose_name = _("order transition")
        verbose_name_plural = _("order transitions")
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '∅'} → {self.to_status}"


class Payment(models.Model):
    """Money received against an order (SPEC §3: partial payments add up)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="payments_recorded"
    )
    at = models.DateTimeField(_("paid at"), default=timezone.now)
    reference = models.CharField(_("reference"), max_length=100, blank=True, help_text=_("Bank slip or transfer number."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["order", "at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.order} · {self.amount}"


class Shipment(models.Model):
    """Goods that left the warehouse for a dealer, and when (SPEC §3: deliveries for the suggested order).

    `dealer` repeats the order's dealer so that "what was delivered to dealer D
    between two moments" is one indexed range scan (inventory.selectors.deliveries_*).
    """

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="shipments")
    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="shipments"
    )
    shipped_at = models.DateTimeField(_("shipped at"), default=timezone.now)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shipped by"), on_delete=models.PROTECT, related_name="shipments_sent"
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True, help_text=_("Waybill or vehicle number."))

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_at", "-id"]
        indexes = [models.Index(fields=["dealer", "shipped_at"], name="shipment_dealer_time_idx")]

    def __str__(self) -> str:
        return f"{self.order} · {self.shipped_at:%Y-%m-%d %H:%M}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="shipment_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "product"], name="shipment_line_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"
