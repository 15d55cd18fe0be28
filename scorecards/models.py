"""Market sizes per region, month and product category (SPEC §5: the penetration
index, 渗透度指标). Everything else a scorecard shows is computed from other apps'
tables by scorecards.selectors; nothing is stored twice."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MARKET_SIZE_NOT_FIRST_DAY = _("The period of a market size is a month: give its first day.")


class MarketSize(models.Model):
    """The size of the market (money, retail value at supply prices) of one product
    category in one region for one month.

    The penetration index of a dealer for a period is its sales in the period
    divided by the sum of the market sizes of its own region (all categories,
    every month of the period): see scorecards.calculations.penetration. Several
    dealers in one region share its market, so their indices add up to the
    region's; a region without figures has no index (shown as "—"); figures are
    not inherited from parent regions.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="market_sizes"
    )
    period_start = models.DateField(_("month"), help_text=_("The first day of the month."))
    category = models.ForeignKey(
        "inventory.ProductCategory", verbose_name=_("product category"), on_delete=models.PROTECT,
        related_name="market_sizes",
    )
    amount = models.DecimalField(
        _("market size"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("market size")
        verbose_name_plural = _("market sizes")
        ordering = ["region", "-period_start", "category"]
        constraints = [
            models.UniqueConstraint(fields=["region", "period_start", "category"], name="market_size_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="market_size_not_negative"),
        ]
        indexes = [models.Index(fields=["period_start", "region"], name="market_size_period_idx")]

    def __str__(self) -> str:
        return f"{self.region} · {self.period_start:%Y-%m} · {self.category}: {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_start.day != 1:
            raise ValidationError({"period_start": MARKET_SIZE_NOT_FIRST_DAY})
