"""seed_demo's inventory part: believable, consistent, and idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from inventory.models import Order, OrderStatus, Payment, Product, Shipment, ShipmentLine, TierPrice

pytestmark = pytest.mark.django_db


def test_seed_demo_inventory_covers_every_state_consistently_and_twice_changes_nothing():
    call_command("seed_demo", "--quiet-logins")
    counts = (Product.objects.count(), TierPrice.objects.count(), Order.objects.count(), Payment.objects.count())
    assert counts[0] == 30 and counts[1] == 90
    assert Product.objects.values("category").distinct().count() == 4
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert Order.objects.overdue().exists()
    # Payments add up on every order; paid-or-later orders are paid in full; shipments match the lines.
    for order in Order.objects.annotate(paid=Sum("payments__amount")):
        assert (order.paid or 0) == order.amount_paid <= order.total
        if order.status in ("paid", "picked", "shipped", "received"):
            assert order.amount_paid == order.total
        assert order.shipments.exists() == (order.status in ("shipped", "received"))
    shipped_lines = ShipmentLine.objects.filter(shipment__order__lines__product=F("product")).exclude(
        shipment__order__lines__quantity=F("quantity")
    )
    assert not shipped_lines.exists()
    # Every shipment's stored value is its lines at the order's prices (the scorecards' sales).
    for shipment in Shipment.objects.prefetch_related("lines", "order__lines"):
        prices = {line.product_id: line.unit_price for line in shipment.order.lines.all()}
        assert shipment.value == sum((line.quantity * prices[line.product_id] for line in shipment.lines.all()), 0)
    assert not Order.objects.annotate(n=Count("transitions")).filter(n=0).exists()

    call_command("seed_demo", "--quiet-logins")
    assert (Product.objects.count(), TierPrice.objects.count(), Order.objects.count(), Payment.objects.count()) == counts
