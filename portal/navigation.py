from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem
from portal.selectors import QUESTION_STAFF_ROLES

# A dealer user lands on the portal (SPEC "Who uses it": the dealer's home).
ROLE_HOME = {Role.DEALER.value: "portal:home"}


def nav_items(user) -> list[NavItem]:
    role = user.effective_role
    if role == Role.DEALER:
        # "Home" (accounts) already leads a dealer user to the portal.
        return [NavItem(_("Questions"), "portal:question_list", icon="chat-left-text", order=500)]
    if role in QUESTION_STAFF_ROLES:
        return [NavItem(_("Dealer questions"), "portal:question_list", icon="chat-left-text", order=500)]
    return []
