from django.utils.translation import gettext_lazy as _

from common.navigation import NavItem


def nav_items(user) -> list[NavItem]:
    """One entry for HQ admin: "Setup", whose own index lists the setup pages."""
    if not user.is_hq_admin:
        return []
    return [NavItem(_("Setup"), "hq:index", icon="gear", order=800, group="setup")]
