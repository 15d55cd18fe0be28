from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem

ROLE_HOME = {"rep": "visits:today"}


def nav_items(user) -> list[NavItem]:
    """A rep's day and visits; managers and HQ the visit list, requests and discipline."""
    role = user.effective_role
    if role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return []
    items = [
        NavItem(_("Visits"), "visits:list", icon="geo-alt", order=150),
        NavItem(_("Requests"), "visits:requests", icon="chat-left-dots", order=155),
        NavItem(_("Rep discipline"), "visits:discipline", icon="clipboard-check", order=158),
    ]
    if role == Role.REP:
        items.insert(0, NavItem(_("My day"), "visits:today", icon="calendar-check", order=5))
    return items
