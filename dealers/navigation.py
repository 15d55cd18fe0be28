from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem
from dealers.permissions import Action, can


def nav_items(user) -> list[NavItem]:
    items = []
    if can(user, Action.VIEW_INTERNAL):
        items.append(NavItem(_("Dealers"), "dealers:list", icon="shop-window", order=100))
    if can(user, Action.WORK_ONBOARDING):
        items.append(NavItem(_("Pipeline"), "dealers:pipeline", icon="kanban", order=110))
    if can(user, Action.REVIEW_APPLICATION):
        items.append(NavItem(_("Applications"), "dealers:applications", icon="envelope-paper", order=120))
    if can(user, Action.DECIDE_VIOLATION):
        items.append(NavItem(_("Violations"), "dealers:violations", icon="exclamation-octagon", order=130))
    if user.is_authenticated and user.effective_role == "dealer":
        items.append(NavItem(_("My company"), "dealers:mine", icon="building", order=100))
    return items
