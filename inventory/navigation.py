import functools

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import is_dealer_user
from common.navigation import NavItem, Total
from inventory.selectors import orders_waiting_for

# What each role does next with orders: the figure beside "Orders".
ORDERS_TO_HANDLE = {
    Role.FINANCE: "orders.awaiting_payment",
    Role.WAREHOUSE: "orders.to_dispatch",
    Role.REP: "orders.to_confirm",
    Role.MANAGER: "orders.to_confirm",
    Role.ADMIN: "orders.to_confirm",
}


def nav_items(user) -> list[NavItem]:
    """Orders and the price list for everyone; the product catalogue for the manufacturer's staff.

    No ROLE_HOME here: every role lands on its worklist (accounts.views.home).
    """
    count = ORDERS_TO_HANDLE.get(user.effective_role, "")
    # Orders are the main page of finance, the warehouse and a dealer: an entry of its own for them.
    orders_group = "" if user.effective_role in (Role.FINANCE, Role.WAREHOUSE, Role.DEALER) else "sales"
    items = [
        NavItem(_("Orders"), "inventory:order_list", icon="receipt", order=300, group=orders_group, count=count),
        NavItem(_("Price list"), "inventory:price_list", icon="tags", order=320, group="sales"),
    ]
    if not is_dealer_user(user):
        items.append(NavItem(_("Products"), "inventory:product_list", icon="box-seam", order=330, group="sales"))
    return items


# The figures each role's menu and home page show (keys of selectors.orders_waiting_for).
FIGURES = {
    Role.FINANCE: ("orders.awaiting_payment", "orders.overdue"),
    Role.WAREHOUSE: ("orders.to_dispatch", "orders.to_pick", "orders.to_ship"),
    Role.REP: ("orders.to_confirm",),
    Role.MANAGER: ("orders.to_confirm",),
    Role.ADMIN: ("orders.to_confirm",),
    Role.DEALER: ("orders.open",),
}


def nav_counts(user) -> dict:
    """What the figures count (common.navigation.menu_counts): the orders waiting for this
    role, each built only when wanted (the menu shows one; the home page the rest)."""
    waiting = functools.cache(lambda: orders_waiting_for(user=user))
    figures: dict = {key: functools.partial(lambda key: waiting()[key], key) for key in FIGURES.get(user.effective_role, ())}
    if "orders.to_dispatch" in figures:  # paid or picked: to pick + to ship, disjoint
        figures["orders.to_dispatch"] = Total("orders.to_pick", "orders.to_ship", alone=figures["orders.to_dispatch"])
    return figures
