"""Demo market sizes (part of `seed_demo`): for every region with dealers, every
product category and the last 13 months, so the scorecard shows a penetration
index at once. Idempotent: a (region, month, category) figure is made once and
never changed by a second run."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from common.demo import DemoWorld
from dealers.models import Dealer
from inventory.models import ProductCategory
from scorecards import calculations
from scorecards.models import MarketSize

MONTHS = 13


def seed(world: DemoWorld) -> None:
    region_ids = sorted(set(Dealer.objects.exclude(region_id=None).values_list("region_id", flat=True)))
    categories = list(ProductCategory.objects.order_by("pk").values_list("pk", flat=True))
    current = calculations.period_containing(timezone.localdate())
    months = [period.start for period in calculations.last_periods(current, MONTHS)]
    existing = set(
        MarketSize.objects.filter(region_id__in=region_ids, period_start__in=months)
        .values_list("region_id", "period_start", "category_id")
    )
    missing = []
    for region_id in region_ids:
        for category_id in categories:
            base = 60_000 + (region_id * 7919 + category_id * 104_729) % 140_000
            for offset, month in enumerate(months):
                if (region_id, month, category_id) in existing:
                    continue
                seasonal = Decimal(100 + (month.month * 37 + offset) % 25) / Decimal(100)
                missing.append(MarketSize(region_id=region_id, period_start=month, category_id=category_id,
                                          amount=(Decimal(base) * seasonal).quantize(Decimal("1"))))
    MarketSize.objects.bulk_create(missing, ignore_conflicts=True)
