import functools

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem, Total
from promotions import selectors


def nav_items(user) -> list[NavItem]:
    """Promotions for everyone (each sees their own campaigns); a rep's leads to follow up."""
    role = user.effective_role
    manages = role in (Role.ADMIN, Role.MANAGER)
    items = [NavItem(_("Promotions"), "promotions:list", icon="megaphone", order=350, group="sales",
                     count="promotions.waiting" if manages else "")]
    if role == Role.REP:
        items.append(NavItem(_("My leads"), "promotions:my_leads", icon="person-lines-fill", order=160, group="field",
                             count="promotions.leads_to_follow_up"))
    elif manages:
        items.append(NavItem(_("Leads"), "promotions:my_leads", icon="person-lines-fill", order=160, group="field"))
    return items


def nav_counts(user) -> dict:
    """Campaigns waiting for this manager (to approve, to review) and a rep's leads to follow up."""
    role = user.effective_role
    if role == Role.REP:
        return {"promotions.leads_to_follow_up": selectors.leads_to_follow_up(user=user)}
    if role in (Role.ADMIN, Role.MANAGER):
        campaigns = functools.cache(lambda: selectors.campaign_queryset_for(user))  # the scope, built once if wanted
        return {
            # The home page's worklist: each part; the menu of every page: their total, in one queryset.
            "promotions.to_approve": lambda: selectors.campaigns_to_approve(user=user, campaigns=campaigns()),
            "promotions.to_review": lambda: selectors.campaigns_to_review(user=user, campaigns=campaigns()),
            # Drafts and ended campaigns never overlap: the total is their sum where both are counted.
            "promotions.waiting": Total("promotions.to_approve", "promotions.to_review",
                                        alone=lambda: selectors.campaigns_waiting_for(user=user, campaigns=campaigns())),
        }
    return {}
