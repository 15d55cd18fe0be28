"""Rebates accrue when an order ships: the inventory workflow announces every
status change (inventory.signals.order_status_changed); on "shipped" the
dealer's statements are recomputed after the transaction commits."""

from __future__ import annotations

from django.utils import timezone


def accrue_on_shipping(sender, *, order, to_status, at=None, **kwargs) -> None:
    from inventory.models import OrderStatus
    from rebates.services import rebates_accrue_after_shipping

    if to_status == OrderStatus.SHIPPED:
        rebates_accrue_after_shipping(dealer_id=order.dealer_id, shipped_at=at or order.shipped_at or timezone.now())


def connect() -> None:
    from inventory.signals import order_status_changed

    order_status_changed.connect(accrue_on_shipping, dispatch_uid="rebates.accrue_on_shipping")
