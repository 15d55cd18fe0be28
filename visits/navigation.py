from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem
from visits import selectors


def nav_items(user) -> list[NavItem]:
    """A rep's day and visits; managers and HQ the visit list, requests and discipline."""
    role = user.effective_role
    if role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return []
    if role == Role.REP:
        return [
            NavItem(_("My day"), "visits:today", icon="calendar-check", order=5, group="field", count="visits.today"),
            NavItem(_("Visits"), "visits:list", icon="geo-alt", order=150, group="field"),
            NavItem(_("Requests"), "visits:requests", icon="chat-left-dots", order=155, group="field",
                    count="visits.requests_overdue"),
            NavItem(_("Rep discipline"), "visits:discipline", icon="clipboard-check", order=458, group="reports"),
        ]
    return [
        NavItem(_("Visits"), "visits:list", icon="geo-alt", order=150, group="field", count="visits.to_review"),
        NavItem(_("Requests"), "visits:requests", icon="chat-left-dots", order=155, group="field",
                count="visits.escalated"),
        NavItem(_("Rep discipline"), "visits:discipline", icon="clipboard-check", order=458, group="reports"),
    ]


def nav_counts(user) -> dict:
    """What the figures beside the entries count (common.navigation.menu_counts)."""
    role = user.effective_role
    if role == Role.REP:
        return {
            "visits.today": selectors.todays_open_visits(user=user),
            "visits.requests_overdue": selectors.overdue_requests(user=user),
            "visits.not_contacted": lambda: selectors.dealers_not_contacted(user=user),  # the home page's only
        }
    if role in (Role.ADMIN, Role.MANAGER):
        return {
            "visits.to_review": selectors.visits_to_review(user=user),
            "visits.escalated": selectors.escalated_requests(user=user),
            "visits.missed": lambda: selectors.missed_visits(user=user),  # the home page's only
        }
    return {}
