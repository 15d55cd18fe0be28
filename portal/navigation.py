from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.navigation import NavItem
from portal.models import QuestionStatus
from portal.selectors import QUESTION_STAFF_ROLES, question_queryset_for


def nav_items(user) -> list[NavItem]:
    """A dealer's questions (with the answers waiting to be read); the staff's inbox."""
    role = user.effective_role
    if role == Role.DEALER:
        return [NavItem(_("Questions"), "portal:question_list", icon="chat-left-text", order=500,
                        count="portal.answered")]
    if role in QUESTION_STAFF_ROLES:
        return [NavItem(_("Dealer questions"), "portal:question_list", icon="chat-left-text", order=140,
                        group="dealers", count="portal.awaiting_answer")]
    return []


def nav_counts(user) -> dict:
    """Questions answered (a dealer) or awaiting an answer (the staff who answer them)."""
    role = user.effective_role
    if role == Role.DEALER:
        return {"portal.answered": question_queryset_for(user).filter(status=QuestionStatus.ANSWERED)}
    if role in QUESTION_STAFF_ROLES:
        return {"portal.awaiting_answer": question_queryset_for(user).filter(status=QuestionStatus.OPEN)}
    return {}
