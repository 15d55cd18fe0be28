from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    return [NavItem(_("Notifications"), "notifications:list", icon="bell", order=900)]
