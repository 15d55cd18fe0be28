"""Stock at the dealers: the products each carries, stock counts and the suggested order stored with a count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventory.models.products import Product


# --- Stock at the dealers (SPEC §3 "Counts in daily life") ----------------------------------
class CarrySource(models.TextChoices):
    """How a product came to be carried by a dealer (API: `source`)."""

    SHIPMENT = "shipment", _("Shipped to the dealer")
    CONTRACT = "contract", _("In the contract's product lines")
    COUNT = "count", _("Found on the shelf in a stock count")
    MANUAL = "manual", _("Added by hand")


class DealerProduct(models.Model):
    """A product the dealer carries, recorded explicitly: added by hand or found on
    the shelf during a count, or a stop (a manager took it off the count form).

    Products shipped to the dealer and those in its signed contracts' product lines
    are carried without a row (inventory.selectors.carried_products derives them);
    a row with `stopped_at` hides a product whatever the source, until it is added
    again or shipped again. Counts of a stopped product stay in the history.
    """

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="carried_products"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="carried_by"
    )
    since = models.DateField(_("carried since"), default=timezone.localdate)
    source = models.CharField(_("source"), max_length=16, choices=CarrySource.choices, default=CarrySource.MANUAL)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("stopped by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("product carried")
        verbose_name_plural = _("products carried")
        ordering = ["dealer", "product"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "product"], name="dealer_product_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} · {self.product}"


# "The latest count": the newest first, the id breaking a tie (two counts in one second).
# Every query that asks for a dealer's or a visit's latest count orders by this, in the ORM
# (StockCountQuerySet.newest_first) and in SQL (LATEST_COUNT_FIRST_SQL).
LATEST_COUNT_FIRST = ("-counted_at", "-id")
LATEST_COUNT_FIRST_SQL = "counted_at DESC, id DESC"


class StockCountQuerySet(models.QuerySet):
    def current(self) -> StockCountQuerySet:
        """Counts not replaced by a recount (what the suggested order reads)."""
        return self.filter(replaced_at__isnull=True)

    def newest_first(self) -> StockCountQuerySet:
        """The latest count first (LATEST_COUNT_FIRST)."""
        return self.order_by(*LATEST_COUNT_FIRST)

    def newest(self) -> StockCount | None:
        """The latest count of these, or None (one query)."""
        return self.newest_first().first()


class StockCount(models.Model):
    """A stock count (库存清点) at a dealer, saved whole or not at all.

    `reference` says, opaquely, what the count was taken at (the visits app writes
    "visit:<id>"); there is one current count per reference: counting again
    replaces the earlier count, which is kept with `replaced_at` set and named by
    the new count's `replaces`. The suggested order reads only current counts, so
    "previous stock" is always the last count of the previous visit.
    """

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="stock_counts"
    )
    reference = models.CharField(_("taken at"), max_length=64, blank=True)
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("counted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # A digest of the lines: an identical count sent again shortly after is the same count.
    lines_digest = models.CharField(_("lines digest"), max_length=64, blank=True)
    # The first and last day of each period its suggestion read, newest first:
    # [["2026-10-01", "2026-10-15"], ...] (the periods of its lines, by position).
    period_dates = models.JSONField(_("period dates"), default=list, blank=True)

    objects = StockCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = list(LATEST_COUNT_FIRST)
        indexes = [
            models.Index(fields=["dealer", "counted_at"], name="stock_count_dealer_time_idx"),
            models.Index(fields=["reference"], name="stock_count_reference_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=Q(replaced_at__isnull=True) & ~Q(reference=""),
                name="stock_count_one_current_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} · {timezone.localtime(self.counted_at):%Y-%m-%d %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class StockCountLine(models.Model):
    stock_count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="stock_count_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity (cases)"))
    production_date = models.DateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["stock_count", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_count", "product"], name="stock_count_line_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_count_line_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class CoefficientSource(models.TextChoices):
    """Where a suggestion's safety coefficient came from (SPEC §3: the larger override applies)."""

    DEFAULT = "default", _("the default")
    PRODUCT = "product", _("the product's")
    DEALER = "dealer", _("the dealer's")


class SuggestedOrderLine(models.Model):
    """The suggested order of one product at one stock count, kept with its working
    (SPEC §3): the latest period's figures; every period the rule read, as it read
    it (`periods`: [[previous stock, delivered, current stock, days, during a
    promotion], ...], newest first; their dates are the count's `period_dates`);
    the coefficient, where it came from, and the visit cycle. Running
    inventory.calculations.suggest on these again gives back the figures and the
    working (selectors.suggestion_working). Then what the rep finally ordered,
    with the reason for any change. Stored when the count is saved; read by the
    visit page, the API, the portal and scorecards ("suggested orders followed")."""

    stock_count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.CASCADE, related_name="suggestions"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    previous_stock = models.IntegerField(_("previous stock"), null=True, blank=True)
    deliveries = models.IntegerField(_("delivered since"), default=0)
    current_stock = models.IntegerField(_("current stock"))
    period_sales = models.DecimalField(_("period sales"), max_digits=12, decimal_places=2, null=True, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2)
    coefficient_source = models.CharField(
        _("coefficient from"), max_length=16, choices=CoefficientSource.choices, blank=True
    )
    cycle_days = models.PositiveSmallIntegerField(_("visit cycle (days)"), null=True, blank=True)
    periods = models.JSONField(_("periods"), default=list, blank=True)
    safety_stock = models.DecimalField(_("safety stock"), max_digits=12, decimal_places=2, null=True, blank=True)
    suggested_quantity = models.PositiveIntegerField(_("suggested"), null=True, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    ordered_quantity = models.PositiveIntegerField(_("ordered"), null=True, blank=True)
    change_reason = models.CharField(_("reason for the change"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("suggested order line")
        verbose_name_plural = _("suggested order lines")
        ordering = ["stock_count", "product"]
        constraints = [
            models.UniqueConstraint(fields=["stock_count", "product"], name="suggested_line_unique_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.suggested_quantity}"
