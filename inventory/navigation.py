from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem
from inventory.permissions import is_dealer_user


def nav_items(user) -> list[NavItem]:
    """Orders and the price list for everyone; the product catalogue for the manufacturer's staff.

    No ROLE_HOME here: the dealer portal decides where a dealer user lands.
    """
    items = [
        NavItem(_("Orders"), "inventory:order_list", icon="receipt", order=300),
        NavItem(_("Price list"), "inventory:price_list", icon="tags", order=320),
    ]
    if not is_dealer_user(user):
        items.append(NavItem(_("Products"), "inventory:product_list", icon="box-seam", order=310))
    return items
