from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    """Promotions for everyone (each sees their own campaigns); a rep's leads to follow up."""
    items = [NavItem(_("Promotions"), "promotions:list", icon="megaphone", order=400)]
    if user.effective_role == Role.REP:
        items.append(NavItem(_("My leads"), "promotions:my_leads", icon="person-lines-fill", order=410))
    elif user.effective_role in (Role.ADMIN, Role.MANAGER):
        items.append(NavItem(_("Leads"), "promotions:my_leads", icon="person-lines-fill", order=410))
    return items
