"""Rebates listen to the apps below them, which never import rebates:

- an order ships (inventory.signals.order_status_changed): the dealer's
  statements are recomputed after the transaction commits;
- a contract is signed (dealers.signals.contract_signed): its rebate plan
  applies to its dealer for the contract's term."""

from __future__ import annotations

from django.utils import timezone

from dealers.signals import contract_signed
from inventory.models import OrderStatus
from inventory.signals import order_status_changed
from rebates.services import rebate_assignment_from_contract, rebates_accrue_after_shipping


def accrue_on_shipping(sender, *, order, to_status, at=None, **kwargs) -> None:
    if to_status == OrderStatus.SHIPPED:
        rebates_accrue_after_shipping(dealer_id=order.dealer_id, shipped_at=at or order.shipped_at or timezone.now())


def assign_on_signing(sender, *, contract, **kwargs) -> None:
    if contract.rebate_plan_id:
        rebate_assignment_from_contract(contract=contract)


def connect() -> None:
    order_status_changed.connect(accrue_on_shipping, dispatch_uid="rebates.accrue_on_shipping")
    contract_signed.connect(assign_on_signing, dispatch_uid="rebates.assign_on_signing")
