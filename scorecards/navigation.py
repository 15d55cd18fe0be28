from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem

# A regional manager lands on the scorecard of their regions.
ROLE_HOME = {"manager": "scorecards:region"}


def nav_items(user) -> list[NavItem]:
    """Scorecards and dashboards for HQ admin and managers (and a rep's own dealers' scorecard)."""
    role = user.effective_role
    if role in (Role.ADMIN, Role.MANAGER):
        return [
            NavItem(_("Scorecard"), "scorecards:region", icon="clipboard-data", order=50),
            NavItem(_("Dashboards"), "scorecards:dashboards", icon="bar-chart-line", order=55),
        ]
    if role == Role.REP:
        return [NavItem(_("Scorecard"), "scorecards:region", icon="clipboard-data", order=450)]
    return []
