from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem
from rebates.permissions import can_see_rebates, can_settle_rebates, is_dealer_user


def nav_items(user) -> list[NavItem]:
    """Rebates for everyone who has some; the plans page in the menu of those who set or settle them."""
    if not can_see_rebates(user):
        return []
    label = _("My rebates") if is_dealer_user(user) else _("Rebates")
    items = [NavItem(label, "rebates:statement_list", icon="piggy-bank", order=400)]
    if can_settle_rebates(user):
        items.append(NavItem(_("Rebate plans"), "rebates:plan_list", icon="percent", order=410))
    return items
