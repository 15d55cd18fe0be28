"""seed_demo's stock counts: every active dealer has counts with stored suggestions,
warnings show at once, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from inventory.models import DealerProduct, StockCount, SuggestedOrderLine
from inventory.selectors import latest_stock_count_ids, stock_warnings

pytestmark = pytest.mark.django_db


def test_seed_demo_counts_suggestions_and_warnings_twice_changes_nothing():
    call_command("seed_demo", "--quiet-logins")
    latest = latest_stock_count_ids()
    assert len(latest) >= 5
    lines = SuggestedOrderLine.objects.filter(stock_count_id__in=latest.values())
    assert lines.filter(suggested_quantity__gt=0).exists()
    warnings = stock_warnings(dealer_ids=latest)
    kinds = {warning.kind for items in warnings.values() for warning in items}
    assert {"out_of_stock", "near_expiry", "low_cover"} <= kinds
    before = (StockCount.objects.count(), SuggestedOrderLine.objects.count(), DealerProduct.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (StockCount.objects.count(), SuggestedOrderLine.objects.count(), DealerProduct.objects.count()) == before
