from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    """Scorecards and dashboards for HQ admin and managers (and a rep's own dealers' scorecard)."""
    role = user.effective_role
    if role in (Role.ADMIN, Role.MANAGER):
        return [
            NavItem(_("Scorecard"), "scorecards:region", icon="clipboard-data", order=450, group="reports"),
            NavItem(_("Dashboards"), "scorecards:dashboards", icon="bar-chart-line", order=455, group="reports"),
        ]
    if role == Role.REP:
        return [NavItem(_("Scorecard"), "scorecards:region", icon="clipboard-data", order=450, group="reports")]
    return []
