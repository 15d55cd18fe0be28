"""Sections the portal app adds to pages (common/sections.py): the dealer's latest questions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.formatting import format_date
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section
from portal.models import QuestionStatus
from portal.selectors import QUESTION_STAFF_ROLES, question_queryset_for

LATEST_QUESTIONS = 3


def portal_home(*, request, dealer) -> list[Section]:
    """My questions: the latest few and whether each is answered (1 query)."""
    questions = question_queryset_for(request.user).filter(dealer=dealer).order_by("-last_message_at", "-id")
    return [Section(
        title=_("My questions"),
        template="portal/sections/portal_questions.html",
        context={"questions": list(questions[:LATEST_QUESTIONS])},
        order=400,
        anchor="questions",
    )]


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: its open questions, for the staff who answer them (1 query)."""
    questions = question_queryset_for(request.user).filter(dealer=dealer).exclude(status="closed")
    questions = list(questions.order_by("-last_message_at", "-id")[:LATEST_QUESTIONS + 2])
    if not questions:
        return []
    return [Section(
        title=_("Open questions"),
        template="portal/sections/dealer_questions.html",
        context={"questions": questions},
        order=450,
        anchor="questions",
    )]


def role_home(*, request) -> list[Section]:
    """A dealer: its quick actions and the answers to its questions; the staff who
    answer (HQ, managers, reps): the questions awaiting an answer. One query for the rows."""
    user = request.user
    role = user.effective_role
    counts = menu_counts(request)
    if role == Role.DEALER:
        answered = question_queryset_for(user).filter(status=QuestionStatus.ANSWERED).order_by("-last_message_at", "-id")
        item = WorkItem(
            _("Answers to your questions"), reverse("portal:question_list") + "?status=answered",
            count=counts.get("portal.answered", 0), icon="chat-left-text", tone="success", key="answered-questions",
            rows=[WorkRow(question.subject, reverse("portal:question_detail", args=[question.pk]),
                          format_date(question.last_message_at)) for question in answered[:ROWS_PER_ITEM]],
        )
        return [
            Section(title=_("Quick actions"), template="portal/sections/quick_actions.html", order=0,
                    anchor="quick-actions", wide=True),
            worklist_section(_("My questions"), [item], order=15, anchor="questions"),
        ]
    if role not in QUESTION_STAFF_ROLES:
        return []
    waiting = question_queryset_for(user).filter(status=QuestionStatus.OPEN).select_related("dealer")
    item = WorkItem(
        _("Dealer questions awaiting an answer"), reverse("portal:question_list"),
        count=counts.get("portal.awaiting_answer", 0), icon="chat-left-text", tone="warning", key="questions-to-answer",
        rows=[WorkRow(f"{question.dealer.name}: {question.subject}", reverse("portal:question_detail", args=[question.pk]),
                      format_date(question.last_message_at))
              for question in waiting.order_by("last_message_at", "id")[:ROWS_PER_ITEM]],
    )
    return [worklist_section(_("Dealer questions"), [item], order=70, anchor="questions")]
