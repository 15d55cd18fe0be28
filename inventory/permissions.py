"""Who may see and do what with products, prices and orders (used by pages and the API).

The workflow's own role rules are in inventory.workflow; this module adds the
rules around it.
"""

from __future__ import annotations

from accounts.models import Role
from inventory import workflow
from inventory.models import Order
from inventory.workflow import OrderAction

ORDERING_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP, Role.DEALER)


def can_place_orders(user) -> bool:
    """Dealer users (for their own company), reps and managers (on a dealer's behalf), HQ admin."""
    return user.is_authenticated and user.effective_role in ORDERING_ROLES


def can_manage_catalogue(user) -> bool:
    """Products and tier price lists are HQ admin's (SPEC "Who uses it")."""
    return user.is_authenticated and user.is_hq_admin


def can_print_picking_slip(user) -> bool:
    """The picking slip is the warehouse's working paper: staff only."""
    return user.is_authenticated and user.effective_role != Role.DEALER


def order_actions_for(*, user, order: Order) -> list[str]:
    """The workflow actions `user` may take on `order` now (the buttons a page shows).

    The caller has fetched the order within the user's scope.
    """
    actions = workflow.allowed_actions(order.status, user.effective_role)
    if order.amount_paid > 0 and OrderAction.CANCEL in actions:
        actions.remove(OrderAction.CANCEL)
    return actions


# Products a dealer carries (SPEC §3): a manager (for the dealers of their regions) and HQ admin
# add one by hand or stop one; reps add what they find on the shelf through the stock count.
CARRIED_PRODUCT_ROLES = (Role.ADMIN, Role.MANAGER)


def can_change_carried_products(user) -> bool:
    """Whether `user` may add or stop a product a dealer carries (the caller has the dealer in scope)."""
    return user.is_authenticated and (user.is_hq_admin or user.effective_role in CARRIED_PRODUCT_ROLES)
