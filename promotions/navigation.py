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
        campaigns = selectors.campaign_queryset_for(user)  # the scope, built once for both figures
        return {
            "promotions.to_approve": selectors.campaigns_to_approve(user=user, campaigns=campaigns),
            "promotions.to_review": selectors.campaigns_to_review(user=user, campaigns=campaigns),
            # selectors.campaigns_waiting_for: drafts and ended campaigns never overlap.
            "promotions.waiting": Total("promotions.to_approve", "promotions.to_review"),
        }
    return {}
