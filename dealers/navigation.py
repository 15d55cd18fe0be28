from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem
from dealers.permissions import Action, can
from dealers.scope import territory_key
from dealers.selectors import applications_to_approve


def nav_items(user) -> list[NavItem]:
    items = []
    if can(user, Action.VIEW_INTERNAL):
        items.append(NavItem(_("Dealers"), "dealers:list", icon="shop-window", order=100, group="dealers"))
    if can(user, Action.WORK_ONBOARDING):
        items.append(NavItem(_("Pipeline"), "dealers:pipeline", icon="kanban", order=110, group="dealers"))
    if can(user, Action.REVIEW_APPLICATION):
        items.append(NavItem(
            _("Applications"), "dealers:applications", icon="envelope-paper", order=120, group="dealers",
            count="dealers.applications_to_approve" if can(user, Action.DECIDE_APPLICATION) else "",
        ))
    if can(user, Action.DECIDE_VIOLATION):
        items.append(NavItem(_("Violations"), "dealers:violations", icon="exclamation-octagon", order=130, group="dealers"))
    if user.is_authenticated and user.effective_role == "dealer":
        items.append(NavItem(_("My company"), "dealers:mine", icon="building", order=600))
    return items


def nav_counts(user) -> dict:
    """Applications waiting for a manager's approval (common.navigation.menu_counts)."""
    if can(user, Action.DECIDE_APPLICATION):
        return {"dealers.applications_to_approve": applications_to_approve(user=user)}
    return {}


def figures_key(user) -> tuple:
    """What, beyond the user's row and the date, the figures' SQL is built from: the
    user's territory (common.navigation.FigureStatements)."""
    return territory_key(user)
