"""What a new stock count is compared with to call a quantity implausible (SPEC §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import Max

from inventory import calculations
from inventory.models import StockCountLine
from inventory.selectors.deliveries import deliveries_between


# --- Plausibility of a count (SPEC §3 "Implausible quantities") ------------------------------
def plausibility_settings() -> tuple[int, int, int]:
    """(multiple, floor in cases, days of deliveries read when a dealer was never counted) from the settings."""
    return (
        int(getattr(settings, "STOCK_COUNT_PLAUSIBLE_MULTIPLE", calculations.DEFAULT_PLAUSIBLE_MULTIPLE)),
        int(getattr(settings, "STOCK_COUNT_PLAUSIBLE_FLOOR", calculations.DEFAULT_PLAUSIBLE_FLOOR)),
        int(getattr(settings, "STOCK_COUNT_PLAUSIBLE_DELIVERY_DAYS", 90)),
    )


def plausibility_references(*, dealer_id: int, recent: Sequence[tuple[int, datetime.datetime]],
                            product_ids: Iterable[int], at: datetime.datetime) -> dict[int, int]:
    """{product_id: the largest quantity of it in the `recent` counts + the cases
    delivered since the newest of them (or, never counted, in the last days of
    plausibility_settings)}: what a new count is compared with. Two queries."""
    product_ids = list(product_ids)
    largest = dict(
        StockCountLine.objects.filter(stock_count_id__in=[pk for pk, _at in recent], product_id__in=product_ids)
        .values("product_id").annotate(largest=Max("quantity")).values_list("product_id", "largest")
    ) if recent else {}
    since = recent[0][1] if recent else at - datetime.timedelta(days=plausibility_settings()[2])
    delivered = deliveries_between(windows=[(dealer_id, since, at)])
    return {
        product_id: (largest.get(product_id) or 0) + delivered.get((dealer_id, product_id), 0)
        for product_id in product_ids
    }
