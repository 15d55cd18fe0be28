from django.utils.translation import gettext_lazy as _

from accounts.policy import is_dealer_user
from common.navigation import NavItem
from rebates.permissions import can_see_rebates, can_settle_rebates
from rebates.selectors import statements_to_settle


def nav_items(user) -> list[NavItem]:
    """Rebates for everyone who has some; the plans page in the menu of those who set or settle them."""
    if not can_see_rebates(user):
        return []
    label = _("My rebates") if is_dealer_user(user) else _("Rebates")
    settles = can_settle_rebates(user)
    # Settling rebates is finance's work: an entry of its own for them.
    group = "" if user.effective_role == "finance" else "sales"
    items = [NavItem(label, "rebates:statement_list", icon="piggy-bank", order=400, group=group,
                     count="rebates.to_settle" if settles else "")]
    if settles:
        items.append(NavItem(_("Rebate plans"), "rebates:plan_list", icon="percent", order=410, group="sales"))
    return items


def nav_counts(user) -> dict:
    """Statements whose period has ended, waiting to be settled (for those who settle them)."""
    return {"rebates.to_settle": statements_to_settle(user=user)} if can_settle_rebates(user) else {}
