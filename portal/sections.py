"""Sections the portal app adds to pages (common/sections.py): the dealer's latest questions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.sections import Section
from portal.selectors import question_queryset_for

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
