from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    # HQ's "Setup" entry comes from hq/navigation.py.
    return [NavItem(_("Home"), "home", icon="house", order=0)]
