"""Orders, their lines and status changes, payments and shipments (SPEC §3)."""

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

from inventory.models.products import Product
from inventory.models.shared import MONEY, PRICE, ZERO


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
    """One step of an order's history: who moved it from which status to which, and when;
    a payment is a step too (`amount`; a partial payment leaves the status as it was)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=OrderStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="order_transitions"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])
    # A payment recorded at this step (a partial payment is a step that keeps the status).
    amount = models.DecimalField(_("payment"), **MONEY, null=True, blank=True)

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
    # The goods shipped at their order lines' prices (calculations.shipment_value), kept by
    # services.order_ship and services.shipment_values_refresh: the scorecards sum it by
    # period (a dealer's sales) instead of joining every shipped line to its order line.
    value = models.DecimalField(_("value"), **MONEY, default=ZERO, editable=False,
                                help_text=_("The goods shipped at the order's prices."))

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
