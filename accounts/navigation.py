from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    items = [NavItem(_("Home"), "home", icon="house", order=0)]
    if user.is_hq_admin:
        items.append(NavItem(_("Setup"), "admin:index", icon="gear", order=800))
    return items
